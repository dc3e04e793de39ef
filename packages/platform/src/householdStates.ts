import type { HouseholdState } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { loadHousehold, loadLatestHousehold } from './repository.js';
import { HOUSEHOLD_STREAM_PREFIX, householdIdOfStream } from './streams.js';

/**
 * Every household of the store with its state, as of `asOf` (folded up to that instant) or now (from its
 * snapshot when there is one), in stream order; a stream without events as of then is left out.
 */
export async function listHouseholdStates(
  store: EventStore,
  asOf?: string,
): Promise<Array<{ id: string; state: HouseholdState }>> {
  const households: Array<{ id: string; state: HouseholdState }> = [];
  for (const stream of await store.listStreams(HOUSEHOLD_STREAM_PREFIX)) {
    const id = householdIdOfStream(stream);
    const { state } = asOf ? await loadHousehold(store, id, asOf) : await loadLatestHousehold(store, id);
    if (state.householdId !== null) households.push({ id, state });
  }
  return households;
}
