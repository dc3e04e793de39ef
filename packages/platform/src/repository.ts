import { evolve, foldHousehold, initialHouseholdState, type HouseholdEvent, type HouseholdState } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import { householdStream } from './streams.js';
import { isHouseholdEvent, toHouseholdEvent } from './serialization.js';

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
  const events = recorded.filter(isHouseholdEvent).map(toHouseholdEvent);
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
}

/**
 * Folded household states kept between nightly runs in one process: each load reads only the events
 * appended since (by any process), instead of folding the whole stream again. Only the state is kept,
 * not the events: at national scale the explanations would not fit in memory.
 */
export class HouseholdCache {
  private readonly entries = new Map<string, HouseholdForDecision>();
  constructor(private readonly maxEntries = 200_000) {}

  /**
   * The household as it stood at `asOf` (SPEC §6: a run decides on the inputs recorded up to its
   * instant), with the revision of the whole stream for the next append.
   */
  async loadAsOf(store: EventStore, householdId: string, asOf: string): Promise<HouseholdForDecision> {
    const current = await this.load(store, householdId);
    if (current.latestRecordedMs <= Date.parse(asOf)) return current;
    // Events recorded after the instant (a backfill, a night run late): fold only what was known then.
    const known = await loadHousehold(store, householdId, asOf);
    return { state: known.state, revision: current.revision, latestRecordedMs: current.latestRecordedMs, cached: false };
  }

  async load(store: EventStore, householdId: string): Promise<HouseholdForDecision> {
    const cached = this.entries.get(householdId);
    if (!cached) {
      const loaded = await loadHousehold(store, householdId);
      const entry = { state: loaded.state, revision: loaded.revision, latestRecordedMs: loaded.latestRecordedMs, cached: true };
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(householdId, entry);
      return entry;
    }
    for (const r of await store.readStream(householdStream(householdId), { fromRevision: cached.revision + 1 })) {
      cached.revision = r.streamRevision;
      cached.latestRecordedMs = Math.max(cached.latestRecordedMs, Date.parse(r.recordedAt));
      if (isHouseholdEvent(r)) evolve(cached.state, toHouseholdEvent(r));
    }
    return cached;
  }

  /** Our own append: fold it into the cached state, so the next load does not read it back. */
  applyAppended(householdId: string, events: readonly HouseholdEvent[], revision: number, recordedAtMs: number): boolean {
    const cached = this.entries.get(householdId);
    if (!cached || revision !== cached.revision + events.length) {
      // Not exactly our events after our revision (a concurrent writer, skipped duplicates): reload next time.
      this.entries.delete(householdId);
      return false;
    }
    for (const e of events) evolve(cached.state, e);
    cached.revision = revision;
    cached.latestRecordedMs = Math.max(cached.latestRecordedMs, recordedAtMs);
    return true;
  }

  forget(householdId: string): void {
    this.entries.delete(householdId);
  }
}
