import type { CaseEvent, Instant, PolisIncomeStatement } from '@bijstand/domain';
import type { RecordedEvent } from '@bijstand/event-store';
import { drainParkedCaseEvents } from './casePath.js';
import { routeStatement } from './identity.js';
import type { IngestDeps, IngestOutcome } from './inbound.js';
import { releaseParkedStatements } from './parkedStatements.js';
import type { ParkedData } from './parkedStreams.js';
import { STATEMENT_PARKED } from './parking.js';

/**
 * Places one parked message now if its case is open (its BSN has a case; its household's case is opened):
 * its own outcome, everything else waiting in its stream going along in the order it was parked. Null:
 * its case is still not there.
 */
export async function placeParked(deps: IngestDeps, parked: RecordedEvent, at: Instant): Promise<IngestOutcome | null> {
  if (parked.type === STATEMENT_PARKED) {
    const { bsn, period } = (parked.data as ParkedData<PolisIncomeStatement>).statement!;
    const householdId = routeStatement(await deps.identity.membershipsOf(bsn, { fresh: true }), period);
    if (householdId === null) return null;
    const outcomes = await releaseParkedStatements(deps, bsn, at);
    // Released meanwhile by the case's opening (another process): it is in its household already.
    return outcomes.get(parked.eventId) ?? { status: 'duplicate', householdId };
  }
  const { householdId } = (parked.data as ParkedData<CaseEvent>).event!;
  const household = await deps.households.load(deps.store, householdId);
  if (household.state.householdId === null) return null;
  const outcomes = await drainParkedCaseEvents(deps, householdId, at);
  return outcomes.get(parked.eventId) ?? { status: 'duplicate', householdId };
}
