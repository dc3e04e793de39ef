import { money, max, ZERO, fmt, type Money } from '../money.js';
import type { Period, YearMonth } from '../dates.js';
import type { ParameterTables, ParameterUsed } from '../parameters.js';
import { LegalRef, type TraceStep } from '../trace.js';
import type { HouseholdState } from '../household.js';
import type { ShareOfMonth, StatementSettlement } from './allocation.js';
import { normOfMonth } from './norm.js';
import { earningsDisregard } from './disregard.js';

export interface MonthComputation {
  month: YearMonth;
  norm: Money;
  holidayReserveFull: Money;
  normExclHoliday: Money;
  income: Money;
  disregard: Money;
  countableIncome: Money;
  assistance: Money;
  excessIncome: Money;
  holidayAccrued: Money;
  holidayReserve: Money;
  steps: TraceStep[];
  parameters: ParameterUsed[];
}

/** I_M = max(0, Σ income allocated to M), and per person likewise (SPEC §5.3). */
export function incomeOfMonth(shares: readonly ShareOfMonth[]): {
  income: Money;
  perPerson: Map<string, Money>;
  holidayAccrualTotal: Money;
} {
  let income: Money = ZERO;
  let holiday: Money = ZERO;
  const perPersonRaw = new Map<string, Money>();
  for (const { settlement, share } of shares) {
    if (share.category === 'income') {
      income = money(income.plus(share.amount));
      const bsn = settlement.record.statement.bsn;
      perPersonRaw.set(bsn, money((perPersonRaw.get(bsn) ?? ZERO).plus(share.amount)));
    } else {
      holiday = money(holiday.plus(share.amount));
    }
  }
  const perPerson = new Map([...perPersonRaw].map(([k, v]) => [k, max(ZERO, v)]));
  return { income: max(ZERO, income), perPerson, holidayAccrualTotal: holiday };
}

/** A_M = max(0, NormEx_M − C_M) and E_M = max(0, C_M − NormEx_M) (SPEC §5.5). */
export function assistanceOfMonth(normExclHoliday: Money, countableIncome: Money): { assistance: Money; excessIncome: Money } {
  return {
    assistance: max(ZERO, normExclHoliday.minus(countableIncome)),
    excessIncome: max(ZERO, countableIncome.minus(normExclHoliday)),
  };
}

/**
 * Holiday standard method (001 measure 18): accrued holiday allowance (and IKB) is set against the
 * holiday reserve of the benefit, as is income above the monthly norm: R_M = max(0, VT_M − H_M − E_M).
 */
export function holidayReserveOfMonth(holidayReserveFull: Money, holidayAccrued: Money, excessIncome: Money): Money {
  return max(ZERO, holidayReserveFull.minus(holidayAccrued).minus(excessIncome));
}

/** The entitlement for one month M of the case (SPEC §5), from the statements' shares of M. */
export function computeMonth(
  month: YearMonth,
  state: Pick<HouseholdState, 'compositions' | 'disregardGrants'>,
  casePeriod: Period,
  shares: readonly ShareOfMonth[],
  params: ParameterTables,
): MonthComputation {
  const steps: TraceStep[] = [];
  const parameters: ParameterUsed[] = [];
  const seen = new Set<StatementSettlement>();
  for (const { settlement } of shares) {
    if (seen.has(settlement)) continue;
    seen.add(settlement);
    steps.push(...settlement.steps);
    parameters.push(...settlement.parameters);
  }

  const n = normOfMonth(month, casePeriod, state.compositions, params);
  steps.push(...n.steps);
  parameters.push(...n.parameters);

  const { income, perPerson, holidayAccrualTotal } = incomeOfMonth(shares);
  steps.push({
    rule: 'incomeOfMonth',
    legalRef: LegalRef.income,
    inputs: { shares: shares.filter((s) => s.share.category === 'income').map((s) => ({ messageId: s.settlement.record.statement.messageId, kind: s.share.kind, amount: fmt(s.share.amount) })) },
    result: { income: fmt(income) },
  });

  const v = earningsDisregard(month, perPerson, state.disregardGrants, n.norm, income, params);
  if (v.step) steps.push(v.step);
  parameters.push(...v.parameters);
  const countableIncome = money(income.minus(v.disregard));

  const { assistance, excessIncome } = assistanceOfMonth(n.normExclHoliday, countableIncome);
  steps.push({
    rule: 'assistanceOfMonth',
    legalRef: LegalRef.assistance,
    inputs: { normExclHoliday: fmt(n.normExclHoliday), income: fmt(income), disregard: fmt(v.disregard), countableIncome: fmt(countableIncome) },
    result: { assistance: fmt(assistance), excessIncome: fmt(excessIncome) },
  });

  const holidayAccrued = max(ZERO, holidayAccrualTotal);
  const holidayReserve = holidayReserveOfMonth(n.holidayReserveFull, holidayAccrued, excessIncome);
  steps.push({
    rule: 'holidayStandardMethod',
    legalRef: LegalRef.holidayStandard,
    inputs: {
      holidayReserveFull: fmt(n.holidayReserveFull),
      holidayAccrued: fmt(holidayAccrued),
      excessIncome: fmt(excessIncome),
      accrualShares: shares.filter((s) => s.share.category === 'holidayAccrual').map((s) => ({ messageId: s.settlement.record.statement.messageId, kind: s.share.kind, amount: fmt(s.share.amount) })),
    },
    result: { holidayReserve: fmt(holidayReserve) },
  });

  return {
    month,
    norm: n.norm,
    holidayReserveFull: n.holidayReserveFull,
    normExclHoliday: n.normExclHoliday,
    income,
    disregard: v.disregard,
    countableIncome,
    assistance,
    excessIncome,
    holidayAccrued,
    holidayReserve,
    steps,
    parameters,
  };
}
