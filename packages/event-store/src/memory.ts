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
import { runCatchUpSubscription } from './subscription.js';

/** In-memory adapter: for tests and the scenario CLI. Same semantics as the durable ones. */
export class InMemoryEventStore implements EventStore {
  readonly name = 'memory';
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly ids = new Map<string, Set<string>>();
  private readonly checkpoints = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  async append(streamName: string, events: NewEvent[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamName, events, ...(options.expectedRevision !== undefined ? { expectedRevision: options.expectedRevision } : {}) }]);
    return result!;
  }

  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    // Check every request first, so that a conflict anywhere appends nothing anywhere.
    const plans = requests.map((r) => {
      const stream = this.streams.get(r.streamName) ?? [];
      const seen = this.ids.get(r.streamName) ?? new Set<string>();
      const fresh = dedupe(r.events, seen);
      if (fresh.length > 0) checkExpected(r.streamName, r.expectedRevision ?? 'any', stream.length - 1);
      return { r, fresh, revision: stream.length - 1 };
    });
    const results: AppendResult[] = [];
    for (const { r, fresh } of plans) {
      const stream = this.streams.get(r.streamName) ?? [];
      const seen = this.ids.get(r.streamName) ?? new Set<string>();
      let last: number | null = null;
      for (const e of fresh) {
        const recorded: RecordedEvent = { ...structuredClone(e), metadata: structuredClone(e.metadata ?? {}), streamName: r.streamName, streamRevision: stream.length, globalPosition: this.all.length + 1 };
        stream.push(recorded);
        this.all.push(recorded);
        seen.add(e.eventId);
        last = recorded.globalPosition;
      }
      this.streams.set(r.streamName, stream);
      this.ids.set(r.streamName, seen);
      results.push({ nextExpectedRevision: stream.length - 1, lastGlobalPosition: last, appended: fresh.length });
    }
    if (results.some((r) => r.appended > 0)) for (const l of this.listeners) l();
    return results;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamName) ?? [];
    const asOf = options.asOf ? Date.parse(options.asOf) : null;
    return stream
      .filter((e) => e.streamRevision >= (options.fromRevision ?? 0) && (asOf === null || Date.parse(e.recordedAt) <= asOf))
      .map((e) => structuredClone(e));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 0;
    const out = this.all.filter((e) => e.globalPosition > from);
    return (options.maxCount !== undefined ? out.slice(0, options.maxCount) : out).map((e) => structuredClone(e));
  }

  async listStreams(prefix: string): Promise<string[]> {
    return [...this.streams.keys()].filter((s) => s.startsWith(prefix));
  }

  async loadCheckpoint(subscriptionId: string): Promise<number | null> {
    return this.checkpoints.get(subscriptionId) ?? null;
  }

  async storeCheckpoint(subscriptionId: string, position: number): Promise<void> {
    this.checkpoints.set(subscriptionId, position);
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    return runCatchUpSubscription(this, options, (wake) => {
      this.listeners.add(wake);
      return () => this.listeners.delete(wake);
    });
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/** Events whose eventId the stream already holds (or that repeat within the batch) are skipped. */
export function dedupe(events: NewEvent[], seen: ReadonlySet<string>): NewEvent[] {
  const batch = new Set<string>();
  return events.filter((e) => {
    if (seen.has(e.eventId) || batch.has(e.eventId)) return false;
    batch.add(e.eventId);
    return true;
  });
}

/** Optimistic concurrency: `actual` is the revision of the stream's last event, -1 when it has none. */
export function checkExpected(streamName: string, expected: ExpectedRevision, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && actual === -1) ||
    (expected === 'stream-exists' && actual >= 0) ||
    (typeof expected === 'number' && expected === actual);
  if (!ok) throw new WrongExpectedRevisionError(streamName, expected, actual < 0 ? 'no-stream' : actual);
}
