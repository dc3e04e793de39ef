import type { HouseholdState } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { HOUSEHOLD_STREAM_PREFIX, householdIdOfStream, loadHousehold, loadLatestHousehold } from '@bijstand/platform';
import { UsageError } from '../args.js';
import { explainMonth, hasOpenClaim, householdListText, householdStatus, householdView } from '@bijstand/documents';
import { municipalityFilter, withStore } from './shared.js';

export interface HouseholdListOptions {
  status?: 'open' | 'closed';
  claim?: 'yes' | 'no';
  asOf?: string;
  municipality?: string;
  store?: string;
}

async function stateOf(store: EventStore, householdId: string, asOf: string | undefined): Promise<HouseholdState> {
  return asOf
    ? (await loadHousehold(store, householdId, asOf)).state
    : (await loadLatestHousehold(store, householdId)).state;
}

export async function householdListCommand(options: HouseholdListOptions): Promise<void> {
  await withStore(options, 'read-only', async (store, env) => {
    const belongs = municipalityFilter(env, options.municipality);
    const shown: Array<{ id: string; state: HouseholdState }> = [];
    for (const stream of await store.listStreams(HOUSEHOLD_STREAM_PREFIX)) {
      const id = householdIdOfStream(stream);
      const s = await stateOf(store, id, options.asOf);
      if (s.householdId === null) continue;
      if (options.status && householdStatus(s) !== options.status) continue;
      if (options.claim && (options.claim === 'yes') !== hasOpenClaim(s)) continue;
      if (belongs && !belongs(s.municipality)) continue;
      shown.push({ id, state: s });
    }
    process.stdout.write(householdListText(shown));
  });
}

export async function householdShowCommand(
  householdId: string,
  options: { month?: string; asOf?: string; store?: string },
): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const household = await loadHousehold(store, householdId, options.asOf);
    if (household.state.householdId === null)
      throw new UsageError(
        `household ${householdId} has no events${options.asOf ? ' as of that instant' : ''} in this store (${store.name}); \`./cli household list\` shows the households there`,
      );
    process.stdout.write(
      options.month
        ? `${explainMonth(household.events, options.month)}\n`
        : householdView(householdId, household, options.asOf),
    );
  });
}
