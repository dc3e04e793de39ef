import { listHouseholdStates, loadHousehold } from '@bijstand/platform';
import { UsageError } from '../args.js';
import { explainMonth, householdListed, householdListText, householdView } from '@bijstand/documents';
import { municipalityFilter, withStore } from './shared.js';

export interface HouseholdListOptions {
  status?: 'open' | 'closed';
  claim?: 'yes' | 'no';
  asOf?: string;
  municipality?: string;
  store?: string;
}

export async function householdListCommand(options: HouseholdListOptions): Promise<void> {
  await withStore(options, 'read-only', async (store, env) => {
    const belongs = municipalityFilter(env, options.municipality);
    const states = await listHouseholdStates(store, options.asOf);
    const shown = states.filter(({ state }) => householdListed(state, { ...options, belongs }));
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
