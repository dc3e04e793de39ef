import { createHash, randomUUID } from 'node:crypto';
import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  CurrentRevision,
  EventStoreDBClient,
  JSONEventData,
  JSONType,
  Position,
  ReadPosition,
  ResolvedEvent,
} from '@eventstore/db-client';
import { instantOf, planAppends, type StreamSnapshot } from './appendRules.js';
import { EsdbClaims } from './eventstoredbClaims.js';
import {
  WrongExpectedRevisionError,
  type AppendRequest,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type ListClaimsOptions,
  type MessageClaim,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type RecordedEventText,
  type StreamRead,
  type StateSnapshot,
  type Subscription,
  type SubscriptionOptions,
} from './port.js';
import { runCatchUpSubscription, stopAll, trackUntilStopped } from './subscription.js';

/*
 * The production adapter on EventStoreDB (gRPC client @eventstore/db-client 6.x, server 20.10+).
 *
 * How the port maps onto ESDB:
 * - eventId: ESDB event ids are UUIDs. Ours are readable keys, so the ESDB id is a name-based UUID
 *   (v5 layout) of our eventId; our eventId itself travels in the metadata.
 * - recordedAt, schemaVersion: in the metadata too, next to the caller's metadata; correlationId and
 *   causationId are also written as $correlationId / $causationId, which ESDB's projections know.
 * - globalPosition: the event's commit position in $all. An append to one stream is an implicit
 *   transaction in which every event gets its own log position, used as commit and prepare position
 *   alike, so the number is unique per event and increasing in $all order; {p, p} is a valid place
 *   to resume reading. (Events written by the legacy TCP API in explicit transactions share a commit
 *   position; this adapter does not write such events and does not expect them.)
 * - Idempotency by eventId: the stream is read (whole) before each append and ids it already holds are
 *   skipped, so re-delivery is a no-op whatever revision the caller expected. Two writers racing with
 *   the same new eventId and expectedRevision 'any' can both get through that check; ESDB's own
 *   idempotency (same event UUID, best effort) is the only guard left there.
 * - appendMany is NOT atomic: ESDB has no transaction across streams. Every request is checked
 *   against the streams as read first (so a stale revision fails before anything is written), then
 *   the requests are appended one by one; a conflict that arises meanwhile leaves the earlier
 *   requests written.
 * - readAll and listStreams skip system events ($-prefixed types or streams) and the checkpoint
 *   streams (so an application stream must not be named checkpoint-…); listStreams reads all of
 *   $all (this client has no server-side filter for reads). readAll's fromPosition must be a
 *   globalPosition this store returned (or 0): ESDB can only resume at a record boundary.
 *   Reading $all needs an admin (or ops) user on a secure server: put it in the connection string.
 * - Checkpoints: events in a stream `checkpoint-<subscriptionId>`, the last one wins; the stream is
 *   capped with $maxCount so that old checkpoints are scavenged. Snapshots likewise, one stream per
 *   snapshotted stream (`checkpoint-snapshot-<stream>`, $maxCount 1). Message claims: a stream per
 *   key (`checkpoint-claim-<key>`, eventstoredbClaims.ts), written before appendMany's requests.
 * - asOf: a filter on recordedAt after reading the stream.
 * - subscribeToAll: the same polling catch-up loop as the other adapters, over readAll.
 */

type EsdbModule = typeof import('@eventstore/db-client');

let esdbModule: Promise<EsdbModule> | undefined;
/** The gRPC client takes ~150 ms to load: only processes that use this adapter pay for that. */
function loadEsdb(): Promise<EsdbModule> {
  esdbModule ??= import('@eventstore/db-client');
  return esdbModule;
}

const CHECKPOINT_STREAM_PREFIX = 'checkpoint-';
const CHECKPOINT_EVENT_TYPE = 'CheckpointStored';
const CHECKPOINTS_KEPT = 10;

export const checkpointStreamOf = (subscriptionId: string) => `${CHECKPOINT_STREAM_PREFIX}${subscriptionId}`;

/** Snapshots live in the checkpoint namespace: skipped by readAll and listStreams like checkpoints. */
const SNAPSHOT_EVENT_TYPE = 'StateSnapshotStored';
export const snapshotStreamOf = (streamName: string) => `${CHECKPOINT_STREAM_PREFIX}snapshot-${streamName}`;

