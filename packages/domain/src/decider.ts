import { money, max, min, ZERO, fmt, type Money } from './money.js';
import { addMonths, daysInMonth, firstDay, lastDay, intersect, monthNumber, monthOf, monthPeriod, monthsBetween, contains, type Instant, type IsoDate, type YearMonth } from './dates.js';
import { lookup, describeRow, type ParameterTables } from './parameters.js';
import type { CaseEvent, PolisIncomeStatement, Policy } from './schemas.js';
import { LegalRef, TraceBuilder } from './trace.js';
import { alertKey, casePeriod, evolve, type HouseholdState } from './household.js';
import type { AlertKind, AlertRaised, HouseholdEvent, IncomeStatementRecorded, InputChannel, MonthSettled, PaymentMade, PaymentProposed } from './events.js';
import { allocateAll, computeMonth, type MonthComputation } from './rules/entitlement.js';
import { normOfMonth } from './rules/norm.js';
import { earningsDisregard } from './rules/disregard.js';
import { projectIncome } from './rules/projection.js';
import { decideBufferDraw, type BufferDecision } from './rules/buffer.js';
import { disposalDate, mayFallOutsideCase, targetMonths } from './rules/allocation.js';
import { fingerprint } from './fingerprint.js';
import { ENGINE_VERSION } from './version.js';
import type { RecordedStatement } from './household.js';

export type HouseholdCommand =
  | { type: 'RecordCaseEvent'; event: CaseEvent; recordedAt: Instant }
  | { type: 'RecordIncomeStatement'; statement: PolisIncomeStatement; recordedAt: Instant; channel?: InputChannel }
  | { type: 'RunNightly'; runDate: IsoDate; runAt: Instant; rulesVersion: string }
  /** The buffer process manager's decision on a proposed payment; the payment is final after it. */
  | { type: 'DecideBuffer'; month: YearMonth; runDate: IsoDate; rulesVersion: string };

/** Parameters and policy in force for a decision: arguments, never globals (functional core). */
export interface DecisionContext {
  params: ParameterTables;
  policy: Policy;
}

/** A command that the household's history does not allow, with the rule it breaks. */
export class CommandRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CommandRejected';
  }
}

export function decide(command: HouseholdCommand, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  switch (command.type) {
    case 'RecordCaseEvent':
      return decideCaseEvent(command.event, command.recordedAt, state);
    case 'RecordIncomeStatement':
      return decideStatement(command.statement, command.recordedAt, command.channel ?? 'unknown', state);
    case 'RunNightly':
      return decideNightlyRun(command, state, ctx);
    case 'DecideBuffer':
      return decideBufferAndPay(command, state, ctx);
  }
}

/** Any command as the services decide it: a nightly run is followed by the buffer decision. */
export function decideWithBuffer(command: HouseholdCommand, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  return command.type === 'RunNightly' ? decideNight(command, state, ctx) : decide(command, state, ctx);
}

/**
 * A whole night for one household as the services run it: the nightly run, then the buffer decision
 * for the payment it proposed. Used where no process manager runs in between (simulation, replay).
 */
export function decideNight(cmd: Extract<HouseholdCommand, { type: 'RunNightly' }>, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  const events = decide(cmd, state, ctx);
  const proposals = events.filter((e) => e.type === 'PaymentProposed');
  if (proposals.length === 0) return events;
  const after = copyForRun(state);
  for (const e of events) evolve(after, e);
  for (const p of proposals) {
    for (const e of decideBufferAndPay({ type: 'DecideBuffer', month: p.data.month, runDate: cmd.runDate, rulesVersion: cmd.rulesVersion }, after, ctx)) {
      evolve(after, e);
      events.push(e);
    }
  }
  return events;
}

