import { CommandRejected, decideOnStatement, type Instant, type PolisIncomeStatement } from '@bijstand/domain';
import { maskBsn } from '@bijstand/platform';
import { decideAndAppend } from './householdAppend.js';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';
import type { IngestAlert } from './ingestAlerts.js';
import { raiseIngestAlert } from './raiseIngestAlert.js';

/**
 * A statement enters its household (on arrival, or released from parking with its own recordedAt):
 * the versions rule of SPEC §1.1 and the decider say what is appended; a correction or withdrawal
 * without its initial is recorded and the consultant alerted.
 */
export async function appendStatement(
  deps: IngestDeps,
  householdId: string,
  statement: PolisIncomeStatement,
  message: InboundMessage,
  statementRecordedAt: Instant,
): Promise<IngestOutcome> {
  let flag: IngestAlert['kind'] | null = null;
  const outcome = await decideAndAppend(deps, householdId, message, `statement:${statement.messageId}`, (state) => {
    const decision = decideOnStatement(state, statement, statementRecordedAt, message.source.type, deps.ctx);
    if (decision.kind === 'refused') throw new CommandRejected(decision.reason);
    flag = decision.flag;
    return decision.events;
  });
  if (flag && outcome.status === 'recorded') {
    const reason =
      flag === 'correction-without-initial'
        ? 'a correction arrived for an income relationship and period without an initial statement; recorded as the first version known (SPEC §1.1)'
        : 'a withdrawal arrived for an income relationship and period without a statement to withdraw; recorded, nothing is in force for it (SPEC §1.1)';
    await raiseIngestAlert(deps, `${flag}:${statement.messageId}`, {
      kind: flag,
      householdId,
      member: maskBsn(statement.bsn),
      reference: statement.messageId,
      reason,
      raisedAt: message.recordedAt,
    });
  }
  return outcome;
}
