import { money, ZERO } from './money.js';
import { monthOf, type Instant, type IsoDate, type YearMonth } from './dates.js';
import type { CaseEvent, PolisIncomeStatement } from './schemas.js';
import { casePeriod, copyForDecision, evolve, initialHouseholdState, type HouseholdState } from './household.js';
import type { HouseholdEvent, IncomeStatementRecorded, InputChannel } from './events.js';
import { directEvaluation, type Evaluation, type RulesInForce } from './evaluation.js';
import { disposalDate, sharesByMonth } from './rules/allocation.js';
import { computeMonth } from './rules/entitlement.js';
import { monthsToSettle, settlementOfMonth } from './rules/settlement.js';
import { paymentIsDue, proposePayment, finalPayment } from './rules/payment.js';
import { projectIncome } from './rules/projection.js';
import { decideBufferDraw } from './rules/buffer.js';
import { alreadyRaised, belowMinimumAlert, bufferExhaustedAlert, incomeOutsideCaseAlerts, largeClaimAlert, newIncomeRelationshipAlerts, raiseAlerts, type PendingAlert } from './rules/alerts.js';

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

/** A command that the household's history does not allow, with the rule it breaks. */
export class CommandRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CommandRejected';
  }
}

/** The household decider (Emmett style): decide(command, state) → events; evolve folds them. */
export const householdDecider = Object.freeze({ decide, evolve, initialState: initialHouseholdState });

export function decide(command: HouseholdCommand, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  switch (command.type) {
    case 'RecordCaseEvent':
      return decideCaseEvent(command.event, command.recordedAt, state);
    case 'RecordIncomeStatement':
      return decideStatement(command.statement, command.recordedAt, command.channel ?? 'unknown', state);
    case 'RunNightly':
      return decideNightlyRun(command, state, ctx);
    case 'DecideBuffer':
      return decideBuffer(command, state, ctx);
  }
}

function decideCaseEvent(event: CaseEvent, recordedAt: Instant, state: HouseholdState): HouseholdEvent[] {
  if (state.householdId !== null && event.householdId !== state.householdId) throw new CommandRejected(`householdId: ${event.householdId} is not this household (${state.householdId})`);
  if (event.type === 'CaseOpened') {
    if (state.householdId === null) return [{ type: 'CaseOpened', data: { ...event, recordedAt } }];
    if (isSameOpening(event, state)) return []; // re-delivery of the same opening
    throw new CommandRejected('type: a different case is already opened for this household');
  }
  if (state.householdId === null) throw new CommandRejected(`householdId: no case opened for ${event.householdId}`);
  switch (event.type) {
    case 'HouseholdChanged':
      return [{ type: 'HouseholdChanged', data: { ...event, recordedAt } }];
    case 'CaseClosed':
      if (event.endDate < state.startDate!) throw new CommandRejected(`endDate: must not be before the case start ${state.startDate}`);
      return state.endDate === event.endDate ? [] : [{ type: 'CaseClosed', data: { ...event, recordedAt } }];
    case 'EarningsDisregardGranted':
      if (!state.members.some((m) => m.bsn === event.bsn)) throw new CommandRejected('bsn: is not a member of this household');
      if (state.disregardGrants.some((g) => g.bsn === event.bsn && g.from === event.from && g.to === event.to)) return [];
      return [{ type: 'EarningsDisregardGranted', data: { ...event, recordedAt } }];
  }
}

function isSameOpening(event: Extract<CaseEvent, { type: 'CaseOpened' }>, state: HouseholdState): boolean {
  const opening = state.compositions[0];
  return (
    state.startDate === event.startDate &&
    opening?.category === event.category &&
    opening.costSharers === event.costSharers &&
    JSON.stringify(state.members) === JSON.stringify(event.members.map((m) => ({ bsn: m.bsn, role: m.role })))
  );
}

function decideStatement(statement: PolisIncomeStatement, recordedAt: Instant, channel: InputChannel, state: HouseholdState): HouseholdEvent[] {
  if (state.householdId === null) throw new CommandRejected('bsn: no case is opened for this household yet');
  if (!state.members.some((m) => m.bsn === statement.bsn)) throw new CommandRejected('bsn: is not a member of this household');
  if (state.seenMessageIds.has(statement.messageId)) return []; // re-delivery is a no-op (SPEC §1.1)
  return [statementRecorded(statement, recordedAt, channel)];
}

/** The event recording a statement of a member of an open case. */
export function statementRecorded(statement: PolisIncomeStatement, recordedAt: Instant, channel: InputChannel): IncomeStatementRecorded {
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

  const due = monthsToSettle(work, cmd.runDate, ctx.policy.settlementLagMonths).filter((m) => !evaluation.monthUnchanged(work, K, ctx, m));
  const shares = sharesByMonth(evaluation.statementsLandingIn(work, K, new Set(due)).map((r) => evaluation.statementSettlement(r, K, ctx)));
  for (const month of due) {
    const c = computeMonth(month, work, K, shares.get(month) ?? [], ctx.params);
    const before = { previous: work.months.get(month), advancePaid: money(work.payments.get(month)?.advance ?? ZERO), ledgerBalance: work.ledgerBalance, reserveBalance: work.reserveBalance };
    const settled = settlementOfMonth(c, before, cmd.runDate, cmd.rulesVersion);
    if (settled) {
      emit(settled);
      alerts.push(largeClaimAlert(settled.data));
    }
    evaluation.monthComputed(work, K, ctx, month);
  }

  const P = monthOf(cmd.runDate);
  if (paymentIsDue(P, cmd.runDate, work, K, ctx.policy)) {
    const projection = projectIncome(P, evaluation.latestByRelationship(work), (s) => evaluation.netIncome(s, ctx).net, ctx.policy);
    emit(proposePayment(P, work, K, projection, ctx.params, cmd.runDate, cmd.rulesVersion));
  }

  const unalerted = evaluation.statementsThatMayFallOutside(work, K).filter((r) => !alreadyRaised(work, 'income-outside-case', monthOf(disposalDate(r.statement))));
  alerts.push(...incomeOutsideCaseAlerts(unalerted.map((r) => evaluation.statementSettlement(r, K, ctx))));
  alerts.push(...newIncomeRelationshipAlerts(work.firstStatementOfRelationship.values()));
  for (const e of raiseAlerts(alerts, work, work.householdId!, cmd.runDate)) emit(e);
  return events;
}

/** SPEC §7 on a proposed payment, then the final payment and its alerts (§8). Nothing pending: nothing to decide. */
function decideBuffer(cmd: DecideBuffer, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  const p = state.pendingPayments.get(cmd.month);
  if (!p || state.householdId === null) return [];
  const proposal = { month: p.month, normExclHoliday: money(p.normExclHoliday), projectedNet: money(p.projectedNet), gross: money(p.gross), offset: money(p.offset) };
  const buffer = decideBufferDraw(proposal, state, ctx.params, ctx.policy);
  const [bufferEvent, payment] = finalPayment(p, buffer, cmd.rulesVersion);
  const alerts = raiseAlerts([belowMinimumAlert(p, payment.data, buffer, ctx.policy), bufferExhaustedAlert(p.month, buffer)], state, state.householdId, cmd.runDate);
  return [bufferEvent, payment, ...alerts];
}