function decideCaseEvent(event: CaseEvent, recordedAt: Instant, state: HouseholdState): HouseholdEvent[] {
  if (state.householdId !== null && event.householdId !== state.householdId) {
    throw new CommandRejected(`householdId: ${event.householdId} is not this household (${state.householdId})`);
  }
  if (event.type === 'CaseOpened') {
    if (state.householdId !== null) {
      const opening = state.compositions[0];
      const same =
        state.startDate === event.startDate &&
        opening?.category === event.category &&
        opening.costSharers === event.costSharers &&
        JSON.stringify(state.members) === JSON.stringify(event.members.map((m) => ({ bsn: m.bsn, role: m.role })));
      if (same) return []; // re-delivery of the same opening
      throw new CommandRejected('type: a different case is already opened for this household');
    }
    return [{ type: 'CaseOpened', data: { ...event, recordedAt } }];
  }
  if (state.householdId === null) throw new CommandRejected(`householdId: no case opened for ${event.householdId}`);
  switch (event.type) {
    case 'HouseholdChanged':
      return [{ type: 'HouseholdChanged', data: { ...event, recordedAt } }];
    case 'CaseClosed':
      if (event.endDate < state.startDate!) throw new CommandRejected(`endDate: must not be before the case start ${state.startDate}`);
      if (state.endDate === event.endDate) return [];
      return [{ type: 'CaseClosed', data: { ...event, recordedAt } }];
    case 'EarningsDisregardGranted':
      if (!state.members.some((m) => m.bsn === event.bsn)) throw new CommandRejected('bsn: is not a member of this household');
      if (state.disregardGrants.some((g) => g.bsn === event.bsn && g.from === event.from && g.to === event.to)) return [];
      return [{ type: 'EarningsDisregardGranted', data: { ...event, recordedAt } }];
  }
}

function decideStatement(statement: PolisIncomeStatement, recordedAt: Instant, channel: InputChannel, state: HouseholdState): HouseholdEvent[] {
  if (state.householdId === null) throw new CommandRejected('bsn: no case is opened for this household yet');
  if (!state.members.some((m) => m.bsn === statement.bsn)) throw new CommandRejected('bsn: is not a member of this household');
  if (state.seenMessageIds.has(statement.messageId)) return []; // re-delivery is a no-op (SPEC §1.1)
  return [statementRecorded(statement, recordedAt, channel)];
}

/**
 * The event for a statement of a member of an open case. Bulk ingest uses it directly: routing by
 * the member index guarantees membership, and the store skips a messageId it already holds.
 */
export function statementRecorded(statement: PolisIncomeStatement, recordedAt: Instant, channel: InputChannel): IncomeStatementRecorded {
  return { type: 'IncomeStatementRecorded', data: { statement, recordedAt, channel } };
}

/** The part of the state a nightly run changes, copied so that decide never mutates its input. */
function copyForRun(s: HouseholdState): HouseholdState {
  return {
    ...s,
    months: new Map(s.months),
    payments: new Map(s.payments),
    pendingPayments: new Map(s.pendingPayments),
    bufferDrawnPerYear: new Map(s.bufferDrawnPerYear),
    alertsRaised: new Set(s.alertsRaised),
  };
}

interface PendingAlert {
  kind: AlertKind;
  month: YearMonth;
  amount?: Money;
  reason: string;
  details: Record<string, string>;
}

/** A month's computation as the strings a MonthSettled event carries. */
export function monthValues(c: MonthComputation): MonthSettled['data']['values'] {
  return {
    norm: fmt(c.norm),
    holidayReserveFull: fmt(c.holidayReserveFull),
    normExclHoliday: fmt(c.normExclHoliday),
    income: fmt(c.income),
    disregard: fmt(c.disregard),
    countableIncome: fmt(c.countableIncome),
    assistance: fmt(c.assistance),
    excessIncome: fmt(c.excessIncome),
    holidayAccrued: fmt(c.holidayAccrued),
    holidayReserve: fmt(c.holidayReserve),
  };
}

/**
 * What each month is computed from: the engine, the policy, the case period, the composition, the
 * disregard grants, the statement versions that can land in it (by date alone), and the parameter rows
 * in force by then. A row added for a later year changes no earlier month, so it does not make every
 * settled month be recomputed every night.
 */
