import type { Instant, PolisIncomeStatement } from '@bijstand/domain';
import { ClaimTakenError, type EventStore, type MessageClaim } from '@bijstand/event-store';
import { LEGACY_MESSAGE_ID_STREAM_PREFIX, messageClaimKey } from '@bijstand/platform';
import { contentHash, redeliveryConflict } from './messageIds.js';

/**
 * De-duplication by messageId, as stored: the store's message claims (port.ts, MessageClaim), one
 * per messageId, keyed by its pseudonym and holding the hash of the content it first arrived with.
 */

/** Marks a store whose claims kept as streams (before issue #26) have been read into its claims. */
export const LEGACY_CLAIMS_ADOPTED = 'ingest:message-id-streams-adopted';

export function claimOf(messageId: string, hash: string, recordedAt: Instant): MessageClaim {
  return { key: messageClaimKey(messageId), hash, recordedAt };
}

export class MessageIdClaims {
  private adopted: Promise<void> | undefined;

  constructor(private readonly store: EventStore) {}

  /** The hash each messageId was first claimed with; one not claimed is absent. */
  async firstHashes(messageIds: readonly string[]): Promise<Map<string, string>> {
    await this.adoptLegacyClaims();
    const keys = messageIds.map(messageClaimKey);
    const found = await this.store.readClaims(keys);
    const byId = new Map<string, string>();
    for (const [i, id] of messageIds.entries()) {
      const hash = found.get(keys[i]!);
      if (hash !== undefined) byId.set(id, hash);
    }
    return byId;
  }

  async firstHash(messageId: string): Promise<string | null> {
    return (await this.firstHashes([messageId])).get(messageId) ?? null;
  }

  /**
   * The first content a messageId arrived with is kept (its hash); the same id with other content is
   * a conflict, whichever BSN it names. Null: the first time, or a re-delivery of the same content.
   */
  async claim(statement: PolisIncomeStatement, recordedAt: Instant): Promise<string | null> {
    const hash = contentHash(statement);
    const first = await this.firstHash(statement.messageId);
    if (first !== null) return redeliveryConflict(statement.messageId, first, hash);
    try {
      await this.store.appendMany([], [claimOf(statement.messageId, hash, recordedAt)]);
      return null;
    } catch (err) {
      if (!(err instanceof ClaimTakenError)) throw err;
      // Another consumer claimed it meanwhile: compare with what it claimed.
      const winner = await this.firstHash(statement.messageId);
      if (winner === null) throw err;
      return redeliveryConflict(statement.messageId, winner, hash);
    }
  }

  /**
   * A store written before issue #26 kept each claim as a stream (`message-id-<key>`, the hash in its
   * first event): those are read into the claims once, before the first claim is looked at, so that
   * a message first received then is still told from a conflicting one. The streams stay as they were
   * written. Done once per store (a checkpoint marks it; a new store has no such streams) and per process.
   */
  private adoptLegacyClaims(): Promise<void> {
    this.adopted ??= (async () => {
      if ((await this.store.loadCheckpoint(LEGACY_CLAIMS_ADOPTED)) !== null) return;
      const streams = await this.store.listStreams(LEGACY_MESSAGE_ID_STREAM_PREFIX);
      for (let i = 0; i < streams.length; i += 1000) {
        const names = streams.slice(i, i + 1000);
        const read = await this.store.readStreams(names.map((streamName) => ({ streamName })));
        const claims = names.flatMap((name, k) => {
          const first = read[k]![0];
          const hash = (first?.data as { hash?: unknown } | undefined)?.hash;
          if (!first || typeof hash !== 'string') return [];
          return [{ key: name.slice(LEGACY_MESSAGE_ID_STREAM_PREFIX.length), hash, recordedAt: first.recordedAt }];
        });
        await this.store.writeClaims(claims);
      }
      await this.store.storeCheckpoint(LEGACY_CLAIMS_ADOPTED, streams.length);
    })();
    // A failed adoption (the store unreachable) is tried again by the next caller.
    this.adopted.catch(() => (this.adopted = undefined));
    return this.adopted;
  }
}
