import { money, round, min, ZERO, fmt, type Money } from '../money.js';
import { intersect, monthPeriod, type IsoDate, type YearMonth } from '../dates.js';
import { lookup, describeRow, type ParameterTables, type ParameterUsed } from '../parameters.js';
import { LegalRef, type TraceStep } from '../trace.js';

export interface DisregardGrant {
  bsn: string;
  from: IsoDate;
  to: IsoDate;
}

/** Persons with a disregard grant (the college's decision) overlapping the month. */
export function personsWithGrant(month: YearMonth, grants: readonly DisregardGrant[]): Set<string> {
  const m = monthPeriod(month);
  return new Set(grants.filter((g) => intersect(m, { start: g.from, end: g.to }) !== null).map((g) => g.bsn));
}

/**
 * Earnings disregard (SPEC §5.4; 001 measure 1): V_M = min(Σ_p round(rate × I_p,M), cap) over the
 * persons with a grant overlapping M, cap = capAmount or round(capRate × N_M); table at M's first day.
 * Also at most I_M (see below).
 */
export function earningsDisregard(
  month: YearMonth,
  incomePerPerson: ReadonlyMap<string, Money>,
  grants: readonly DisregardGrant[],
  norm: Money,
  householdIncome: Money,
  params: ParameterTables,
  label: 'settled' | 'projected' = 'settled',
): { disregard: Money; step: TraceStep | null; parameters: ParameterUsed[] } {
  const granted = personsWithGrant(month, grants);
  if (granted.size === 0) return { disregard: ZERO, step: null, parameters: [] };
  const row = lookup(params, 'disregard', monthPeriod(month).start);
  const cap = row.capAmount !== undefined ? money(row.capAmount) : round(norm.times(row.capRate!));
  const perPerson: Record<string, string> = {};
  let total: Money = ZERO;
  for (const bsn of [...granted].sort()) {
    const v = round((incomePerPerson.get(bsn) ?? ZERO).times(row.rate));
    perPerson[`person${Object.keys(perPerson).length + 1}`] = fmt(v);
    total = money(total.plus(v));
  }
  // Never more than the month's income: per-person amounts can add up to more than the household's
  // income when one partner's month is negative (a correction), which would lift A above the norm.
  const disregard = min(min(total, cap), householdIncome);
  return {
    disregard,
    step: {
      rule: label === 'settled' ? 'earningsDisregard' : 'earningsDisregardOnProjection',
      legalRef: LegalRef.disregard,
      inputs: { rate: row.rate, cap: fmt(cap), householdIncome: fmt(householdIncome), capBasis: row.capAmount !== undefined ? 'capAmount' : `capRate ${row.capRate} × norm ${fmt(norm)}`, perPerson },
      result: { disregard: fmt(disregard) },
    },
    parameters: [describeRow('disregard', row)],
  };
}