function monthFingerprints(state: HouseholdState, K: { start: IsoDate; end: IsoDate }, ctx: DecisionContext) {
  const index = statementIndexOf(state, K, ctx.params);
  // Compositions and grants are replaced, never changed in place (evolve): the same arrays, the same facts.
  if (index.policy !== ctx.policy || index.compositions !== state.compositions || index.disregardGrants !== state.disregardGrants) {
    index.policy = ctx.policy;
    index.compositions = state.compositions;
    index.disregardGrants = state.disregardGrants;
    index.household = fingerprint(JSON.stringify([ENGINE_VERSION, ctx.policy, K, state.compositions, state.disregardGrants]));
    index.fingerprints.clear();
  }
  const household = index.household;
  return {
    of: (m: YearMonth) => {
      let fp = index.fingerprints.get(m);
      if (fp === undefined) {
        const statements = index.byMonth.get(m) ?? [];
        // Net income uses the tables at each statement's period end, which may lie after the month.
        const horizon = statements.reduce((h, r) => (r.statement.period.end > h ? r.statement.period.end : h), lastDay(m));
        const ids = statements.map((r) => `${r.statement.messageId}#${r.sequence}`).sort().join(',');
        fp = fingerprint(`${household}|${paramsFingerprintAt(ctx.params, horizon)}|${m}|${ids}`);
        index.fingerprints.set(m, fp);
      }
      return fp;
    },
    /** The statements in force that land in any of these months, in recording order. */
    landingIn: (months: Iterable<YearMonth>) => {
      const found = new Set<RecordedStatement>();
      for (const m of months) for (const r of index.byMonth.get(m) ?? []) found.add(r);
      return [...found].sort((a, b) => a.sequence - b.sequence);
    },
    /** The statements in force that may (partly) lie outside the case period, in recording order. */
    mayFallOutside: () => [...index.targets.keys()].filter((r) => mayFallOutsideCase(r.statement, K)).sort((a, b) => a.sequence - b.sequence),
  };
}

/**
 * The statements in force by target month, and the month fingerprints computed from them, kept while
 * the household records no statement and its case period and parameter tables stay the same: most
 * nights change none of these, and every night asks for every month.
 */
interface StatementIndex {
  statementCount: number;
  caseKey: string;
  params: DecisionContext['params'];
  targets: Map<RecordedStatement, YearMonth[]>;
  byMonth: Map<YearMonth, RecordedStatement[]>;
  /** The household part of the fingerprint and what it was computed from. */
  policy: DecisionContext['policy'] | null;
  compositions: HouseholdState['compositions'] | null;
  disregardGrants: HouseholdState['disregardGrants'] | null;
  household: string;
  fingerprints: Map<YearMonth, string>;
}
const statementIndexes = new WeakMap<Map<string, RecordedStatement>, StatementIndex>();
function statementIndexOf(state: HouseholdState, K: { start: IsoDate; end: IsoDate }, params: DecisionContext['params']): StatementIndex {
  const caseKey = `${K.start}/${K.end}`;
  const known = statementIndexes.get(state.statementsInForce);
  if (known && known.caseKey === caseKey && known.params === params) {
    if (known.statementCount !== state.statementCount) updateStatementIndex(known, state, K);
    return known;
  }
  const index: StatementIndex = { statementCount: state.statementCount, caseKey, params, targets: new Map(), byMonth: new Map(), policy: null, compositions: null, disregardGrants: null, household: '', fingerprints: new Map() };
  for (const r of state.statementsInForce.values()) {
    const months = targetMonthsOf(r, K, caseKey);
    index.targets.set(r, months);
    for (const m of months) {
      const list = index.byMonth.get(m) ?? [];
      list.push(r);
      index.byMonth.set(m, list);
    }
  }
  statementIndexes.set(state.statementsInForce, index);
  return index;
}

