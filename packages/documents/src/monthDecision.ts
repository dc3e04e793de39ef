import {
  legalRefText,
  money,
  monthOf,
  ZERO,
  type AlertKind,
  type BufferDecisionReason,
  type HouseholdEvent,
  type LegalReference,
  type MonthValues,
  type Payees,
  type TraceStep,
  type YearMonth,
} from '@bijstand/domain';
import { caseFileOf, paymentSteps, type CaseFile, type CaseMonth, type IncomeSource } from './caseFile.js';
import { caseReference, decisionReference } from './reference.js';

/**
 * One month's decision as it was taken, the single source of every sentence of the resident's letter: the
 * month's settlement version as decided at the as-of instant, the change that version made to the ledger, the
 * payment of the month (with the claims it offset and the income its advance expected), the bufferbudget's
 * decision and the alerts. Never today's balances: a later offset does not undo what this decision said.
 * Pure: events in, model out.
 */
export interface MonthDecision {
  householdId: string;
  month: YearMonth;
  asOf: string;
  caseReference: string;
  /** The decision's own reference: case, month and settlement version. */
  reference: string;
  /** The night that settled the month (its run date, Europe/Amsterdam): the date of the decision. */
  decidedOn: string;
  version: number;
  /** The assistance of the version this one replaced (a correction), else null. */
  previousAssistance: string | null;
  members: { applicant: boolean; partner: 'entitled' | 'not-entitled' | 'none' };
  caseEnd: string | null;
  /** False when the case has ended by the as-of instant: no later payment can offset or pay back. */
  furtherPayments: boolean;
  settlement: {
    values: MonthValues;
    advancePaid: string;
    income: IncomeSource[];
    partnerDisregard: string;
    aloSupplement: boolean;
  };
  ledger: LedgerEffect;
  payment: MonthPayment | null;
  buffer: MonthBuffer | null;
  /** The household's money fell below the minimum in this month's payment (alert), by this amount. */
  belowMinimum: { amount: string; bufferUsedUp: boolean } | null;
  alerts: AlertKind[];
  /** The legal bases of this decision, in order of first use. */
  legalBases: LegalReference[];
}

/** What this decision adds to what the household and the municipality owe each other (ΔA of SPEC §6.1). */
export type LedgerEffect =
  { kind: 'you-owe'; amount: string } | { kind: 'we-owe'; amount: string } | { kind: 'nothing'; amount: '0.00' };

/** A claim this payment took back: from which month's decision, and why that month got too much. */
export interface ClaimOffset {
  month: YearMonth;
  version: number;
  amount: string;
  cause: ClaimCause;
  /** A recalculated claim: the income a polis correction (or withdrawal) changed in that version. */
  corrected?: Array<{
    kind: IncomeSource['kind'];
    role: IncomeSource['role'];
    statementKind: 'correction' | 'withdrawal';
  }>;
}

/** `income-higher`: the settled income was higher than the advance expected; `recalculated`: a later version. */
export type ClaimCause = 'income-higher' | 'recalculated';

export interface AdvanceIncome {
  name: string;
  kind: 'employment' | 'benefit' | 'alimony';
  role: 'applicant' | 'partner' | 'unknown';
  amount: string;
}

export interface MonthPayment {
  payday: string;
  amount: string;
  advance: string;
  normExclHoliday: string;
  projectedNet: string;
  expectedIncome: AdvanceIncome[];
  /** The part of the expected income from work that does not count (art. 34a), as the advance used it. */
  projectedDisregard: string;
  holidayPayout: string;
  backPayment: string;
  offset: string;
  offsetFrom: ClaimOffset[];
  bufferDraw: string;
  payees: Payees;
}

export interface MonthBuffer {
  year: string;
  reason: BufferDecisionReason;
  drawn: string;
  /** What is left of this year's bufferbudget after this decision; null when no decision this year said. */
  leftThisYear: string | null;
}

