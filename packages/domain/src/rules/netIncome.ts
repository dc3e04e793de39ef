import { money, ratio, round, max, ZERO, fmt, type Money } from '../money.js';
import { lookup, describeRow, type ParameterTables, type ParameterUsed } from '../parameters.js';
import type { IncomeKind, PolisIncomeStatement, Policy } from '../schemas.js';
import { LegalRef, type TraceStep } from '../trace.js';

/** The net amounts of one statement, SPEC §3. */
export interface NetIncome {
  net: Money;
  netHolidayPaid: Money;
  netIkbPaid: Money;
  netExtraPaid: Money;
  netRegular: Money;
  netHolidayAccrued: Money;
  netIkbAccrued: Money;
}

/**
 * The polis does not split withheld tax between regular and special-rate wage, so tax is attributed
 * in proportion to gross amounts (SPEC §3, known approximation). Kept in this one function.
 */
export function proportionalNetShare(gross: Money, net: Money, taxableWage: Money): Money {
  // 0 × net / wage is exactly 0: most statements pay no special-rate wage, and the 40-digit division
  // was most of the cost of a statement.
  if (!taxableWage.greaterThan(0) || gross.isZero()) return ZERO;
  return ratio(gross, net, taxableWage);
}

/** A statement's net amounts with the trace step and parameters that explain them. */
export interface NetIncomeOfStatement {
  net: NetIncome;
  step: TraceStep;
  parameters: ParameterUsed[];
}

/** Net income of one statement (Regeling Pw art. 7a; SPEC §3); parameters at the statement's period end. */
export function netIncomeOfStatement(s: PolisIncomeStatement, params: ParameterTables): NetIncomeOfStatement {
  const wgaRow = lookup(params, 'wgaDeductionRate', s.period.end);
  const taxableWage = money(s.taxableWage);
  const car = max(ZERO, money(s.companyCarBenefit).minus(money(s.companyCarContribution)));
  // A benefit counts in full: the WGA deduction is for wage only (SPEC §3).
  const wgaDeduction = s.incomeKind === 'employment' ? round(taxableWage.times(wgaRow.value)) : ZERO;
  const net = money(taxableWage.minus(money(s.withheldTax)).minus(money(s.withheldZvw)).minus(car).minus(wgaDeduction));
  const netHolidayPaid = proportionalNetShare(money(s.holidayAllowancePaid), net, taxableWage);
  const netIkbPaid = proportionalNetShare(money(s.ikbPaid), net, taxableWage);
  const netExtraPaid = proportionalNetShare(money(s.extraPeriodSalaryPaid), net, taxableWage);
  const result: NetIncome = {
    net,
    netHolidayPaid,
    netIkbPaid,
    netExtraPaid,
    netRegular: money(net.minus(netHolidayPaid).minus(netIkbPaid).minus(netExtraPaid)),
    netHolidayAccrued: proportionalNetShare(money(s.holidayAllowanceAccrued), net, taxableWage),
    netIkbAccrued: proportionalNetShare(money(s.ikbAccrued), net, taxableWage),
  };
  const step: TraceStep = {
    rule: 'netIncomeOfStatement',
    legalRef: LegalRef.netIncome,
    inputs: {
      messageId: s.messageId,
      incomeRelationshipId: s.incomeRelationshipId,
      incomeKind: s.incomeKind,
      source: s.source,
      period: `${s.period.start}/${s.period.end}`,
      taxableWage: s.taxableWage,
      withheldTax: s.withheldTax,
      withheldZvw: s.withheldZvw,
      companyCar: fmt(car),
      wgaDeduction: fmt(wgaDeduction),
      holidayAllowancePaid: s.holidayAllowancePaid,
      ikbPaid: s.ikbPaid,
      extraPeriodSalaryPaid: s.extraPeriodSalaryPaid,
      holidayAllowanceAccrued: s.holidayAllowanceAccrued,
      ikbAccrued: s.ikbAccrued,
      untaxedAllowancesNotSettled: s.untaxedAllowances,
    },
    result: {
      net: fmt(result.net),
      netHolidayPaid: fmt(result.netHolidayPaid),
      netIkbPaid: fmt(result.netIkbPaid),
      netExtraPaid: fmt(result.netExtraPaid),
      netRegular: fmt(result.netRegular),
      netHolidayAccrued: fmt(result.netHolidayAccrued),
      netIkbAccrued: fmt(result.netIkbAccrued),
    },
  };
  return { net: result, step, parameters: [describeRow('wgaDeductionRate', wgaRow)] };
}

export type ComponentKind = 'regular' | 'extraPeriodSalary' | 'ikbPaid' | 'holidayAccrued' | 'ikbAccrued' | 'other';
export type ComponentCategory = 'income' | 'holidayAccrual';
/** A component keeps its income kind: `employment` is income from work (art. 34a, 34b); `declared` is §4.5. */
export type ComponentIncomeKind = IncomeKind | 'declared';

export interface SettlementComponent {
  kind: ComponentKind;
  category: ComponentCategory;
  incomeKind: ComponentIncomeKind;
  amount: Money;
}

/**
 * Which net amounts enter settlement (SPEC §3): income is regular pay, extra period salary and —
 * under ikbMethod on-payout — IKB withdrawn; holiday accrual is accrued holiday allowance and — under
 * as-holiday-allowance — IKB accrued. Holiday allowance paid and untaxed allowances never count.
 */
export function componentsForSettlement(
  n: NetIncome,
  ikbMethod: Policy['ikbMethod'],
  incomeKind: IncomeKind,
): SettlementComponent[] {
  const all: SettlementComponent[] = [
    { kind: 'regular', category: 'income', incomeKind, amount: n.netRegular },
    { kind: 'extraPeriodSalary', category: 'income', incomeKind, amount: n.netExtraPaid },
    ...(ikbMethod === 'on-payout'
      ? [{ kind: 'ikbPaid' as const, category: 'income' as const, incomeKind, amount: n.netIkbPaid }]
      : [{ kind: 'ikbAccrued' as const, category: 'holidayAccrual' as const, incomeKind, amount: n.netIkbAccrued }]),
    { kind: 'holidayAccrued', category: 'holidayAccrual', incomeKind, amount: n.netHolidayAccrued },
  ];
  return all.filter((c) => !c.amount.isZero());
}
