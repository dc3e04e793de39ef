import type { PolisIncomeStatement } from '@bijstand/domain';
import { routeStatement } from './identity.js';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';
import { parkStatement } from './parkedStatements.js';
import { reject } from './rejection.js';
import { appendStatement } from './statementAppend.js';

/**
 * A validated statement: its messageId claimed (the same id with other content is rejected), routed
 * by the identity index to the case holding its period, and appended there; without a case, parked.
 */
export async function recordStatement(
  deps: IngestDeps,
  statement: PolisIncomeStatement,
  message: InboundMessage,
): Promise<IngestOutcome> {
  const conflict = await deps.claims.claim(statement, message.recordedAt);
  if (conflict) return reject(deps, message, conflict, { masked: true });
  const householdId = routeStatement(await deps.identity.membershipsOf(statement.bsn), statement.period);
  if (!householdId) return parkStatement(deps, statement, message);
  return appendStatement(deps, householdId, statement, message, message.recordedAt);
}