/** A letter asked for a month that has no decision (yet) as of the instant: the message says why. */
export class MonthNotDecidedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MonthNotDecidedError';
  }
}

/**
 * The decision about `month` from a household's events recorded up to `asOf` (the caller reads them as of
 * then). Refused (MonthNotDecidedError) for a month outside the case or not settled by then.
 */
export function monthDecisionOf(
  events: readonly HouseholdEvent[],
  request: { householdId: string; month: YearMonth; asOf: string; municipalityCode: string },
): MonthDecision {
  const { householdId, month, asOf } = request;
  const file = caseFileOf(householdId, asOf, events);
  const asOfDay = asOf.slice(0, 10);
  if (!file.caseStart) throw new MonthNotDecidedError(`household ${householdId} has no case as of ${asOfDay}`);
  if (month < monthOf(file.caseStart))
    throw new MonthNotDecidedError(`${month} is before the case started (${file.caseStart}): there is no decision`);
  const cm = file.months.find((m) => m.month === month);
  // A month after the end that was paid before the closure was recorded is settled back: that is a decision too.
  if (!cm?.settlement && file.caseEnd && month > monthOf(file.caseEnd))
    throw new MonthNotDecidedError(`${month} is after the case ended (${file.caseEnd}): there is no decision`);
  if (!cm?.settlement)
    throw new MonthNotDecidedError(
      month > monthOf(asOfDay)
        ? `${month} has not happened yet (as of ${asOfDay}): a month is decided after it has ended`
        : `${month} is not settled yet (as of ${asOfDay}): the letter can be written after the night that settles it`,
    );
  const s = cm.settlement;
  const caseRef = caseReference(request.municipalityCode, householdId);
  const versions = events.filter((e) => e.type === 'MonthSettled' && e.data.month === month);
  const previous = versions.length > 1 ? versions[versions.length - 2]! : null;
  const partner = file.members.find((m) => m.role === 'partner');
  const change = money(s.assistanceChange);
  const steps: TraceStep[] = [...s.explanation.steps, ...paymentSteps(cm)];
  const bases = new Map<string, LegalReference>();
  for (const st of steps) if (!bases.has(legalRefText(st.legalRef))) bases.set(legalRefText(st.legalRef), st.legalRef);
  const buffer = bufferOf(events, month, cm.buffer);
  const payment = cm.payment ? monthPaymentOf(events, month) : null;
  if (payment) payment.offsetFrom = payment.offsetFrom.map((c) => withCorrections(file, c));
  return {
    householdId,
    month,
    asOf,
    caseReference: caseRef,
    reference: decisionReference(caseRef, month, s.version),
    decidedOn: s.runDate,
    version: s.version,
    previousAssistance: previous && previous.type === 'MonthSettled' ? previous.data.values.assistance : null,
    members: {
      applicant: file.members.find((m) => m.role === 'applicant')?.entitled ?? true,
      partner: !partner ? 'none' : partner.entitled ? 'entitled' : 'not-entitled',
    },
    caseEnd: file.caseEnd,
    furtherPayments: file.caseEnd === null || monthOf(file.caseEnd) > monthOf(asOfDay),
    settlement: {
      values: s.values,
      advancePaid: s.advancePaid,
      income: cm.income,
      partnerDisregard: stringResult(s.explanation.steps, 'partnerEarningsDisregard', 'disregard'),
      aloSupplement: hasAloSupplement(s.explanation.steps),
    },
    ledger: change.isZero()
      ? { kind: 'nothing', amount: '0.00' }
      : change.isNegative()
        ? { kind: 'you-owe', amount: change.abs().toFixed(2) }
        : { kind: 'we-owe', amount: change.toFixed(2) },
    payment,
    buffer,
    belowMinimum: belowMinimumOf(cm, buffer),
    alerts: [...new Set(cm.alerts.map((a) => a.kind))].sort(),
    legalBases: [...bases.values()],
  };
}

