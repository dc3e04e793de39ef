import type { EventStore } from '@bijstand/event-store';
import { loadHousehold } from '@bijstand/platform';
import { caseFileOf, type CaseFile } from './caseFile.js';

/** The shell side: a household's case file from the store as it stood at `asOf`; null when it has no case. */
export async function loadCaseFile(store: EventStore, householdId: string, asOf: string): Promise<CaseFile | null> {
  const { state, events } = await loadHousehold(store, householdId, asOf);
  if (state.householdId === null) return null;
  return caseFileOf(householdId, asOf, events);
}
