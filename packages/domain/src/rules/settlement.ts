import { money, fmt, type Money } from '../money.js';
import { addMonths, monthOf, monthsBetween, type IsoDate, type YearMonth } from '../dates.js';
import { LegalRef, TraceBuilder } from '../trace.js';
import { casePeriod, type HouseholdState, type SettledMonth } from '../household.js';
import type { MonthSettled } from '../events.js';
import type { MonthComputation } from './entitlement.js';

/**
 * SPEC §6.1: the months a run on date D settles: those overlapping K, settled before, or that received
 * an advance, with D ≥ first day of (M + 1 + settlementLagMonths).
 */
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

/** A month's computation as the strings a MonthSettled event carries. */
export function monthValues(c: MonthComputation): MonthSettled['data']['values'] {
  return {
    norm: fmt(c.norm),
    measureReduction: fmt(c.measureReduction),
    holidayReserveFull: fmt(c.holidayReserveFull),
    normExclHoliday: fmt(c.normExclHoliday),
    income: fmt(c.income),
    incomeFromWork: fmt(c.incomeFromWork),
    disregard: fmt(c.disregard),
    partnerIncomeCounted: fmt(c.partnerIncomeCounted),
    countableIncome: fmt(c.countableIncome),
    assistance: fmt(c.assistance),
    excessIncome: fmt(c.excessIncome),
    holidayAccrued: fmt(c.holidayAccrued),
    holidayReserve: fmt(c.holidayReserve),
  };
}

export interface MonthBeforeSettlement {
  /** The last settled version, if any. */
  previous: SettledMonth | undefined;
  /** The advance paid for the month (0 when none). */
  advancePaid: Money;
  ledgerBalance: Money;
  reserveBalance: Money;
}

/**
 * SPEC §6.1 for one month: never settled, ΔA = A_M − advance_M and ΔR = R_M; settled before,
 * ΔA = A_M − A_M(previous) and ΔR = R_M − R_M(previous). A new version only when the month is new or
 * A_M or R_M changed (null otherwise); it moves L by ΔA and RB by ΔR.
 */
export function settlementOfMonth(
  c: MonthComputation,
  before: MonthBeforeSettlement,
  runDate: IsoDate,
  rulesVersion: string,
): MonthSettled | null {
  const { previous, advancePaid } = before;
  if (
    previous &&
    c.assistance.equals(previous.values.assistance) &&
    c.holidayReserve.equals(previous.values.holidayReserve)
  )
    return null;
  const assistanceChange = money(c.assistance.minus(previous ? previous.values.assistance : advancePaid));
  const reserveChange = previous ? money(c.holidayReserve.minus(previous.values.holidayReserve)) : c.holidayReserve;
  const ledgerAfter = money(before.ledgerBalance.plus(assistanceChange));
  const reserveAfter = money(before.reserveBalance.plus(reserveChange));
  const trace = new TraceBuilder();
  trace.add(c.steps);
  trace.params_(c.parameters);
  trace.step(
    'settlementOfMonth',
    LegalRef.revision,
    previous
      ? {
          previousVersion: previous.version,
          previousAssistance: previous.values.assistance,
          previousHolidayReserve: previous.values.holidayReserve,
        }
      : { advancePaid: fmt(advancePaid) },
    {
      assistanceChange: fmt(assistanceChange),
      reserveChange: fmt(reserveChange),
      ledgerBalanceAfter: fmt(ledgerAfter),
      reserveBalanceAfter: fmt(reserveAfter),
    },
  );
  return {
    type: 'MonthSettled',
    data: {
      month: c.month,
      version: (previous?.version ?? 0) + 1,
      runDate,
      values: monthValues(c),
      assistanceChange: fmt(assistanceChange),
      reserveChange: fmt(reserveChange),
      advancePaid: fmt(advancePaid),
      ledgerBalanceAfter: fmt(ledgerAfter),
      reserveBalanceAfter: fmt(reserveAfter),
      rulesVersion,
      explanation: trace.build(),
    },
  };
}
