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
}

/** Rebuild a household from its stream (optionally as it stood at `asOf`). */
export async function loadHousehold(store: EventStore, householdId: string, asOf?: string): Promise<LoadedHousehold> {
  const recorded = await store.readStream(householdStream(householdId), asOf ? { asOf } : {});
  const events = recorded.filter(isHouseholdEvent).map(toHouseholdEvent);
  const state = foldHousehold(events, initialHouseholdState());
  const last = recorded[recorded.length - 1];
  return { householdId, state, revision: last ? last.streamRevision : -1, events, recorded };
}

/**
 * Folded household states kept between nightly runs in one process: each load reads only the events
 * appended since (by any process), instead of folding the whole stream again.
 */
export class HouseholdCache {
  private readonly entries = new Map<string, LoadedHousehold>();
  constructor(private readonly maxEntries = 200_000) {}

  async load(store: EventStore, householdId: string): Promise<LoadedHousehold> {
    const cached = this.entries.get(householdId);
    if (!cached) {
      const loaded = await loadHousehold(store, householdId);
      this.remember(loaded);
      return loaded;
    }
    const newer = await store.readStream(householdStream(householdId), { fromRevision: cached.revision + 1 });
    for (const r of newer) {
      cached.recorded.push(r);
      cached.revision = r.streamRevision;
      if (!isHouseholdEvent(r)) continue;
      const e = toHouseholdEvent(r);
      cached.events.push(e);
      evolve(cached.state, e);
    }
    return cached;
  }

  forget(householdId: string): void {
    this.entries.delete(householdId);
  }

  private remember(loaded: LoadedHousehold): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(loaded.householdId, loaded);
  }
}
