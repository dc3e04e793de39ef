import type { EventStore } from '@bijstand/event-store';
import { loadHousehold } from '@bijstand/platform';
import { caseFileOf, type CaseFile } from '@bijstand/documents';

/**
 * The shell side: a household's case file from the store as it stood at `asOf`, or, without one,
 * as it stands (every event recorded; its as-of instant is the latest of them). Null without a case.
 */
export async function loadCaseFile(store: EventStore, householdId: string, asOf?: string): Promise<CaseFile | null> {
  const { state, events, recorded } = await loadHousehold(store, householdId, asOf);
  if (state.householdId === null) return null;
  const latest = recorded.reduce((m, r) => (r.recordedAt > m ? r.recordedAt : m), recorded[0]!.recordedAt);
  return caseFileOf(householdId, asOf ?? latest, events);
}
