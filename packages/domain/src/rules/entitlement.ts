import { money, max, min, ZERO, fmt, type Money } from '../money.js';
import type { Period, YearMonth } from '../dates.js';
import type { ParameterTables, ParameterUsed } from '../parameters.js';
import { LegalRef, type TraceStep } from '../trace.js';
import { entitledMembers, nonEntitledPartner, type HouseholdState } from '../household.js';
import type { ShareOfMonth } from './allocation.js';
import { normOfMonth } from './norm.js';
import { earningsDisregard, partnerEarningsDisregard } from './disregard.js';

export interface MonthComputation {
  month: YearMonth;
  norm: Money;
  measureReduction: Money;
  holidayReserveFull: Money;
  normExclHoliday: Money;
  income: Money;
  /** Σ_p W_p,M: the entitled members' income from work (the bufferbudget asks for it, art. 34b(1)). */
  incomeFromWork: Money;
  disregard: Money;
  partnerIncomeCounted: Money;
  countableIncome: Money;
  assistance: Money;
  excessIncome: Money;
  holidayAccrued: Money;
  holidayReserve: Money;
  steps: TraceStep[];
  parameters: ParameterUsed[];
}

/** The month's income split the way SPEC §5.3–5.6 uses it. */
export interface IncomeOfMonth {
  /** I_M = max(0, Σ income components of entitled members), all kinds and declared income. */
  income: Money;
  /** W_p,M = max(0, Σ p's employment income) for every entitled member. */
  workIncomePerPerson: Map<string, Money>;
  /** max(0, Σ the non-entitled partner's income components), before the partner's disregard; 0 without one. */
  partnerIncome: Money;
  /** W_np,M = max(0, Σ the non-entitled partner's employment income): what the partner's disregard applies to. */
  partnerWorkIncome: Money;
  /** Σ holiday-accrual components of entitled members (before max(0, …)). */
  holidayAccrualTotal: Money;
}

/** SPEC §5.3 (and the partner's part of §5.5, the accrual of §5.6) from the month's shares. */
export function incomeOfMonth(shares: readonly ShareOfMonth[], entitled: ReadonlySet<string>): IncomeOfMonth {
  let income: Money = ZERO;
  let partner: Money = ZERO;
  let holiday: Money = ZERO;
  let partnerWork: Money = ZERO;
  const work = new Map<string, Money>([...entitled].map((bsn) => [bsn, ZERO]));
  for (const { share } of shares) {
    if (!entitled.has(share.bsn)) {
      if (share.category === 'income') partner = money(partner.plus(share.amount));
      if (share.category === 'income' && share.incomeKind === 'employment') {
        partnerWork = money(partnerWork.plus(share.amount));
      }
      continue; // the non-entitled partner's holiday accrual is not set against the reserve
    }
    if (share.category === 'holidayAccrual') {
      holiday = money(holiday.plus(share.amount));
      continue;
    }
    income = money(income.plus(share.amount));
    if (share.incomeKind === 'employment') work.set(share.bsn, money(work.get(share.bsn)!.plus(share.amount)));
  }
  return {
    income: max(ZERO, income),
    workIncomePerPerson: new Map([...work].map(([bsn, w]) => [bsn, max(ZERO, w)])),
    partnerIncome: max(ZERO, partner),
    partnerWorkIncome: max(ZERO, partnerWork),
    holidayAccrualTotal: holiday,
  };
}

/**
 * Art. 32(3) (SPEC §5.5): a partner without a right to assistance: their income counts only insofar as
 * the couple's income plus the assistance without it exceeds the couple norm.
 * A0 = max(0, NormEx − C_e); P = min(I_np, max(0, C_e + I_np + A0 − NCEx)).
 */
export function partnerIncomeCounted(
  countableOwn: Money,
  partnerIncome: Money,
  normExclHoliday: Money,
  coupleNormExclHoliday: Money,
): Money {
  const assistanceWithout = max(ZERO, normExclHoliday.minus(countableOwn));
  return min(
    partnerIncome,
    max(ZERO, countableOwn.plus(partnerIncome).plus(assistanceWithout).minus(coupleNormExclHoliday)),
  );
}