/** Statements recorded since: only the months the added or replaced statements land in get a new fingerprint. */
function updateStatementIndex(index: StatementIndex, state: HouseholdState, K: { start: IsoDate; end: IsoDate }): void {
  const dirty = new Set<YearMonth>();
  const added = [...state.statementsInForce.values()].filter((r) => !index.targets.has(r));
  // Unless every statement recorded since is a new entry, some were replaced or withdrawn: find them.
  if (added.length !== state.statementCount - index.statementCount || state.statementsInForce.size !== index.targets.size + added.length) {
    const inForce = new Set(state.statementsInForce.values());
    for (const [r, months] of index.targets) {
      if (inForce.has(r)) continue;
      index.targets.delete(r);
      for (const m of months) {
        index.byMonth.set(m, (index.byMonth.get(m) ?? []).filter((x) => x !== r));
        dirty.add(m);
      }
    }
  }
  for (const r of added) {
    const months = targetMonthsOf(r, K, index.caseKey);
    index.targets.set(r, months);
    for (const m of months) {
      const list = index.byMonth.get(m) ?? [];
      list.push(r);
      index.byMonth.set(m, list);
      dirty.add(m);
    }
  }
  for (const m of dirty) index.fingerprints.delete(m);
  index.statementCount = state.statementCount;
}

/**
 * The fingerprint of the parameter rows in force by a date, remembered per parameter set: the tables
 * never change while a process holds them, and every month of every household asks for it every night.
 */
const paramsFingerprints = new WeakMap<object, Map<IsoDate, string>>();
function paramsFingerprintAt(params: DecisionContext['params'], date: IsoDate): string {
  let byDate = paramsFingerprints.get(params);
  if (!byDate) paramsFingerprints.set(params, (byDate = new Map()));
  let key = byDate.get(date);
  if (key === undefined) {
    key = fingerprint(JSON.stringify(Object.entries(params).map(([name, rows]) => [name, (rows as Array<{ validFrom: string }>).filter((r) => r.validFrom <= date)])));
    byDate.set(date, key);
  }
  return key;
}

/**
 * targetMonths per recorded statement, remembered while the case period stays the same: a recorded
 * statement never changes, and replaying five years of nights asks for it thousands of times.
 */
const targetMonthsMemo = new WeakMap<RecordedStatement, { caseKey: string; months: YearMonth[] }>();
function targetMonthsOf(r: RecordedStatement, K: { start: IsoDate; end: IsoDate }, caseKey: string): YearMonth[] {
  const hit = targetMonthsMemo.get(r);
  if (hit && hit.caseKey === caseKey) return hit.months;
  const months = targetMonths(r.statement, K);
  targetMonthsMemo.set(r, { caseKey, months });
  return months;
}

/** The months a run on date D settles: those overlapping K, settled or paid before, up to M + 1 + lag ≤ D. */
export function monthsToSettle(state: HouseholdState, runDate: IsoDate, lagMonths: number): YearMonth[] {
  const K = casePeriod(state);
  if (!K) return [];
  const lastEligible = addMonths(monthOf(runDate), -(1 + lagMonths));
  const months = new Set<YearMonth>();
  const lastInCase = monthOf(K.end) < lastEligible ? monthOf(K.end) : lastEligible;
  if (monthOf(K.start) <= lastInCase) for (const m of monthsBetween(monthOf(K.start), lastInCase)) months.add(m);
  for (const m of state.months.keys()) if (m <= lastEligible) months.add(m);
  // A month that received an advance is settled even when a late CaseClosed puts it outside K:
  // otherwise that advance would never be set off (it computes to A = 0, so ΔA = −advance).
  for (const m of state.payments.keys()) if (m <= lastEligible) months.add(m);
  return [...months].sort();
}

/**
 * Whether a night can decide anything the night before did not, given no new input and the same rules
 * in between: the run date enters the decisions only through its month (which months are eligible,
 * which month is paid) and whether that month's payday has come. So a later night in the same month
 * that does not cross the payday decides nothing (the decider is idempotent on its own outcome).
 */
export function dateCanChangeDecisions(previousRunDate: IsoDate, runDate: IsoDate, policy: Policy): boolean {
  const month = monthOf(runDate);
  if (monthOf(previousRunDate) !== month) return true;
  const payday = paydayOf(month, policy);
  return previousRunDate < payday && payday <= runDate;
}

