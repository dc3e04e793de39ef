import type { EventStore } from '@bijstand/event-store';
import { householdStream, toHouseholdEvent } from '@bijstand/platform';
import { resultOf, type HouseholdRunResult } from './runSummary.js';

/**
 * A household job taken over from a worker that died after its append but before it reported (BullMQ
 * hands a stalled job to another worker): the night's decisions are in the store, so deciding again
 * appends nothing, and the night's figures would leave them out. For such a retry, a household for which
 * this attempt appended nothing counts what this night stored for it (the decisions carry the night's
 * correlation id), so the summary of a night with a crash equals that of a night without one.
 */
export async function withEarlierAttempt(
  store: EventStore,
  runDate: string,
  results: readonly HouseholdRunResult[],
): Promise<HouseholdRunResult[]> {
  const night = `nightly:${runDate}`;
  return Promise.all(
    results.map(async (r) => {
      if (r.appended > 0) return r;
      const stored = (await store.readStream(householdStream(r.householdId)))
        .filter((e) => e.metadata?.correlationId === night)
        .map(toHouseholdEvent);
      return stored.length === 0 ? r : resultOf(r.householdId, r, stored, stored.length, r.municipality ?? null);
    }),
  );
}
