import {
  evolve,
  foldHousehold,
  initialHouseholdState,
  snapshotOf,
  stateFromSnapshot,
  SNAPSHOT_FORMAT,
  type HouseholdEvent,
  type HouseholdSnapshot,
  type HouseholdState,
  type IncrementalEvaluation,
  type IncrementalLayer,
  type SavedEvaluation,
} from '@bijstand/domain';
import type { EventStore, RecordedEvent, StateSnapshot } from '@bijstand/event-store';
import { householdStream } from './streams.js';
import { EVENT_SCHEMAS_FINGERPRINT, toHouseholdEvent } from './serialization.js';

export interface LoadedHousehold {
  householdId: string;
  state: HouseholdState;
  /** Revision of the stream's last event, -1 when empty: the expected revision for the next append. */
  revision: number;
  events: HouseholdEvent[];
  recorded: RecordedEvent[];
  /** The latest recordedAt in the stream (ms): whether anything was recorded after a run's instant. */
  latestRecordedMs: number;
}

/** Rebuild a household from its stream (optionally as it stood at `asOf`). */
export async function loadHousehold(store: EventStore, householdId: string, asOf?: string): Promise<LoadedHousehold> {
  const recorded = await store.readStream(householdStream(householdId), asOf ? { asOf } : {});
  // Every event, none skipped: one this engine cannot read is an UnknownEventError naming it.
  const events = recorded.map(toHouseholdEvent);
  const state = foldHousehold(events, initialHouseholdState());
  const last = recorded[recorded.length - 1];
  const latestRecordedMs = recorded.reduce((m, r) => Math.max(m, Date.parse(r.recordedAt)), -Infinity);
  return { householdId, state, revision: last ? last.streamRevision : -1, events, recorded, latestRecordedMs };
}

/** What the nightly run needs of a household: its state and the revision to append after. */
export interface HouseholdForDecision {
  state: HouseholdState;
  revision: number;
  latestRecordedMs: number;
  /** The cache's own entry (kept up to date), not a view as of an earlier instant. */
  cached: boolean;
  /** Revision of the last snapshot read or written for this state (-1: none). */
  snapshotRevision: number;
  /** The incremental-evaluation memos of this state (absent when the layer is off). */
  evaluation?: IncrementalEvaluation | undefined;
}

interface SnapshotData {
  latestRecordedMs: number;
  household: HouseholdSnapshot;
  /** What the incremental layer knew of this state's months (a cache, like the snapshot itself). */
  incremental?: SavedEvaluation;
  /**
   * EVENT_SCHEMAS_FINGERPRINT of the engine that folded it, which refuses any event it cannot read: so
   * every event before the snapshot was known. A snapshot without it (or of other schemas) is not used.
   */
  eventSchemas?: string;
}

/**
 * The household as it stands now: from its snapshot (when there is one this engine can read) plus the
 * events after it, else folded from the first event. The same state either way: a snapshot is only
 * ever written from a state folded from the same events (snapshot.unit.test.ts checks the round trip).
 */
export async function loadLatestHousehold(
  store: EventStore,
  householdId: string,
  layer?: IncrementalLayer | null,
): Promise<HouseholdForDecision> {
  const fromSnapshot = await loadFromSnapshot(store, householdId, layer);
  if (fromSnapshot) return fromSnapshot;
  const loaded = await loadHousehold(store, householdId);
  return {
    state: loaded.state,
    revision: loaded.revision,
    latestRecordedMs: loaded.latestRecordedMs,
    cached: false,
    snapshotRevision: -1,
    evaluation: layer?.forHousehold(),
  };
}

/**
 * Snapshot + the events after it, or null when there is no snapshot this engine can use: none, another
 * format, unreadable, or one the stream does not reach (a store restored without its snapshots in step).
 * A bad snapshot costs a full fold, never a wrong state or a household that cannot be settled.
 */