/** The payday of month P: policy payDay, clamped to the month's length. */
export function paydayOf(month: YearMonth, policy: Policy): IsoDate {
  return `${month}-${String(Math.min(policy.payDay, daysInMonth(month))).padStart(2, '0')}`;
}

function decideNightlyRun(cmd: Extract<HouseholdCommand, { type: 'RunNightly' }>, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  const K = casePeriod(state);
  if (!K || state.householdId === null) return [];
  const { params, policy } = ctx;
  const work = copyForRun(state);
  const events: HouseholdEvent[] = [];
  const emit = (e: HouseholdEvent) => {
    events.push(e);
    evolve(work, e);
  };
  const alerts: PendingAlert[] = [];

  // 1. Settle (SPEC §6.1). A month already settled from exactly the same inputs and rules would
  // compute to the same A and R, so it is skipped; the fingerprint says what it was computed from.
  const fingerprints = monthFingerprints(work, K, ctx);
  const toSettle = monthsToSettle(work, cmd.runDate, policy.settlementLagMonths).filter((m) => work.months.get(m)?.inputsFingerprint !== fingerprints.of(m));
  const needed = new Set(toSettle);
  const index = allocateAll(work, K, params, policy, undefined, fingerprints.landingIn(needed));
  for (const month of toSettle) {
    const c = computeMonth(month, work, K, index, params);
    const previous = work.months.get(month);
    const advancePaid = money(work.payments.get(month)?.advance ?? '0.00');
    const assistanceChange = previous ? money(c.assistance.minus(previous.values.assistance)) : money(c.assistance.minus(advancePaid));
    const reserveChange = previous ? money(c.holidayReserve.minus(previous.values.holidayReserve)) : c.holidayReserve;
    const changed = !previous || !c.assistance.equals(previous.values.assistance) || !c.holidayReserve.equals(previous.values.holidayReserve);
    if (!changed) continue;
    const trace = new TraceBuilder();
    trace.add(c.steps);
    trace.params_(c.parameters);
    const ledgerAfter = money(work.ledgerBalance.plus(assistanceChange));
    const reserveAfter = money(work.reserveBalance.plus(reserveChange));
    trace.step(
      'settlementOfMonth',
      LegalRef.revision,
      previous
        ? { previousVersion: previous.version, previousAssistance: previous.values.assistance, previousHolidayReserve: previous.values.holidayReserve }
        : { advancePaid: fmt(advancePaid) },
      { assistanceChange: fmt(assistanceChange), reserveChange: fmt(reserveChange), ledgerBalanceAfter: fmt(ledgerAfter), reserveBalanceAfter: fmt(reserveAfter) },
    );
    emit({
      type: 'MonthSettled',
      data: {
        month,
        version: (previous?.version ?? 0) + 1,
        runDate: cmd.runDate,
        values: monthValues(c),
        assistanceChange: fmt(assistanceChange),
        reserveChange: fmt(reserveChange),
        advancePaid: fmt(advancePaid),
        ledgerBalanceAfter: fmt(ledgerAfter),
        reserveBalanceAfter: fmt(reserveAfter),
        rulesVersion: cmd.rulesVersion,
        inputsFingerprint: fingerprints.of(month),
        explanation: trace.build(),
      },
    });
    if (assistanceChange.lessThan(c.normExclHoliday.negated())) {
      alerts.push({
        kind: 'large-claim',
        month,
        amount: money(assistanceChange.negated()),
        reason: 'the settlement of this month creates a claim larger than the monthly norm',
        details: { assistanceChange: fmt(assistanceChange), normExclHoliday: fmt(c.normExclHoliday), version: String((previous?.version ?? 0) + 1) },
      });
    }
  }

  // 2. Pay (SPEC §6.2) and the bufferbudget (SPEC §7)
  const P = monthOf(cmd.runDate);
  const inCase = intersect(monthPeriod(P), K);
  if (cmd.runDate >= paydayOf(P, policy) && !work.payments.has(P) && !work.pendingPayments.has(P) && inCase) {
    const payment = decidePayment(P, cmd, work, K.end, ctx);
    for (const e of payment.events) emit(e);
    alerts.push(...payment.alerts);
  }

  // 3. Alerts (SPEC §8) on what the statements show
  const outside = allocateAll(work, K, params, policy, (r) => !work.alertsRaised.has(alertKey('income-outside-case', monthOf(disposalDate(r.statement)))), fingerprints.mayFallOutside());
  for (const s of outside.statements) {
    if (!s.allocation.excludedOutsideCase.isZero()) {
      alerts.push({
        kind: 'income-outside-case',
        month: monthOf(s.allocation.disposalDate),
        reason: 'income earned outside the case period: not settled, may be assets (Pw art. 34)',
        details: { messageId: s.record.statement.messageId, excludedOutsideCase: fmt(s.allocation.excludedOutsideCase) },
      });
    }
  }
  for (const first of [...work.firstStatementOfRelationship.values()].sort((a, b) => a.sequence - b.sequence)) {
    const d = first.statement.paymentDate ?? first.statement.period.end;
    alerts.push({
      kind: 'new-income-relationship',
      month: monthOf(d),
      reason: 'first statement of a new income relationship: consider an earnings disregard',
      details: { incomeRelationshipId: first.statement.incomeRelationshipId, employer: first.statement.employer.name ?? first.statement.employer.payrollTaxNumber },
    });
  }
  for (const a of alerts) if (!work.alertsRaised.has(alertKey(a.kind, a.month))) emit(alertEvent(work.householdId!, a, cmd.runDate));
  return events;
}

