import { instantOf, planAppends, type PlannedAppend } from './appendRules.js';
import { checkClaimKeys, newClaimsOnly, newClaimsOrThrow } from './claimRules.js';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedRevision,
  ListClaimsOptions,
  MessageClaim,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordedEventText,
  StreamRead,
  StateSnapshot,
  Subscription,
  SubscriptionOptions,
} from './port.js';
import { runCatchUpSubscription, stopAll, trackUntilStopped } from './subscription.js';

/**
 * In-memory adapter: for tests and the scenario CLI. Same semantics as the durable adapters (the
 * contract suite checks that); events are cloned in and out so that callers cannot change history.
 */
export class InMemoryEventStore implements EventStore {
  readonly name = 'memory';
  readonly reads = 'in-process' as const;
  /** Commit order; an event's globalPosition is its index + 1. */
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly eventIds = new Map<string, Set<string>>();
  private readonly checkpoints = new Map<string, number>();
  private readonly snapshots = new Map<string, StateSnapshot>();
  private readonly claims = new Map<string, MessageClaim>();
  private readonly appendListeners = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();

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

  async appendMany(requests: AppendRequest[], claims: readonly MessageClaim[] = []): Promise<AppendResult[]> {
    // Every request and claim is checked before any is applied: a conflict anywhere writes nothing anywhere.
    const plans = planAppends(requests, (streamName) => ({
      revision: (this.streams.get(streamName)?.length ?? 0) - 1,
      hasEventId: (id) => this.eventIds.get(streamName)?.has(id) ?? false,
    }));
    for (const c of newClaimsOrThrow(claims, (key) => this.claims.has(key))) this.claims.set(c.key, c);
    const results = plans.map((plan) => this.apply(plan));
    if (results.some((r) => r.appended > 0)) for (const listener of this.appendListeners) listener();
    return results;
  }

  private apply(plan: PlannedAppend): AppendResult {
    const stream = this.streams.get(plan.streamName) ?? [];
    const ids = this.eventIds.get(plan.streamName) ?? new Set<string>();
    let lastGlobalPosition: number | null = null;
    for (const e of plan.events) {
      const recorded: RecordedEvent = {
        ...structuredClone(e),
        metadata: structuredClone(e.metadata ?? {}),
        streamName: plan.streamName,
        streamRevision: stream.length,
        globalPosition: this.all.length + 1,
      };
      stream.push(recorded);
      this.all.push(recorded);
      ids.add(e.eventId);
      lastGlobalPosition = recorded.globalPosition;
    }
    if (stream.length > 0) {
      this.streams.set(plan.streamName, stream);
      this.eventIds.set(plan.streamName, ids);
    }
    return { nextExpectedRevision: stream.length - 1, lastGlobalPosition, appended: plan.events.length };
  }

  /** Nothing to group: every append is already its own commit in memory. */
  async groupCommits<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamName) ?? [];
    const asOfMs = options.asOf !== undefined ? instantOf(options.asOf, 'asOf') : null;
    return stream
      .slice(Math.max(0, options.fromRevision ?? 0))
      .filter((e) => asOfMs === null || Date.parse(e.recordedAt) <= asOfMs)
      .map((e) => structuredClone(e));
  }

  async readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    return Promise.all(reads.map((r) => this.readStream(r.streamName, { fromRevision: r.fromRevision ?? 0 })));
  }

  async readStreamText(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEventText[]> {
    return (await this.readStream(streamName, options)).map(({ data, ...rest }) => ({
      ...rest,
      dataText: JSON.stringify(data ?? null),
    }));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    // Positions are index + 1, so "after position p" starts at index p.
    const start = Math.max(0, Math.floor(options.fromPosition ?? 0));
    const end = options.maxCount !== undefined ? start + options.maxCount : undefined;
    return this.all.slice(start, end).map((e) => structuredClone(e));
  }

  async listStreams(prefix: string): Promise<string[]> {
    // A Map iterates in insertion order, which is the order of each stream's first event.
    return [...this.streams.keys()].filter((name) => name.startsWith(prefix));
  }

  async loadCheckpoint(subscriptionId: string): Promise<number | null> {
    return this.checkpoints.get(subscriptionId) ?? null;
  }

  async storeCheckpoint(subscriptionId: string, position: number): Promise<void> {
    this.checkpoints.set(subscriptionId, position);
  }

  async readSnapshot(streamName: string): Promise<StateSnapshot | null> {
    const snapshot = this.snapshots.get(streamName);
    return snapshot ? structuredClone(snapshot) : null;
  }

  async readSnapshots(streamNames: readonly string[]): Promise<(StateSnapshot | null)[]> {
    return Promise.all(streamNames.map((name) => this.readSnapshot(name)));
  }

  async writeSnapshots(snapshots: StateSnapshot[]): Promise<void> {
    for (const snapshot of snapshots) {
      const current = this.snapshots.get(snapshot.streamName);
      if (!current || current.revision <= snapshot.revision)
        this.snapshots.set(snapshot.streamName, structuredClone(snapshot));
    }
  }

  async readClaims(keys: readonly string[]): Promise<Map<string, string>> {
    checkClaimKeys(keys);
    const found = new Map<string, string>();
    for (const key of keys) {
      const claim = this.claims.get(key);
      if (claim) found.set(key, claim.hash);
    }
    return found;
  }

  async writeClaims(claims: readonly MessageClaim[]): Promise<void> {
    for (const c of newClaimsOnly(claims, (key) => this.claims.has(key))) this.claims.set(c.key, c);
  }

  async listClaims(options: ListClaimsOptions): Promise<MessageClaim[]> {
    const after = options.afterKey;
    if (after !== undefined) checkClaimKeys([after]);
    return [...this.claims.values()]
      .filter((c) => after === undefined || c.key > after)
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, Math.max(0, options.maxCount))
      .map((c) => ({ ...c }));
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    const subscription = runCatchUpSubscription(this, options, (wake) => {
      this.appendListeners.add(wake);
      return () => this.appendListeners.delete(wake);
    });
    return trackUntilStopped(this.subscriptions, subscription);
  }

  async close(): Promise<void> {
    await stopAll(this.subscriptions);
  }
}