/** Our own namespace for name-based event UUIDs (a random v4 UUID, fixed forever). */
export const EVENT_ID_NAMESPACE = '6f1c2a4e-8d3b-4f7a-9c5e-2b8d7e4a1f63';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 4122 name-based UUID, version 5 (SHA-1 of the namespace's 16 bytes followed by the name). */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The ESDB event id for our eventId: the same for every re-delivery of the same message. */
export function eventUuid(eventId: string): string {
  return UUID_PATTERN.test(eventId) ? eventId.toLowerCase() : uuidV5(eventId, EVENT_ID_NAMESPACE);
}

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return 'any';
  if (expected === 'no-stream') return 'no_stream';
  if (expected === 'stream-exists') return 'stream_exists';
  return BigInt(expected);
}

export function fromEsdbCurrentRevision(actual: CurrentRevision): number | 'no-stream' {
  return actual === 'no_stream' ? 'no-stream' : Number(actual);
}

/** Keys this adapter keeps in the ESDB metadata next to the caller's. */
interface StoredMetadata extends EventMetadata {
  eventId: string;
  schemaVersion: number;
  recordedAt: string;
  $correlationId?: string;
  $causationId?: string;
}

/** What jsonEvent() from the client builds, with our id and metadata. */
export function toEsdbEventData(event: NewEvent): JSONEventData {
  const metadata: StoredMetadata = {
    ...(event.metadata ?? {}),
    eventId: event.eventId,
    schemaVersion: event.schemaVersion,
    recordedAt: event.recordedAt,
  };
  if (typeof event.metadata?.correlationId === 'string') metadata.$correlationId = event.metadata.correlationId;
  if (typeof event.metadata?.causationId === 'string') metadata.$causationId = event.metadata.causationId;
  return {
    id: eventUuid(event.eventId),
    contentType: 'application/json',
    type: event.type,
    // The client JSON.stringifies data whatever it is; its type only names objects, arrays and strings.
    data: (event.data ?? null) as JSONType,
    metadata,
  };
}

const isSystemName = (name: string) => name.startsWith('$');
const isCheckpointStream = (streamName: string) => streamName.startsWith(CHECKPOINT_STREAM_PREFIX);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** A commit position as a number, or null for none (stream reads on some servers report none). */
export function globalPositionOf(position: Position | undefined): number | null {
  if (!position || position.commit > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(position.commit);
}

/** Our RecordedEvent, or null for what is not an application event (system, link, binary). */
export function fromEsdbEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const e = resolved.event;
  if (!e || !e.isJson || isSystemName(e.type) || isSystemName(e.streamId)) return null;
  const { eventId, schemaVersion, recordedAt, $correlationId, $causationId, ...metadata } = isPlainObject(e.metadata)
    ? e.metadata
    : {};
  // Events written by other tools carry no metadata of ours: fall back to what ESDB knows.
  if (metadata.correlationId === undefined && typeof $correlationId === 'string')
    metadata.correlationId = $correlationId;
  if (metadata.causationId === undefined && typeof $causationId === 'string') metadata.causationId = $causationId;
  return {
    eventId: typeof eventId === 'string' ? eventId : e.id,
    type: e.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    recordedAt: typeof recordedAt === 'string' ? recordedAt : e.created.toISOString(),
    data: e.data,
    metadata,
    streamName: e.streamId,
    streamRevision: Number(e.revision),
    globalPosition: globalPositionOf(e.position) ?? -1,
  };
}

interface StreamContents extends StreamSnapshot {
  events: RecordedEvent[];
}

export class EventStoreDbEventStore implements EventStore {
  readonly name = 'eventstoredb';
  readonly reads = 'network' as const;
  private readonly connection: Promise<{ esdb: EsdbModule; client: EventStoreDBClient }>;
  private readonly cappedStreams = new Set<string>();
  private readonly appendListeners = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly claims: EsdbClaims;

  /** E.g. 'esdb://localhost:2113?tls=false'. The client connects on first use. */
  constructor(connectionString: string) {
    this.connection = loadEsdb().then((esdb) => ({
      esdb,
      client: esdb.EventStoreDBClient.connectionString(connectionString),
    }));
    // A bad connection string rejects here and again in whichever method awaits the connection;
    // without this, a store that is never used would raise an unhandled rejection.
    this.connection.catch(() => {});
    this.claims = new EsdbClaims(this.connection, `${CHECKPOINT_STREAM_PREFIX}claim-`);
  }

