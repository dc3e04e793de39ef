import { randomUUID } from 'node:crypto';
import type { EventStoreDBClient, JSONEventData } from '@eventstore/db-client';
import { checkClaimKeys, checkClaims } from './claimRules.js';
import { ClaimTakenError, type ListClaimsOptions, type MessageClaim } from './port.js';

type EsdbModule = typeof import('@eventstore/db-client');

/**
 * Message claims on EventStoreDB, which has no table: a stream per key in the checkpoint namespace
 * (`checkpoint-claim-<key>`, skipped by readAll and listStreams), its first event the claim. A
 * claim is written with expected revision no-stream, so the first writer of a key wins.
 */
export class EsdbClaims {
  constructor(
    private readonly connection: Promise<{ esdb: EsdbModule; client: EventStoreDBClient }>,
    private readonly prefix: string,
  ) {}

  private streamOf(key: string): string {
    return `${this.prefix}${key}`;
  }

  async read(keys: readonly string[]): Promise<Map<string, string>> {
    checkClaimKeys(keys);
    const found = new Map<string, string>();
    for (let i = 0; i < keys.length; i += 32) {
      const batch = keys.slice(i, i + 32);
      const claims = await Promise.all(batch.map((key) => this.readOne(key)));
      for (const claim of claims) if (claim) found.set(claim.key, claim.hash);
    }
    return found;
  }

  private async readOne(key: string): Promise<MessageClaim | null> {
    const { esdb, client } = await this.connection;
    try {
      for await (const resolved of client.readStream(this.streamOf(key), { fromRevision: 'start', maxCount: 1 })) {
        const data = resolved.event?.data as { hash?: unknown; recordedAt?: unknown } | undefined;
        if (typeof data?.hash === 'string' && typeof data.recordedAt === 'string')
          return { key, hash: data.hash, recordedAt: new Date(Date.parse(data.recordedAt)).toISOString() };
      }
    } catch (err) {
      if (!(err instanceof esdb.StreamNotFoundError)) throw err;
    }
    return null;
  }

  /** `strict`: a key claimed already throws ClaimTakenError (claims written before it stay: ESDB has no transaction). */
  async write(claims: readonly MessageClaim[], strict: boolean): Promise<void> {
    checkClaims(claims);
    const { esdb, client } = await this.connection;
    for (const c of claims) {
      const event: JSONEventData = {
        id: randomUUID(),
        contentType: 'application/json',
        type: 'MessageClaimed',
        data: { hash: c.hash, recordedAt: c.recordedAt },
        metadata: undefined,
      };
      try {
        await client.appendToStream(this.streamOf(c.key), event, { expectedRevision: esdb.NO_STREAM });
      } catch (err) {
        if (!(err instanceof esdb.WrongExpectedVersionError)) throw err;
        if (strict) throw new ClaimTakenError(c.key);
      }
    }
  }

  /** Reads all of $all for the claim streams (this client has no server-side filter for reads). */
  async list(options: ListClaimsOptions): Promise<MessageClaim[]> {
    if (options.afterKey !== undefined) checkClaimKeys([options.afterKey]);
    const { client } = await this.connection;
    const keys = new Set<string>();
    for await (const resolved of client.readAll({ fromPosition: 'start', direction: 'forwards' })) {
      const stream = resolved.event?.streamId;
      if (stream?.startsWith(this.prefix)) keys.add(stream.slice(this.prefix.length));
    }
    const wanted = [...keys]
      .filter((key) => options.afterKey === undefined || key > options.afterKey)
      .sort()
      .slice(0, Math.max(0, options.maxCount));
    const claims = await Promise.all(wanted.map((key) => this.readOne(key)));
    return claims.filter((c) => c !== null);
  }
}
