import type { Instant, PolisIncomeStatement } from '@bijstand/domain';
import type { RecordedEvent } from '@bijstand/event-store';
import { bsnPseudonym, parkedStream } from '@bijstand/platform';
import { routeStatement, type Membership } from './identity.js';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';
import { STATEMENT_PARKED } from './parking.js';
import { releaseParked, releasedMessage, type ParkedData } from './parkedStreams.js';
import { appendStatement } from './statementAppend.js';

/** A statement of a BSN without a case waits in the BSN's parked stream until a case of it opens. */
export async function parkStatement(
  deps: IngestDeps,
  statement: PolisIncomeStatement,
  message: InboundMessage,
): Promise<IngestOutcome> {
  const data: ParkedData<PolisIncomeStatement> = {
    statement,
    payload: message.payload,
    recordedAt: message.recordedAt,
    source: message.source,
  };
  await deps.store.append(parkedStream(statement.bsn), [
    {
      eventId: `statement:${statement.messageId}`,
      type: STATEMENT_PARKED,
      schemaVersion: 1,
      recordedAt: message.recordedAt,
      data,
    },
  ]);
  // Write, then check again: a case opened meanwhile (by another consumer) may have released the
  // parked statements just before this one was parked; releasing again is idempotent.
  const householdId = routeStatement(
    await deps.identity.membershipsOf(statement.bsn, { fresh: true }),
    statement.period,
  );
  if (householdId) {
    await releaseParkedStatements(deps, statement.bsn, message.recordedAt);
    return { status: 'recorded', householdId, appended: 1 };
  }
  deps.logger.info(
    { messageId: statement.messageId, member: bsnPseudonym(statement.bsn) },
    'statement parked: no case for this BSN yet',
  );
  return { status: 'parked' };
}

/**
 * Statements parked before a case of their BSN opened enter their household now: the stored
 * event's recordedAt is this moment (so an as-of replay sees them when the decisions did), the
 * statement keeps its own.
 */
export async function releaseParkedStatements(
  deps: IngestDeps,
  bsn: string,
  releasedAt: Instant,
  read?: RecordedEvent[],
): Promise<Map<string, IngestOutcome>> {
  let memberships: Membership[] | undefined;
  const outcomes = new Map<string, IngestOutcome>();
  await releaseParked<PolisIncomeStatement>(
    deps.store,
    parkedStream(bsn),
    releasedAt,
    async (parked, id) => {
      memberships ??= await deps.identity.membershipsOf(bsn);
      const statement = parked.statement!;
      const householdId = routeStatement(memberships, statement.period)!;
      const released = releasedMessage('statement', parked, statement, releasedAt);
      outcomes.set(id, await appendStatement(deps, householdId, statement, released, parked.recordedAt));
    },
    read,
  );
  return outcomes;
}