function decidePayment(
  P: YearMonth,
  cmd: Extract<HouseholdCommand, { type: 'RunNightly' }>,
  work: HouseholdState,
  caseEnd: IsoDate,
  ctx: DecisionContext,
): { events: HouseholdEvent[]; alerts: PendingAlert[] } {
  const { params, policy } = ctx;
  const K = { start: work.startDate!, end: caseEnd };
  const trace = new TraceBuilder();
  const projection = projectIncome(P, work, params, policy);
  trace.add([projection.step]);
  const n = normOfMonth(P, K, work.compositions, params);
  trace.add(n.steps);
  trace.params_(n.parameters);
  const v = earningsDisregard(P, projection.perPerson, work.disregardGrants, n.norm, projection.projectedNet, params, 'projected');
  if (v.step) trace.add([v.step]);
  trace.params_(v.parameters);
  const projectedCountable = money(projection.projectedNet.minus(v.disregard));
  const advance = max(ZERO, n.normExclHoliday.minus(projectedCountable));
  trace.step('advanceOfMonth', LegalRef.advance, { normExclHoliday: fmt(n.normExclHoliday), projectedNet: fmt(projection.projectedNet), projectedDisregard: fmt(v.disregard) }, { advance: fmt(advance) });

  // Holiday reserve: paid out in the payout month or the month the case ends.
  const payoutRow = lookup(params, 'holidayPayoutMonth', firstDay(P));
  trace.param(describeRow('holidayPayoutMonth', payoutRow));
  const isPayoutMonth = monthNumber(P) === payoutRow.value || contains(monthPeriod(P), caseEnd);
  const reserveBefore = work.reserveBalance;
  const holidayPayout = isPayoutMonth ? max(ZERO, reserveBefore) : ZERO;
  // A negative reserve (reserve paid out, then lowered by a correction) is benefit paid without right:
  // it joins the claim in the ledger rather than being "paid out" as a negative amount.
  const reserveDeficit = isPayoutMonth ? min(ZERO, reserveBefore) : ZERO;
  trace.step('holidayReservePayout', LegalRef.holidayPayout, { reserveBalance: fmt(reserveBefore), payoutMonth: String(payoutRow.value), isPayoutMonth: String(isPayoutMonth) }, { holidayPayout: fmt(holidayPayout), reserveDeficitToClaim: fmt(reserveDeficit) });
  const gross = money(advance.plus(holidayPayout));

  const ledgerBefore = work.ledgerBalance;
  const ledger = money(ledgerBefore.plus(reserveDeficit));
  let backPayment: Money = ZERO;
  let offset: Money = ZERO;
  let ledgerAfter: Money;
  if (ledger.greaterThanOrEqualTo(0)) {
    backPayment = ledger;
    ledgerAfter = ZERO;
  } else {
    offset = min(ledger.negated(), gross);
    ledgerAfter = money(ledger.plus(offset));
  }
  trace.step('claimOffset', LegalRef.offset, { ledgerBalance: fmt(ledger), gross: fmt(gross) }, { backPayment: fmt(backPayment), offset: fmt(offset), ledgerBalanceAfter: fmt(ledgerAfter) });

  const reserveAfter = money(reserveBefore.minus(holidayPayout).minus(reserveDeficit));
  const proposal: PaymentProposed = {
    type: 'PaymentProposed',
    data: {
      month: P,
      runDate: cmd.runDate,
      projectedNet: fmt(projection.projectedNet),
      projectedDisregard: fmt(v.disregard),
      normExclHoliday: fmt(n.normExclHoliday),
      advance: fmt(advance),
      holidayPayout: fmt(holidayPayout),
      backPayment: fmt(backPayment),
      offset: fmt(offset),
      gross: fmt(gross),
      ledgerChange: fmt(ledgerAfter.minus(ledgerBefore)),
      reserveChange: fmt(reserveAfter.minus(reserveBefore)),
      ledgerBalanceAfter: fmt(ledgerAfter),
      reserveBalanceAfter: fmt(reserveAfter),
      rulesVersion: cmd.rulesVersion,
      explanation: trace.build(),
    },
  };
  return { events: [proposal], alerts: [] };
}

