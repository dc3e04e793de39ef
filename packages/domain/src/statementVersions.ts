import { CommandRejected } from './caseEvents.js';
import type { Instant } from './dates.js';
import { decide, type DecisionContext } from './decider.js';
import type { HouseholdEvent, InputChannel } from './events.js';
import { statementKey, type HouseholdState } from './household.js';
import type { PolisIncomeStatement } from './schemas.js';

/**
 * Versions of one statement key (bsn, income relationship, period) that arrive out of order
 * (issue #12, 4 and 6). SPEC v2 §1.1: a correction is a full replacement for its key, a withdrawal
 * takes it out. So:
 * - an initial for a key that already holds a correction or withdrawal from the same source is an
 *   older version arriving late: it is refused as superseded (in force stays what replaced it), which
 *   makes the outcome the same whichever came first;
 * - a correction or withdrawal for a key never seen is recorded (it is the first version known) and
 *   flagged for the consultant: its initial may never have reached us.
 */
export type VersionVerdict =
  | { kind: 'record' }
  | { kind: 'record-flagged'; flag: 'correction-without-initial' | 'withdrawal-without-initial' }
  | { kind: 'superseded'; reason: string };

export function statementVersionVerdict(
  state: Pick<HouseholdState, 'statementsByKey' | 'seenMessageIds'>,
  statement: PolisIncomeStatement,
): VersionVerdict {
  if (state.seenMessageIds.has(statement.messageId)) return { kind: 'record' }; // a re-delivery: the decider makes it a no-op
  const known = state.statementsByKey.get(statementKey(statement))?.[statement.source];
  if (statement.kind === 'initial') {
    if (known && known.statement.kind !== 'initial') {
      return {
        kind: 'superseded',
        reason: `kind: superseded: this initial statement arrived after the ${known.statement.kind} (messageId ${known.statement.messageId}) of the same income relationship and period, which stays in force (SPEC §1.1)`,
      };
    }
    return { kind: 'record' };
  }
  if (!known)
    return {
      kind: 'record-flagged',
      flag: statement.kind === 'correction' ? 'correction-without-initial' : 'withdrawal-without-initial',
    };
  return { kind: 'record' };
}

/**
 * What recording a statement on a household as it stands comes to (pure; the per-message path and the
 * batched path of ingestBatch both decide with it): the events to append (none: a re-delivery), with
 * the flag to alert on once they are recorded; or the reason it is refused.
 */
export type StatementDecision =
  | {
      kind: 'append';
      events: HouseholdEvent[];
      flag: Extract<VersionVerdict, { kind: 'record-flagged' }>['flag'] | null;
    }
  | { kind: 'refused'; reason: string };

export function decideOnStatement(
  state: HouseholdState,
  statement: PolisIncomeStatement,
  recordedAt: Instant,
  channel: InputChannel,
  ctx: DecisionContext,
): StatementDecision {
  const verdict = statementVersionVerdict(state, statement);
  if (verdict.kind === 'superseded') return { kind: 'refused', reason: verdict.reason };
  try {
    const events = decide({ type: 'RecordIncomeStatement', statement, recordedAt, channel }, state, ctx);
    return { kind: 'append', events, flag: verdict.kind === 'record-flagged' ? verdict.flag : null };
  } catch (err) {
    if (err instanceof CommandRejected) return { kind: 'refused', reason: err.reason };
    throw err;
  }
}
