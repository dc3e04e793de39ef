import { money, ZERO } from './money.js';
import { monthOf, type Instant, type IsoDate, type YearMonth } from './dates.js';
import type { CaseEvent, PolisIncomeStatement } from './schemas.js';
import { CommandRejected, decideCaseEvent } from './caseEvents.js';
import { casePeriod, copyForDecision, evolve, initialHouseholdState, type HouseholdState } from './household.js';
import type { HouseholdEvent, IncomeStatementRecorded, InputChannel } from './events.js';
import { directEvaluation, type Evaluation, type RulesInForce } from './evaluation.js';
import { policyFor } from './parameters.js';
import { disposalDate, sharesByMonth } from './rules/allocation.js';
import { computeMonth } from './rules/entitlement.js';
import { monthsToSettle, settlementOfMonth } from './rules/settlement.js';
import { paymentIsDue, paydayOf, payeeRuleOn, proposePayment, finalPayment } from './rules/payment.js';
import { giftsAboveFreeAmount, settleDeclarations, sharesGiftsFreeAmount } from './rules/declaredIncome.js';
import { projectIncome } from './rules/projection.js';
import { decideBufferDraw } from './rules/buffer.js';
import {
  alreadyRaised,
  belowMinimumAlert,
  bufferExhaustedAlert,
  disregardEndingAlerts,
  giftsAboveFreeAmountAlerts,
  incomeOutsideCaseAlerts,
  largeClaimAlert,
  newIncomeRelationshipAlerts,
  raiseAlerts,
  type PendingAlert,
} from './rules/alerts.js';

export type RunNightly = { type: 'RunNightly'; runDate: IsoDate; runAt: Instant; rulesVersion: string };
/** The bufferbudget decision on a proposed payment; the payment is final after it. */
export type DecideBuffer = { type: 'DecideBuffer'; month: YearMonth; runDate: IsoDate; rulesVersion: string };
export type HouseholdCommand =
  | { type: 'RecordCaseEvent'; event: CaseEvent; recordedAt: Instant }
  | { type: 'RecordIncomeStatement'; statement: PolisIncomeStatement; recordedAt: Instant; channel?: InputChannel }
  | RunNightly
  | DecideBuffer;

/** Rules in force for a decision, as arguments (functional core); `evaluation` defaults to computing everything. */
export interface DecisionContext extends RulesInForce {
  evaluation?: Evaluation | undefined;
}

export { CommandRejected };

/** The household decider (Emmett style): decide(command, state) → events; evolve folds them. */
export const householdDecider = Object.freeze({ decide, evolve, initialState: initialHouseholdState });

export function decide(command: HouseholdCommand, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  switch (command.type) {
    case 'RecordCaseEvent':
      return decideCaseEvent(command.event, command.recordedAt, state, ctx.params);
    case 'RecordIncomeStatement':
      return decideStatement(command.statement, command.recordedAt, command.channel ?? 'unknown', state);
    case 'RunNightly':
      return decideNightlyRun(command, state, ctx);
    case 'DecideBuffer':
      return decideBuffer(command, state, ctx);
  }
}

function decideStatement(
  statement: PolisIncomeStatement,
  recordedAt: Instant,
  channel: InputChannel,
  state: HouseholdState,
): HouseholdEvent[] {
  if (state.householdId === null) throw new CommandRejected('bsn: no case is opened for this household yet');
  if (!state.members.some((m) => m.bsn === statement.bsn))
    throw new CommandRejected('bsn: is not a member of this household');
  if (state.seenMessageIds.has(statement.messageId)) return []; // re-delivery is a no-op (SPEC §1.1)
  return [statementRecorded(statement, recordedAt, channel)];
}

/** The event recording a statement of a member of an open case. */
export function statementRecorded(
  statement: PolisIncomeStatement,
  recordedAt: Instant,
  channel: InputChannel,
): IncomeStatementRecorded {
  return { type: 'IncomeStatementRecorded', data: { statement, recordedAt, channel } };
}