  /** The whole stream as ESDB holds it; revision -1 when it does not exist. */
  private async readWholeStream(streamName: string, fromRevision = 0): Promise<StreamContents> {
    const { esdb, client } = await this.connection;
    const events: RecordedEvent[] = [];
    let revision = -1;
    try {
      for await (const resolved of client.readStream(streamName, {
        fromRevision: BigInt(Math.max(0, fromRevision)),
        direction: 'forwards',
      })) {
        if (resolved.event) revision = Number(resolved.event.revision);
        const event = fromEsdbEvent(resolved);
        if (event) events.push(event);
      }
    } catch (err) {
      if (!(err instanceof esdb.StreamNotFoundError)) throw err;
    }
    const ids = new Set(events.map((e) => e.eventId));
    return { events, revision, hasEventId: (id) => ids.has(id) };
  }

  async append(
    streamName: string,
    events: NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([
      { streamName, events, expectedRevision: options.expectedRevision ?? 'any' },
    ]);
    return result!;
  }

  /** Sequential, not atomic: see the notes at the top of this file. */
  async appendMany(requests: AppendRequest[], claims: readonly MessageClaim[] = []): Promise<AppendResult[]> {
    const { esdb, client } = await this.connection;
    const streamNames = [...new Set(requests.map((r) => r.streamName))];
    const before = new Map(
      await Promise.all(streamNames.map(async (name) => [name, await this.readWholeStream(name)] as const)),
    );
    const plans = planAppends(requests, (name) => before.get(name)!);
    await this.claims.write(claims, true);
    const results: AppendResult[] = [];
    for (const [i, plan] of plans.entries()) {
      if (plan.events.length === 0) {
        results.push({ nextExpectedRevision: plan.revisionBefore, lastGlobalPosition: null, appended: 0 });
        continue;
      }
      const expected = requests[i]!.expectedRevision ?? 'any';
      try {
        const written = await client.appendToStream(plan.streamName, plan.events.map(toEsdbEventData), {
          expectedRevision: toEsdbExpectedRevision(expected),
        });
        // The position ESDB reports for an append is that of its last event.
        results.push({
          nextExpectedRevision: Number(written.nextExpectedRevision),
          lastGlobalPosition: globalPositionOf(written.position),
          appended: plan.events.length,
        });
      } catch (err) {
        if (err instanceof esdb.WrongExpectedVersionError)
          throw new WrongExpectedRevisionError(plan.streamName, expected, fromEsdbCurrentRevision(err.actualVersion));
        throw err;
      }
    }
    if (results.some((r) => r.appended > 0)) for (const listener of this.appendListeners) listener();
    return results;
  }