/** The month's below-minimum alert, and whether the bufferbudget was used up when it fell below. */
export function belowMinimumOf(cm: CaseMonth, buffer: MonthBuffer | null): MonthDecision['belowMinimum'] {
  const alert = cm.alerts.find((a) => a.kind === 'below-minimum');
  if (!alert) return null;
  const bufferUsedUp =
    cm.alerts.some((a) => a.kind === 'buffer-exhausted') ||
    buffer?.reason === 'budget-exhausted' ||
    buffer?.leftThisYear === '0.00';
  return { amount: alert.amount ?? '0.00', bufferUsedUp };
}

/**
 * A recalculated claim with the income that changed it: the polis corrections and withdrawals the claim's
 * settlement version counted (or dropped) that the version before did not. Nothing to add to another claim.
 */
export function withCorrections(file: CaseFile, claim: ClaimOffset): ClaimOffset {
  if (claim.cause !== 'recalculated') return claim;
  const versions = file.months.find((m) => m.month === claim.month)?.versions ?? [];
  const [before, after] = [versions[claim.version - 2], versions[claim.version - 1]];
  if (!before || !after) return claim;
  const known = new Set(before.income.map((i) => i.messageId));
  const corrected = after.income
    .filter((i) => i.statementKind && i.statementKind !== 'initial' && !known.has(i.messageId))
    .map((i) => ({ kind: i.kind, role: i.role, statementKind: i.statementKind as 'correction' | 'withdrawal' }));
  return corrected.length > 0 ? { ...claim, corrected } : claim;
}

function stringResult(steps: readonly TraceStep[], rule: string, key: string): string {
  const v = steps.find((st) => st.rule === rule)?.result[key];
  return typeof v === 'string' ? v : '0.00';
}

/** The month's norm holds the single-parent supplement of art. 24a (a segment of category single-parent-no-alo). */
function hasAloSupplement(steps: readonly TraceStep[]): boolean {
  const segments = steps.find((st) => st.rule === 'normOfMonth')?.inputs.segments;
  return (
    Array.isArray(segments) &&
    segments.some((seg: { aloSupplementPerMonth?: string }) => seg.aloSupplementPerMonth !== undefined)
  );
}

/**
 * The payment of the month and the claims it offset. The ledger is one balance (SPEC §6.1); to say which
 * month a payment's offset came from, claims are taken back oldest first (and a month that pays back reduces
 * the oldest claim first), replaying the decisions in the order they were recorded.
 */
export function monthPaymentOf(events: readonly HouseholdEvent[], month: YearMonth): MonthPayment | null {
  const open: ClaimOffset[] = [];
  const take = (amount: string): ClaimOffset[] => {
    let left = money(amount);
    const taken: ClaimOffset[] = [];
    while (left.greaterThan(0) && open.length > 0) {
      const c = open[0]!;
      const part = money(left.lessThan(c.amount) ? left : c.amount);
      taken.push({ ...c, amount: part.toFixed(2) });
      left = money(left.minus(part));
      c.amount = money(money(c.amount).minus(part)).toFixed(2);
      if (money(c.amount).isZero()) open.shift();
    }
    return taken;
  };
  const names = statementNames(events);
  const roleOf = new Map<string, 'applicant' | 'partner'>();
  for (const e of events) if (e.type === 'CaseOpened') for (const m of e.data.members) roleOf.set(m.bsn, m.role);
  let proposalSteps: readonly TraceStep[] = [];
  for (const e of events) {
    if (e.type === 'PaymentProposed' && e.data.month === month) proposalSteps = e.data.explanation.steps;
    if (e.type === 'MonthSettled') {
      const d = money(e.data.assistanceChange);
      if (d.isNegative())
        open.push({
          month: e.data.month,
          version: e.data.version,
          amount: d.abs().toFixed(2),
          cause: e.data.version > 1 ? 'recalculated' : 'income-higher',
        });
      else if (d.greaterThan(0)) take(d.toFixed(2));
    } else if (e.type === 'PaymentMade') {
      const offsetFrom = take(e.data.offset);
      if (e.data.month !== month) continue;
      const p = e.data;
      return {
        payday: p.runDate,
        amount: p.amount,
        advance: p.advance,
        normExclHoliday: p.normExclHoliday,
        projectedNet: p.projectedNet,
        expectedIncome: expectedIncomeOf(proposalSteps, names, roleOf),
        projectedDisregard: p.projectedDisregard,
        holidayPayout: p.holidayPayout,
        backPayment: p.backPayment,
        offset: p.offset,
        offsetFrom,
        bufferDraw: p.bufferDraw,
        payees: p.payees,
      };
    }
  }
  return null;
}

