import { createHash } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AppendExpectedRevision,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  WrongExpectedRevisionError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Subscription,
  type SubscriptionOptions,
} from './port.js';
import { dedupe } from './memory.js';
import { runCatchUpSubscription } from './subscription.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ESDB wants UUID event ids; ours are readable keys, so derive a stable name-based UUID (v5 layout). */
export function eventUuid(eventId: string): string {
  if (UUID.test(eventId)) return eventId.toLowerCase();
  const h = createHash('sha1').update(`bijstand-event:${eventId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function expectedOf(e: ExpectedRevision): AppendExpectedRevision {
  if (e === 'any') return ANY;
  if (e === 'no-stream') return NO_STREAM;
  if (e === 'stream-exists') return STREAM_EXISTS;
  return BigInt(e);
}

interface StoredMetadata {
  eventId: string;
  schemaVersion: number;
  recordedAt: string;
  [key: string]: unknown;
}

function toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const e = resolved.event;
  if (!e || !e.isJson || e.type.startsWith('$') || e.streamId.startsWith('$')) return null;
  const { eventId, schemaVersion, recordedAt, ...metadata } = (e.metadata ?? {}) as StoredMetadata;
  return {
    eventId,
    type: e.type,
    schemaVersion,
    recordedAt,
    data: e.data,
    metadata,
    streamName: e.streamId,
    streamRevision: Number(e.revision),
    // The prepare position is unique per event and increases in $all order; the commit position is
    // shared by the events of one append.
    globalPosition: Number(e.position?.prepare ?? 0n),
  };
}

/**
 * The production adapter on EventStoreDB. It cannot run on these machines (no server); its contract
 * suite runs whenever EVENTSTORE_CONNECTION_STRING is set. appendMany is sequential here: ESDB has no
 * transaction across streams (the contract marks that one case as not applicable).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly name = 'eventstoredb';
  private readonly client: EventStoreDBClient;

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  private async readRaw(streamName: string, fromRevision = 0): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, { fromRevision: BigInt(fromRevision), direction: FORWARDS })) {
        const r = toRecorded(resolved);
        if (r) out.push(r);
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return [];
      throw err;
    }
    return out;
  }

  async append(streamName: string, events: NewEvent[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const existing = await this.readRaw(streamName);
    const current = existing.length - 1;
    // Idempotency by our eventId, checked against the whole stream (ESDB's own check only covers
    // a retry of the same append), so re-delivery is a no-op whatever revision the caller expected.
    const fresh = dedupe(events, new Set(existing.map((e) => e.eventId)));
    if (fresh.length === 0) return { nextExpectedRevision: current, lastGlobalPosition: null, appended: 0 };
    try {
      const result = await this.client.appendToStream(
        streamName,
        fresh.map((e) =>
          jsonEvent({
            id: eventUuid(e.eventId),
            type: e.type,
            data: e.data as never,
            metadata: { ...(e.metadata ?? {}), eventId: e.eventId, schemaVersion: e.schemaVersion, recordedAt: e.recordedAt, $correlationId: e.metadata?.correlationId, $causationId: e.metadata?.causationId },
          }),
        ),
        { expectedRevision: expectedOf(options.expectedRevision ?? 'any') },
      );
      return { nextExpectedRevision: Number(result.nextExpectedRevision), lastGlobalPosition: Number(result.position?.prepare ?? 0n), appended: fresh.length };
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) {
        const actual = typeof err.actualVersion === 'bigint' ? Number(err.actualVersion) : 'no-stream';
        throw new WrongExpectedRevisionError(streamName, options.expectedRevision ?? 'any', actual);
      }
      throw err;
    }
  }

  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    const out: AppendResult[] = [];
    for (const r of requests) out.push(await this.append(r.streamName, r.events, r.expectedRevision !== undefined ? { expectedRevision: r.expectedRevision } : {}));
    return out;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events = await this.readRaw(streamName, options.fromRevision ?? 0);
    if (!options.asOf) return events;
    const limit = Date.parse(options.asOf);
    return events.filter((e) => Date.parse(e.recordedAt) <= limit);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 0;
    const out: RecordedEvent[] = [];
    const start = from > 0 ? { commit: BigInt(from), prepare: BigInt(from) } : START;
    for await (const resolved of this.client.readAll({ fromPosition: start, direction: FORWARDS, filter: excludeSystemEvents() } as never)) {
      const r = toRecorded(resolved as AllStreamResolvedEvent);
      if (!r || r.globalPosition <= from) continue;
      out.push(r);
      if (options.maxCount !== undefined && out.length >= options.maxCount) break;
    }
    return out;
  }

  async listStreams(prefix: string): Promise<string[]> {
    const seen = new Set<string>();
    for await (const resolved of this.client.readAll({ fromPosition: START, direction: FORWARDS, filter: streamNameFilter({ prefixes: [prefix] }) } as never)) {
      const e = (resolved as AllStreamResolvedEvent).event;
      if (e && !e.streamId.startsWith('$')) seen.add(e.streamId);
    }
    return [...seen];
  }

  async loadCheckpoint(subscriptionId: string): Promise<number | null> {
    try {
      for await (const resolved of this.client.readStream(`checkpoint-${subscriptionId}`, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        return (resolved.event?.data as { position: number } | undefined)?.position ?? null;
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return null;
      throw err;
    }
    return null;
  }

  async storeCheckpoint(subscriptionId: string, position: number): Promise<void> {
    await this.client.appendToStream(`checkpoint-${subscriptionId}`, jsonEvent({ type: 'CheckpointStored', data: { position } }));
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    return runCatchUpSubscription(this, options);
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