async function loadFromSnapshot(
  store: EventStore,
  householdId: string,
  layer: IncrementalLayer | null | undefined,
): Promise<HouseholdForDecision | null> {
  const streamName = householdStream(householdId);
  let entry: HouseholdForDecision | null;
  try {
    entry = entryOfSnapshot(await store.readSnapshot(streamName), layer);
  } catch {
    return null;
  }
  if (!entry) return null;
  // From the snapshot's own last event: it must be there, or the snapshot is ahead of the stream. As
  // text: that event is only looked at for its revision, so its data is never parsed.
  const [last, ...tail] = await store.readStreamText(streamName, { fromRevision: entry.revision });
  if (!last || last.streamRevision !== entry.revision) return null;
  foldTail(
    entry,
    tail.map(({ dataText, ...rest }) => ({ ...rest, data: JSON.parse(dataText) })),
  );
  return entry;
}

/** The state a snapshot holds, if this engine can use it (its own format and event schemas); else null. */
function entryOfSnapshot(
  snapshot: StateSnapshot | null,
  layer: IncrementalLayer | null | undefined,
): HouseholdForDecision | null {
  if (!snapshot || snapshot.format !== SNAPSHOT_FORMAT) return null;
  const data = snapshot.data as SnapshotData;
  const state = stateFromSnapshot(data.household);
  if (!state || typeof data.latestRecordedMs !== 'number' || data.eventSchemas !== EVENT_SCHEMAS_FINGERPRINT)
    return null;
  return {
    state,
    revision: snapshot.revision,
    latestRecordedMs: data.latestRecordedMs,
    cached: false,
    snapshotRevision: snapshot.revision,
    evaluation: layer?.forHousehold(data.incremental),
  };
}

/**
 * Cold loads of several households in two round trips (their snapshots, then the events from each
 * snapshot's revision on, or every event), as loadLatestHousehold would load each. Null where a
 * snapshot cannot be used as read (unreadable, ahead of its stream): loadLatestHousehold decides then.
 */
async function loadLatestHouseholds(
  store: EventStore,
  householdIds: readonly string[],
  layer: IncrementalLayer | null | undefined,
): Promise<(HouseholdForDecision | null)[]> {
  const names = householdIds.map(householdStream);
  const entries = (await store.readSnapshots(names)).map((snapshot) => {
    try {
      return entryOfSnapshot(snapshot, layer);
    } catch {
      return null;
    }
  });
  const read = await store.readStreams(
    names.map((streamName, i) => ({ streamName, fromRevision: entries[i]?.revision ?? 0 })),
  );
  return householdIds.map((householdId, i) => {
    const entry = entries[i];
    const recorded = read[i]!;
    if (entry) {
      const [last, ...tail] = recorded;
      if (!last || last.streamRevision !== entry.revision) return null;
      foldTail(entry, tail);
      return entry;
    }
    const last = recorded[recorded.length - 1];
    return {
      state: foldHousehold(recorded.map(toHouseholdEvent), initialHouseholdState()),
      revision: last ? last.streamRevision : -1,
      latestRecordedMs: recorded.reduce((m, r) => Math.max(m, Date.parse(r.recordedAt)), -Infinity),
      cached: false,
      snapshotRevision: -1,
      evaluation: layer?.forHousehold(),
    };
  });
}

function foldTail(entry: HouseholdForDecision, tail: readonly RecordedEvent[]): void {
  for (const r of tail) {
    // Read first: an event this engine cannot read throws before the entry counts it as folded.
    const event = toHouseholdEvent(r);
    entry.revision = r.streamRevision;
    entry.latestRecordedMs = Math.max(entry.latestRecordedMs, Date.parse(r.recordedAt));
    evolve(entry.state, event);
  }
}

/**
 * Folded household states kept between nightly runs in one process, least recently used first out:
 * each load reads only the events appended since (by any process). Only the state is kept, not the
 * events. Bounded: at national scale the states do not all fit in memory, and a household that is
 * not cached starts from its snapshot.
 */
export class HouseholdCache {
  private readonly entries = new Map<string, HouseholdForDecision>();
  constructor(
    private readonly maxEntries = 10_000,
    /** The incremental-evaluation layer, or null to decide without it (SETTLEMENT_INCREMENTAL=off). */
    private readonly layer: IncrementalLayer | null = null,
  ) {}