type Named = { name: string; kind: 'employment' | 'benefit' | 'alimony'; bsn: string };

function statementNames(events: readonly HouseholdEvent[]): Map<string, Named> {
  const names = new Map<string, Named>();
  for (const e of events)
    if (e.type === 'IncomeStatementRecorded') {
      const s = e.data.statement;
      names.set(s.messageId, {
        name: s.employer.name ?? `loonheffingennummer ${s.employer.payrollTaxNumber}`,
        kind: s.incomeKind ?? 'employment',
        bsn: s.bsn,
      });
    } else if (e.type === 'OtherIncomeDeclared' && e.data.kind === 'alimony')
      // Only alimony recurs in the projection (SPEC §6.2); gifts and contributions count when settled.
      names.set(e.data.declarationId, { name: 'alimentatie', kind: 'alimony', bsn: e.data.bsn });
  return names;
}

/** The income the advance expected (the projection step of SPEC §6.2), named by its source. */
function expectedIncomeOf(
  steps: readonly TraceStep[],
  names: Map<string, Named>,
  roleOf: ReadonlyMap<string, 'applicant' | 'partner'>,
): AdvanceIncome[] {
  const step = steps.find((st) => st.rule === 'projectedIncome');
  if (!step) return [];
  const out: AdvanceIncome[] = [];
  for (const r of (step.inputs.relationships ?? []) as Array<Record<string, unknown>>) {
    if (typeof r.projected !== 'string' || money(r.projected).isZero()) continue;
    const n = names.get(String(r.basisMessageId));
    out.push({
      name: n?.name ?? 'onbekend',
      kind: n?.kind === 'benefit' ? 'benefit' : 'employment',
      role: n ? (roleOf.get(n.bsn) ?? 'unknown') : 'unknown',
      amount: r.projected,
    });
  }
  for (const a of (step.inputs.alimony ?? []) as Array<Record<string, unknown>>) {
    if (typeof a.projected !== 'string' || money(a.projected).isZero()) continue;
    const n = names.get(String(a.declarationId));
    out.push({
      name: 'alimentatie',
      kind: 'alimony',
      role: n ? (roleOf.get(n.bsn) ?? 'unknown') : 'unknown',
      amount: a.projected,
    });
  }
  return out;
}

/** The bufferbudget's decision for the month, with what is left of it this year as the decisions stood then. */
export function bufferOf(
  events: readonly HouseholdEvent[],
  month: YearMonth,
  decision: { year: string; reason?: string; amount?: string; remainingAfter?: string } | undefined,
): MonthBuffer | null {
  if (!decision) return null;
  let left: string | null = null;
  for (const e of events) {
    if (e.type === 'BufferDrawn' && e.data.year === decision.year) left = e.data.remainingAfter;
    if ((e.type === 'BufferDrawn' || e.type === 'BufferNotDrawn') && e.data.month === month) break;
  }
  const drawn = decision.amount ?? '0.00';
  return {
    year: decision.year,
    reason: (decision.reason ?? 'drawn') as BufferDecisionReason,
    drawn: money(drawn).toFixed(2),
    leftThisYear: decision.reason === 'budget-exhausted' ? ZERO.toFixed(2) : left,
  };
}