/** SPEC §6: settle the months due (§6.1), propose the payment of the month (§6.2), raise alerts (§8). */
function decideNightlyRun(cmd: RunNightly, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  const K = casePeriod(state);
  if (!K || state.householdId === null) return [];
  const evaluation = ctx.evaluation ?? directEvaluation;
  const work = copyForDecision(state);
  const events: HouseholdEvent[] = [];
  const alerts: Array<PendingAlert | null> = [];
  const emit = (e: HouseholdEvent) => {
    events.push(e);
    evolve(work, e);
  };

  const due = monthsToSettle(work, cmd.runDate, policyFor(ctx.policy, cmd.runDate).settlementLagMonths).filter(
    (m) => !evaluation.monthUnchanged(work, K, ctx, m),
  );
  const statements = evaluation
    .statementsLandingIn(work, K, new Set(due))
    .map((r) => evaluation.statementSettlement(r, K, ctx));
  const shares = sharesByMonth([...statements, ...settleDeclarations(work.declarations.values(), K, ctx.params)]);
  for (const month of due) {
    const c = computeMonth(month, work, K, shares.get(month) ?? [], ctx.params);
    const before = {
      previous: work.months.get(month),
      advancePaid: money(work.payments.get(month)?.advance ?? ZERO),
      ledgerBalance: work.ledgerBalance,
      reserveBalance: work.reserveBalance,
    };
    const settled = settlementOfMonth(c, before, cmd.runDate, cmd.rulesVersion);
    if (settled) {
      emit(settled);
      alerts.push(largeClaimAlert(settled.data));
    }
    evaluation.monthComputed(work, K, ctx, month);
  }

  const P = monthOf(cmd.runDate);
  if (paymentIsDue(P, cmd.runDate, work, K, ctx.policy)) {
    const declarations = [...work.declarations.values()].map((d) => d.declaration);
    const projection = projectIncome(
      P,
      evaluation.latestByRelationship(work),
      (s) => evaluation.netIncome(s, ctx).net,
      ctx.policy,
      declarations,
    );
    emit(proposePayment(P, work, K, projection, ctx.params, cmd.runDate, cmd.rulesVersion));
  }

  const unalerted = evaluation
    .statementsThatMayFallOutside(work, K)
    .filter((r) => !alreadyRaised(work, 'income-outside-case', monthOf(disposalDate(r.statement))));
  alerts.push(...incomeOutsideCaseAlerts(unalerted.map((r) => evaluation.statementSettlement(r, K, ctx))));
  alerts.push(...newIncomeRelationshipAlerts(work.firstStatementOfRelationship.values()));
  const gifts = [...work.declarations.values()].map((d) => d.declaration).filter(sharesGiftsFreeAmount);
  if (gifts.length > 0) alerts.push(...giftsAboveFreeAmountAlerts(giftsAboveFreeAmount(gifts, ctx.params)));
  for (const e of raiseAlerts(alerts, work, work.householdId!, cmd.runDate)) emit(e);
  return events;
}

/** SPEC §7 on a proposed payment, then the final payment and its alerts (§8). Nothing pending: nothing to decide. */
function decideBuffer(cmd: DecideBuffer, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  const p = state.pendingPayments.get(cmd.month);
  if (!p || state.householdId === null) return [];
  const proposal = {
    month: p.month,
    normExclHoliday: money(p.normExclHoliday),
    projectedNet: money(p.projectedNet),
    projectedWorkIncome: money(p.projectedWorkIncome),
    gross: money(p.gross),
    offset: money(p.offset),
  };
  const buffer = decideBufferDraw(proposal, state, ctx.params, ctx.policy);
  const [bufferEvent, payment] = finalPayment(
    p,
    buffer,
    payeeRuleOn(paydayOf(p.month, ctx.policy), state),
    cmd.rulesVersion,
  );
  // SPEC §12.11: the non-entitled partner's grants raise disregard-ending like anyone's.
  const pending = [
    belowMinimumAlert(p, payment.data, buffer, ctx.policy),
    bufferExhaustedAlert(p.month, buffer),
    ...disregardEndingAlerts(p.month, state.disregardGrants),
  ];
  const alerts = raiseAlerts(pending, state, state.householdId, cmd.runDate);
  return [bufferEvent, payment, ...alerts];
}