  /**
   * The household as it stood at `asOf` (SPEC §6: a run decides on the inputs recorded up to its
   * instant), with the revision of the whole stream for the next append.
   */
  async loadAsOf(store: EventStore, householdId: string, asOf: string): Promise<HouseholdForDecision> {
    const current = await this.load(store, householdId);
    if (current.latestRecordedMs <= Date.parse(asOf)) return current;
    // Events recorded after the instant (a backfill, a night run late): fold only what was known then.
    const known = await loadHousehold(store, householdId, asOf);
    return {
      state: known.state,
      revision: current.revision,
      latestRecordedMs: current.latestRecordedMs,
      cached: false,
      snapshotRevision: -1,
      evaluation: this.layer?.forHousehold(),
    };
  }

  async load(store: EventStore, householdId: string): Promise<HouseholdForDecision> {
    const cached = this.entries.get(householdId);
    if (!cached) {
      const entry = { ...(await loadLatestHousehold(store, householdId, this.layer)), cached: true };
      while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(householdId, entry);
      return entry;
    }
    // Most recently used last: a Map iterates in insertion order.
    this.entries.delete(householdId);
    this.entries.set(householdId, cached);
    foldTail(cached, await store.readStream(householdStream(householdId), { fromRevision: cached.revision + 1 }));
    return cached;
  }

  /**
   * Each household as load() would give it, the cached ones' new events read in one readStreams (one
   * round trip for a segment of ingest instead of one per household), the others' snapshots and
   * events in two more (one by one only where a snapshot cannot be used as read).
   */
  async loadMany(store: EventStore, householdIds: Iterable<string>): Promise<Map<string, HouseholdForDecision>> {
    const out = new Map<string, HouseholdForDecision>();
    const ids = [...new Set(householdIds)];
    const cached = ids.filter((id) => this.entries.has(id));
    const tails = await store.readStreams(
      cached.map((id) => ({ streamName: householdStream(id), fromRevision: this.entries.get(id)!.revision + 1 })),
    );
    for (const [i, id] of cached.entries()) {
      const entry = this.entries.get(id);
      // Gone meanwhile (forgotten by a writer): load() reads it as it stands.
      if (!entry) continue;
      this.entries.delete(id);
      this.entries.set(id, entry);
      foldTail(entry, tails[i]!);
      out.set(id, entry);
    }
    const cold = ids.filter((id) => !out.has(id) && !this.entries.has(id));
    for (const [i, loaded] of (cold.length > 0 ? await loadLatestHouseholds(store, cold, this.layer) : []).entries()) {
      if (!loaded || this.entries.has(cold[i]!)) continue;
      const entry = { ...loaded, cached: true };
      while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(cold[i]!, entry);
      out.set(cold[i]!, entry);
    }
    for (const id of ids) if (!out.has(id)) out.set(id, await this.load(store, id));
    return out;
  }

  /**
   * Our own append after `entry` (a state this cache handed out, cached or since evicted): fold it in,
   * so that neither the next load nor the snapshot reads it back.
   */
  applyAppended(
    householdId: string,
    entry: HouseholdForDecision,
    events: readonly HouseholdEvent[],
    revision: number,
    recordedAtMs: number,
  ): boolean {
    if (!entry.cached || revision !== entry.revision + events.length) {
      // Not exactly our events after our revision (a concurrent writer, skipped duplicates): reload next time.
      this.entries.delete(householdId);
      return false;
    }
    for (const e of events) evolve(entry.state, e);
    entry.revision = revision;
    entry.latestRecordedMs = Math.max(entry.latestRecordedMs, recordedAtMs);
    return true;
  }

  /**
   * A snapshot of the up-to-date `entry` when at least `everyEvents` events were folded since its last
   * one: a cold load then reads the snapshot and fewer than that many events.
   */
  snapshotDue(householdId: string, entry: HouseholdForDecision, everyEvents: number): StateSnapshot | null {
    if (!entry.cached || entry.revision - entry.snapshotRevision < everyEvents) return null;
    entry.snapshotRevision = entry.revision;
    const data: SnapshotData = {
      latestRecordedMs: entry.latestRecordedMs,
      household: snapshotOf(entry.state),
      eventSchemas: EVENT_SCHEMAS_FINGERPRINT,
      ...(entry.evaluation ? { incremental: entry.evaluation.save() } : {}),
    };
    return { streamName: householdStream(householdId), revision: entry.revision, format: SNAPSHOT_FORMAT, data };
  }

  forget(householdId: string): void {
    this.entries.delete(householdId);
  }
}