/**
 * The buffer decision on a proposed payment (SPEC §7), then the final payment and its alerts (SPEC §8).
 * Nothing pending for the month (already final, or never proposed): nothing to decide.
 */
function decideBufferAndPay(cmd: Extract<HouseholdCommand, { type: 'DecideBuffer' }>, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  const p = state.pendingPayments.get(cmd.month);
  if (!p || state.householdId === null) return [];
  const { params, policy } = ctx;
  const P = cmd.month;
  const normExclHoliday = money(p.normExclHoliday);
  const projectedNet = money(p.projectedNet);
  const gross = money(p.gross);
  const offset = money(p.offset);
  const buffer: BufferDecision = decideBufferDraw({ month: P, normExclHoliday, projectedNet, gross, offset }, state, params, policy);
  // The proposal (stored just before) explains advance, payout and offset; the payment adds the
  // buffer decision and the final amount, and points back to it rather than copying it.
  const trace = new TraceBuilder();
  trace.step('paymentProposed', LegalRef.advance, { proposal: `proposal:${P}`, runDate: p.runDate }, { advance: p.advance, holidayPayout: p.holidayPayout, backPayment: p.backPayment, offset: p.offset, gross: p.gross });
  trace.add([buffer.step]);
  trace.params_(buffer.parameters);
  const amount = money(gross.plus(p.backPayment).minus(offset).plus(buffer.draw));
  trace.step('paymentOfMonth', LegalRef.assistance, { advance: p.advance, holidayPayout: p.holidayPayout, backPayment: p.backPayment, offset: p.offset, bufferDraw: fmt(buffer.draw) }, { amount: fmt(amount) });

  const year = P.slice(0, 4);
  const events: HouseholdEvent[] = [];
  if (buffer.reason === 'drawn') {
    events.push({ type: 'BufferDrawn', data: { month: P, year, amount: fmt(buffer.draw), shortfall: fmt(buffer.shortfall), remainingAfter: fmt(buffer.remainingAfter), budget: fmt(buffer.budget) } });
  } else {
    events.push({ type: 'BufferNotDrawn', data: { month: P, year, reason: buffer.reason, shortfall: fmt(buffer.shortfall) } });
  }
  const payment: PaymentMade = {
    type: 'PaymentMade',
    data: {
      month: P,
      runDate: p.runDate,
      projectedNet: p.projectedNet,
      projectedDisregard: p.projectedDisregard,
      normExclHoliday: p.normExclHoliday,
      advance: p.advance,
      holidayPayout: p.holidayPayout,
      backPayment: p.backPayment,
      offset: p.offset,
      bufferDraw: fmt(buffer.draw),
      amount: fmt(amount),
      ledgerChange: p.ledgerChange,
      reserveChange: p.reserveChange,
      ledgerBalanceAfter: p.ledgerBalanceAfter,
      reserveBalanceAfter: p.reserveBalanceAfter,
      rulesVersion: cmd.rulesVersion,
      explanation: trace.build(),
    },
  };
  events.push(payment);

  const alerts: PendingAlert[] = [];
  const shortfallAfterPayment = money(normExclHoliday.minus(projectedNet.plus(amount)));
  if (shortfallAfterPayment.greaterThan(policy.alertThreshold)) {
    alerts.push({
      kind: 'below-minimum',
      month: P,
      amount: shortfallAfterPayment,
      reason: belowMinimumReason(buffer),
      details: { offset: p.offset, bufferDecision: buffer.reason, bufferDraw: fmt(buffer.draw), bufferRemaining: fmt(buffer.remainingAfter), amountPaid: fmt(amount), projectedNet: p.projectedNet, normExclHoliday: p.normExclHoliday },
    });
  }
  if (buffer.reason === 'drawn' && buffer.remainingAfter.isZero()) {
    alerts.push({ kind: 'buffer-exhausted', month: P, reason: `the bufferbudget for ${year} is used up`, details: { budget: fmt(buffer.budget) } });
  }
  for (const a of alerts) if (!state.alertsRaised.has(alertKey(a.kind, a.month))) events.push(alertEvent(state.householdId, a, cmd.runDate));
  return events;
}