  /** Each append is its own write to the server; grouping them is left to the server's batching. */
  async groupCommits<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { events } = await this.readWholeStream(streamName, options.fromRevision ?? 0);
    if (options.asOf === undefined) return events;
    const asOfMs = instantOf(options.asOf, 'asOf');
    return events.filter((e) => Date.parse(e.recordedAt) <= asOfMs);
  }

  /** One read per stream, a few at a time: the server answers each stream on its own. */
  async readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    const out: RecordedEvent[][] = [];
    for (let i = 0; i < reads.length; i += 32)
      out.push(
        ...(await Promise.all(
          reads.slice(i, i + 32).map((r) => this.readStream(r.streamName, { fromRevision: r.fromRevision ?? 0 })),
        )),
      );
    return out;
  }

  async readStreamText(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEventText[]> {
    return (await this.readStream(streamName, options)).map(({ data, ...rest }) => ({
      ...rest,
      dataText: JSON.stringify(data ?? null),
    }));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { client } = await this.connection;
    const after = options.fromPosition ?? -1;
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return [];
    // Reading from an event's position includes that event; `after` is exclusive, hence the filter.
    const fromPosition: ReadPosition = after > 0 ? { commit: BigInt(after), prepare: BigInt(after) } : 'start';
    const out: RecordedEvent[] = [];
    for await (const resolved of client.readAll({ fromPosition, direction: 'forwards' })) {
      const event = fromEsdbEvent(resolved);
      if (!event || isCheckpointStream(event.streamName) || event.globalPosition <= after) continue;
      out.push(event);
      if (out.length >= limit) break; // leaving the loop cancels the gRPC read
    }
    return out;
  }

  async listStreams(prefix: string): Promise<string[]> {
    const { client } = await this.connection;
    // A Set keeps insertion order: the order of each stream's first event in $all.
    const names = new Set<string>();
    for await (const resolved of client.readAll({ fromPosition: 'start', direction: 'forwards' })) {
      const e = resolved.event;
      if (
        e &&
        e.streamId.startsWith(prefix) &&
        !isSystemName(e.streamId) &&
        !isSystemName(e.type) &&
        !isCheckpointStream(e.streamId)
      )
        names.add(e.streamId);
    }
    return [...names];
  }

  async loadCheckpoint(subscriptionId: string): Promise<number | null> {
    const { esdb, client } = await this.connection;
    try {
      for await (const resolved of client.readStream(checkpointStreamOf(subscriptionId), {
        fromRevision: 'end',
        direction: 'backwards',
        maxCount: 1,
      })) {
        const data = resolved.event?.data;
        return isPlainObject(data) && typeof data.position === 'number' ? data.position : null;
      }
    } catch (err) {
      if (!(err instanceof esdb.StreamNotFoundError)) throw err;
    }
    return null;
  }

  async storeCheckpoint(subscriptionId: string, position: number): Promise<void> {
    const { client } = await this.connection;
    const streamName = checkpointStreamOf(subscriptionId);
    if (!this.cappedStreams.has(streamName)) {
      // Only the last checkpoint matters; older ones go at the next scavenge.
      await client.setStreamMetadata(streamName, { maxCount: CHECKPOINTS_KEPT });
      this.cappedStreams.add(streamName);
    }
    const checkpoint: JSONEventData = {
      id: randomUUID(),
      contentType: 'application/json',
      type: CHECKPOINT_EVENT_TYPE,
      data: { position },
      metadata: undefined,
    };
    await client.appendToStream(streamName, checkpoint);
  }

  async readSnapshot(streamName: string): Promise<StateSnapshot | null> {
    const { esdb, client } = await this.connection;
    try {
      for await (const resolved of client.readStream(snapshotStreamOf(streamName), {
        fromRevision: 'end',
        direction: 'backwards',
        maxCount: 1,
      })) {
        const data = resolved.event?.data;
        if (!isPlainObject(data) || typeof data.revision !== 'number' || typeof data.format !== 'string') return null;
        return { streamName, revision: data.revision, format: data.format, data: data.state };
      }
    } catch (err) {
      if (!(err instanceof esdb.StreamNotFoundError)) throw err;
    }
    return null;
  }

  /** One read per snapshot stream, a few at a time. */
  async readSnapshots(streamNames: readonly string[]): Promise<(StateSnapshot | null)[]> {
    const out: (StateSnapshot | null)[] = [];
    for (let i = 0; i < streamNames.length; i += 32)
      out.push(...(await Promise.all(streamNames.slice(i, i + 32).map((name) => this.readSnapshot(name)))));
    return out;
  }

  async writeSnapshots(snapshots: StateSnapshot[]): Promise<void> {
    const { client } = await this.connection;
    for (const x of snapshots) {
      const streamName = snapshotStreamOf(x.streamName);
      if (!this.cappedStreams.has(streamName)) {
        await client.setStreamMetadata(streamName, { maxCount: 1 });
        this.cappedStreams.add(streamName);
      }
      const current = await this.readSnapshot(x.streamName);
      if (current && current.revision > x.revision) continue;
      const event: JSONEventData = {
        id: randomUUID(),
        contentType: 'application/json',
        type: SNAPSHOT_EVENT_TYPE,
        data: { revision: x.revision, format: x.format, state: x.data as JSONType },
        metadata: undefined,
      };
      await client.appendToStream(streamName, event);
    }
  }

  readClaims(keys: readonly string[]): Promise<Map<string, string>> {
    return this.claims.read(keys);
  }

  writeClaims(claims: readonly MessageClaim[]): Promise<void> {
    return this.claims.write(claims, false);
  }

  listClaims(options: ListClaimsOptions): Promise<MessageClaim[]> {
    return this.claims.list(options);
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    // Woken at once by appends through this instance; other writers are seen at the next poll.
    const subscription = runCatchUpSubscription(this, options, (wake) => {
      this.appendListeners.add(wake);
      return () => this.appendListeners.delete(wake);
    });
    return trackUntilStopped(this.subscriptions, subscription);
  }

  async close(): Promise<void> {
    await stopAll(this.subscriptions);
    const connection = await this.connection.catch(() => null);
    await connection?.client.dispose();
  }
}
