import { money, fmt, type Money } from '../money.js';
import { monthOf, type IsoDate, type YearMonth } from '../dates.js';
import type { Policy } from '../schemas.js';
import { policyFor } from '../parameters.js';
import { alertKey, type HouseholdState, type RecordedStatement } from '../household.js';
import type { AlertKind, AlertRaised, MonthSettled, PaymentMade, PaymentProposed } from '../events.js';
import type { StatementSettlement } from './allocation.js';
import type { BufferDecision } from './buffer.js';
import type { DisregardGrant } from './disregard.js';
import { giftCrossingFreeAmount, type GiftCount } from './declaredIncome.js';

/** An alert to consultants (SPEC §8) before it is raised: raised once per (household, kind, month). */
export interface PendingAlert {
  kind: AlertKind;
  month: YearMonth;
  amount?: Money;
  reason: string;
  details: Record<string, string>;
}

/** large-claim: a settlement with ΔA < −NormEx_M; its amount is −ΔA. */
export function largeClaimAlert(settled: MonthSettled['data']): PendingAlert | null {
  const change = money(settled.assistanceChange);
  if (!change.lessThan(money(settled.values.normExclHoliday).negated())) return null;
  return {
    kind: 'large-claim',
    month: settled.month,
    amount: money(change.negated()),
    reason: 'the settlement of this month creates a claim larger than the monthly norm',
    details: {
      assistanceChange: settled.assistanceChange,
      normExclHoliday: settled.values.normExclHoliday,
      version: String(settled.version),
    },
  };
}

/** income-outside-case: a statement with excludedOutsideCase ≠ 0 (possible assets, Pw art. 34); month = month(d). */
export function incomeOutsideCaseAlerts(settlements: readonly StatementSettlement[]): PendingAlert[] {
  return settlements
    .filter((s) => !s.allocation.excludedOutsideCase.isZero())
    .map((s) => ({
      kind: 'income-outside-case' as const,
      month: monthOf(s.allocation.disposalDate),
      reason: 'income earned outside the case period: not settled, may be assets (Pw art. 34)',
      details: { messageId: s.record.statement.messageId, excludedOutsideCase: fmt(s.allocation.excludedOutsideCase) },
    }));
}

/** new-income-relationship: the first statement of an income relationship; month = month(d). */
export function newIncomeRelationshipAlerts(firstStatements: Iterable<RecordedStatement>): PendingAlert[] {
  return [...firstStatements]
    .sort((a, b) => a.sequence - b.sequence)
    .map(({ statement }) => ({
      kind: 'new-income-relationship' as const,
      month: monthOf(statement.paymentDate ?? statement.period.end),
      reason: 'first statement of a new income relationship: consider an earnings disregard',
      details: {
        incomeRelationshipId: statement.incomeRelationshipId,
        employer: statement.employer.name ?? statement.employer.payrollTaxNumber,
      },
    }));
}

/** below-minimum: NormEx_P − (projectedNet_P + amount) > alertThreshold; amount is that shortfall, with why. */
export function belowMinimumAlert(
  p: PaymentProposed['data'],
  payment: PaymentMade['data'],
  buffer: BufferDecision,
  policy: Policy,
): PendingAlert | null {
  const shortfall = money(money(p.normExclHoliday).minus(money(p.projectedNet).plus(payment.amount)));
  if (!shortfall.greaterThan(policyFor(policy, p.month).alertThreshold)) return null;
  return {
    kind: 'below-minimum',
    month: p.month,
    amount: shortfall,
    reason: belowMinimumReason(buffer),
    details: {
      offset: p.offset,
      bufferDecision: buffer.reason,
      bufferDraw: fmt(buffer.draw),
      bufferRemaining: fmt(buffer.remainingAfter),
      amountPaid: payment.amount,
      projectedNet: p.projectedNet,
      normExclHoliday: p.normExclHoliday,
    },
  };
}

/** buffer-exhausted: the year's budget reaches 0 with this draw. */
export function bufferExhaustedAlert(month: YearMonth, buffer: BufferDecision): PendingAlert | null {
  if (buffer.reason !== 'drawn' || !buffer.remainingAfter.isZero()) return null;
  return {
    kind: 'buffer-exhausted',
    month,
    reason: `the bufferbudget for ${month.slice(0, 4)} is used up`,
    details: { budget: fmt(buffer.budget) },
  };
}

function belowMinimumReason(b: BufferDecision): string {
  switch (b.reason) {
    case 'drawn':
      return b.remainingAfter.isZero()
        ? 'claim offset; the bufferbudget was exhausted by this payment'
        : 'claim offset larger than the buffer could cover';
    case 'budget-exhausted':
      return 'claim offset; the bufferbudget for this year is exhausted';
    case 'not-eligible':
      return 'claim offset; the household is not eligible for the bufferbudget';
    case 'buffer-not-in-force':
      return `claim offset; no bufferbudget before it came into force${b.inForceFrom ? ` (${b.inForceFrom})` : ''}`;
    default:
      return 'claim offset';
  }
}

/** disregard-ending: a `work` grant ends (its `to`) in month P, at the payment of P (art. 34a(2): consider an extension). */
export function disregardEndingAlerts(month: YearMonth, grants: readonly DisregardGrant[]): PendingAlert[] {
  return grants
    .filter((g) => g.kind === 'work' && monthOf(g.to) === month)
    .map((g) => ({
      kind: 'disregard-ending' as const,
      month,
      reason: 'a work disregard grant ends this month: consider an extension (Pw art. 34a(2))',
      details: { grantFrom: g.from, grantTo: g.to },
    }));
}

/** gifts-above-free-amount: the gift that takes the year's running total above the free amount; its amount is the part above. */
export function giftsAboveFreeAmountAlerts(gifts: readonly GiftCount[]): PendingAlert[] {
  return gifts.filter(giftCrossingFreeAmount).map((g) => ({
    kind: 'gifts-above-free-amount' as const,
    month: monthOf(g.declaration.receivedOn),
    amount: g.counted,
    reason:
      'gifts and cost-saving contributions this year are above the free amount (Pw art. 31(2)(m), 18(8)): ' +
      'the part above counts as income',
    details: {
      declarationId: g.declaration.declarationId,
      freePerYear: fmt(g.freePerYear),
      runningTotal: fmt(g.runningTotalAfter),
    },
  }));
}

/** Whether an alert for this cause was raised before (each cause once, SPEC §8). */
export function alreadyRaised(state: Pick<HouseholdState, 'alertsRaised'>, kind: AlertKind, month: YearMonth): boolean {
  return state.alertsRaised.has(alertKey(kind, month));
}

/** The AlertRaised events for the pending alerts whose cause was not raised before, the first of each cause. */
export function raiseAlerts(
  pending: ReadonlyArray<PendingAlert | null>,
  state: Pick<HouseholdState, 'alertsRaised'>,
  householdId: string,
  runDate: IsoDate,
): AlertRaised[] {
  const raised = new Set<string>();
  const out: AlertRaised[] = [];
  for (const a of pending) {
    if (!a || alreadyRaised(state, a.kind, a.month) || raised.has(alertKey(a.kind, a.month))) continue;
    raised.add(alertKey(a.kind, a.month));
    out.push({
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
    });
  }
  return out;
}