function alertEvent(householdId: string, a: PendingAlert, runDate: IsoDate): AlertRaised {
  return {
    type: 'AlertRaised',
    data: {
      alertId: `${householdId}:${a.kind}:${a.month}`,
      kind: a.kind,
      month: a.month,
      ...(a.amount !== undefined ? { amount: fmt(a.amount) } : {}),
      reason: a.reason,
      runDate,
      details: a.details,
    },
  };
}

function belowMinimumReason(b: BufferDecision): string {
  switch (b.reason) {
    case 'drawn':
      return b.remainingAfter.isZero() ? 'claim offset; the bufferbudget was exhausted by this payment' : 'claim offset larger than the buffer could cover';
    case 'budget-exhausted':
      return 'claim offset; the bufferbudget for this year is exhausted';
    case 'not-eligible':
      return 'claim offset; the household is not eligible for the bufferbudget';
    case 'buffer-not-in-force':
      return 'claim offset; no bufferbudget before it came into force (2027-01-01)';
    default:
      return 'claim offset';
  }
}

/**
 * The natural key of a decision, used as its event id: re-running a night (after a crash, or twice)
 * appends nothing that is already there: a month's version, a month's payment, an alert's cause.
 */
export function decisionKey(e: HouseholdEvent): string {
  switch (e.type) {
    case 'MonthSettled':
      return `settled:${e.data.month}:v${e.data.version}`;
    case 'PaymentProposed':
      return `proposal:${e.data.month}`;
    case 'PaymentMade':
      return `payment:${e.data.month}`;
    case 'BufferDrawn':
    case 'BufferNotDrawn':
      return `buffer:${e.data.month}`;
    case 'AlertRaised':
      return `alert:${e.data.kind}:${e.data.month}`;
    default:
      throw new Error(`${e.type} is not a decision of the nightly run`);
  }
}

const DECISION_TYPES: ReadonlySet<string> = new Set(['MonthSettled', 'PaymentProposed', 'PaymentMade', 'BufferDrawn', 'BufferNotDrawn', 'AlertRaised']);

export function isDecision(e: HouseholdEvent): boolean {
  return DECISION_TYPES.has(e.type);
}

/** Whether events of this type are decisions (for an event not parsed yet). */
export function isDecisionType(type: string): boolean {
  return DECISION_TYPES.has(type);
}