/** A_M = max(0, NormEx_M − C_M) and E_M = max(0, C_M − NormEx_M) (SPEC §5.5). */
export function assistanceOfMonth(
  normExclHoliday: Money,
  countableIncome: Money,
): { assistance: Money; excessIncome: Money } {
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

/** The parts of the state a month's entitlement depends on. */
export type EntitlementFacts = Pick<HouseholdState, 'compositions' | 'disregardGrants' | 'measures' | 'members'>;

/** The entitlement for one month M of the case (SPEC §5), from the statements' and declarations' shares of M. */
export function computeMonth(
  month: YearMonth,
  state: EntitlementFacts,
  casePeriod: Period,
  shares: readonly ShareOfMonth[],
  params: ParameterTables,
): MonthComputation {
  const steps: TraceStep[] = [];
  const parameters: ParameterUsed[] = [];
  const seen = new Set<ShareOfMonth['settlement']>();
  for (const { settlement } of shares) {
    if (seen.has(settlement)) continue;
    seen.add(settlement);
    steps.push(...settlement.steps);
    parameters.push(...settlement.parameters);
  }

  const n = normOfMonth(month, casePeriod, state.compositions, state.measures, params);
  steps.push(...n.steps);
  parameters.push(...n.parameters);

  const entitled = entitledMembers(state);
  const ofMonth = incomeOfMonth(shares, entitled);
  const { income, workIncomePerPerson, partnerWorkIncome, holidayAccrualTotal } = ofMonth;
  const partnerIncomeGross = ofMonth.partnerIncome;
  const incomeFromWork = [...workIncomePerPerson.values()].reduce((t, w) => money(t.plus(w)), ZERO);
  const sharesOf = (category: 'income' | 'holidayAccrual') =>
    shares
      .filter((s) => s.share.category === category)
      .map((s) => ({
        ...s.settlement.reference,
        kind: s.share.kind,
        incomeKind: s.share.incomeKind,
        entitled: entitled.has(s.share.bsn),
        amount: fmt(s.share.amount),
      }));
  steps.push({
    rule: 'incomeOfMonth',
    legalRef: LegalRef.income,
    inputs: { shares: sharesOf('income') },
    result: { income: fmt(income), incomeFromWork: fmt(incomeFromWork) },
  });

  const v = earningsDisregard(
    month,
    workIncomePerPerson,
    state.disregardGrants.filter((g) => entitled.has(g.bsn)),
    income,
    params,
  );
  if (v.step) steps.push(v.step);
  parameters.push(...v.parameters);
  const countableOwn = money(income.minus(v.disregard));

  let partnerCounted: Money = ZERO;
  const partner = nonEntitledPartner(state);
  if (partner) {
    const couple = normOfMonth(month, casePeriod, state.compositions, state.measures, params, 'couple');
    steps.push(...couple.steps);
    parameters.push(...couple.parameters);
    // I_np = max(0, Σ) − min(V_np, that) (art. 32(3): the partner's income after paragraph 3.4).
    const grants = state.disregardGrants;
    const vnp = partnerEarningsDisregard(month, partner.bsn, partnerWorkIncome, grants, partnerIncomeGross, params);
    if (vnp.step) steps.push(vnp.step);
    parameters.push(...vnp.parameters);
    const partnerIncome = money(partnerIncomeGross.minus(vnp.disregard));
    partnerCounted = partnerIncomeCounted(countableOwn, partnerIncome, n.normExclHoliday, couple.normExclHoliday);
    steps.push({
      rule: 'partnerIncomeCounted',
      legalRef: LegalRef.nonEntitledPartner,
      inputs: {
        countableOwnIncome: fmt(countableOwn),
        partnerIncome: fmt(partnerIncome),
        normExclHoliday: fmt(n.normExclHoliday),
        coupleNormExclHoliday: fmt(couple.normExclHoliday),
      },
      result: { partnerIncomeCounted: fmt(partnerCounted) },
    });
  }
  const countableIncome = money(countableOwn.plus(partnerCounted));

  const { assistance, excessIncome } = assistanceOfMonth(n.normExclHoliday, countableIncome);
  steps.push({
    rule: 'assistanceOfMonth',
    legalRef: LegalRef.assistance,
    inputs: {
      normExclHoliday: fmt(n.normExclHoliday),
      income: fmt(income),
      disregard: fmt(v.disregard),
      partnerIncomeCounted: fmt(partnerCounted),
      countableIncome: fmt(countableIncome),
    },
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
      accrualShares: sharesOf('holidayAccrual'),
    },
    result: { holidayReserve: fmt(holidayReserve) },
  });

  return {
    month,
    norm: n.norm,
    measureReduction: n.measureReduction,
    holidayReserveFull: n.holidayReserveFull,
    normExclHoliday: n.normExclHoliday,
    income,
    incomeFromWork,
    disregard: v.disregard,
    partnerIncomeCounted: partnerCounted,
    countableIncome,
    assistance,
    excessIncome,
    holidayAccrued,
    holidayReserve,
    steps,
    parameters,
  };
}
