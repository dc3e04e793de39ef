import { money, round, min, ZERO, fmt, type Money } from '../money.js';
import { intersect, monthPeriod, type IsoDate, type YearMonth } from '../dates.js';
import {
  lookup,
  describeRow,
  type DisregardOfKind,
  type DisregardRow,
  type ParameterTables,
  type ParameterUsed,
} from '../parameters.js';
import type { DisregardKind } from '../schemas.js';
import { LegalRef, type LegalReference, type TraceStep } from '../trace.js';

/** The college's decision to disregard part of a person's income from work (Pw art. 34a; before 2027 art. 31(2)(n)). */
export interface DisregardGrant {
  bsn: string;
  kind: DisregardKind;
  from: IsoDate;
  /** OPEN_END for a grant without an end (medical, pension age). */
  to: IsoDate;
}

/** The row of the disregard table for a kind of grant, or undefined when the row has none (no disregard then). */
export function disregardOfKind(row: DisregardRow, kind: DisregardKind): DisregardOfKind | undefined {
  return kind === 'work' ? row.work : kind === 'medical' ? row.medical : row.pensionAge;
}

/**
 * The article the disregard rests on at a date: the legal basis of the latest row of the table that names
 * one (art. 31(2)(n) before 2027, art. 34a from then in the national table, SPEC §2); a municipal row
 * without a basis rests on the article of the row before it.
 */
export function disregardArticleAt(params: ParameterTables, date: IsoDate): string {
  let article = '34a';
  for (const row of params.disregard) if (row.validFrom <= date && row.legalBasis) article = row.legalBasis.article;
  return article;
}

/** The reference of a kind of disregard under that article: art. 34a(1)(a) work, (b) medical, (c) pension age. */
export function disregardLegalRef(article: string, kind: DisregardKind): LegalReference {
  if (article !== '34a') return LegalRef.disregardBefore2027;
  return kind === 'work'
    ? LegalRef.disregardWork
    : kind === 'medical'
      ? LegalRef.disregardMedical
      : LegalRef.disregardPensionAge;
}

/** The grants of a person that overlap the month. */
export function grantsInMonth(month: YearMonth, grants: readonly DisregardGrant[]): DisregardGrant[] {
  const m = monthPeriod(month);
  return grants.filter((g) => intersect(m, { start: g.from, end: g.to }) !== null);
}

/** V_p = round(rate_k × W_p), at most capAmount_k where the row has one (SPEC §5.4). */
export function disregardOfPerson(workIncome: Money, kind: DisregardOfKind): Money {
  const v = round(workIncome.times(kind.rate));
  return kind.capAmount !== undefined ? min(v, money(kind.capAmount)) : v;
}

/**
 * Earnings disregard of month M (SPEC §5.4): for each entitled person p with a grant of kind k
 * overlapping M (table at M's first day), V_p = round(rate_k × W_p,M), capped where the row has a cap;
 * two grants of one person in the month: the larger V_p (SPEC §12.3). V_M = min(Σ_p V_p, I_M).
 */
export function earningsDisregard(
  month: YearMonth,
  workIncomePerPerson: ReadonlyMap<string, Money>,
  grants: readonly DisregardGrant[],
  householdIncome: Money,
  params: ParameterTables,
  label: 'settled' | 'projected' = 'settled',
): { disregard: Money; step: TraceStep | null; parameters: ParameterUsed[] } {
  const granted = grantsInMonth(month, grants).filter((g) => workIncomePerPerson.has(g.bsn));
  if (granted.length === 0) return { disregard: ZERO, step: null, parameters: [] };
  const row = lookup(params, 'disregard', monthPeriod(month).start);
  const article = disregardArticleAt(params, monthPeriod(month).start);
  const best = new Map<string, { v: Money; kind: DisregardKind }>();
  for (const g of granted) {
    const of = disregardOfKind(row, g.kind);
    if (!of) continue;
    const v = disregardOfPerson(workIncomePerPerson.get(g.bsn) ?? ZERO, of);
    const known = best.get(g.bsn);
    if (!known || v.greaterThan(known.v)) best.set(g.bsn, { v, kind: g.kind });
  }
  const persons = [...best.keys()].sort();
  const total = persons.reduce((t, bsn) => t.plus(best.get(bsn)!.v), ZERO);
  // Never more than the month's income: per-person amounts can add up to more than the household's
  // income when another member's month is negative (a correction), which would lift A above the norm.
  const disregard = min(money(total), householdIncome);
  const kinds = [...new Set(persons.map((p) => best.get(p)!.kind))];
  return {
    disregard,
    step: {
      rule: label === 'settled' ? 'earningsDisregard' : 'earningsDisregardOnProjection',
      legalRef: disregardLegalRef(article, kinds.length === 1 ? kinds[0]! : 'work'),
      inputs: {
        householdIncome: fmt(householdIncome),
        perPerson: persons.map((bsn, i) => {
          const { v, kind } = best.get(bsn)!;
          const of = disregardOfKind(row, kind)!;
          return {
            person: `person${i + 1}`,
            kind,
            workIncome: fmt(workIncomePerPerson.get(bsn) ?? ZERO),
            rate: of.rate,
            ...(of.capAmount ? { capAmount: of.capAmount } : {}),
            disregard: fmt(v),
            legalRef: disregardLegalRef(article, kind),
          };
        }),
      },
      result: { disregard: fmt(disregard) },
    },
    parameters: [describeRow('disregard', row)],
  };
}

/**
 * The non-entitled partner's disregard (art. 32(3), last sentence: paragraph 3.4 applies to the partner's
 * income; SPEC v3 §5.4–5.5): V_np from the partner's own grants and employment income W_np, at most the
 * partner's income I_np. The step is traced under art. 32(3), each amount under its art. 34a kind.
 */
export function partnerEarningsDisregard(
  month: YearMonth,
  partnerBsn: string,
  partnerWorkIncome: Money,
  grants: readonly DisregardGrant[],
  partnerIncome: Money,
  params: ParameterTables,
  label: 'settled' | 'projected' = 'settled',
): { disregard: Money; step: TraceStep | null; parameters: ParameterUsed[] } {
  const own = grants.filter((g) => g.bsn === partnerBsn);
  const v = earningsDisregard(month, new Map([[partnerBsn, partnerWorkIncome]]), own, partnerIncome, params, label);
  if (!v.step) return v;
  const rule = label === 'settled' ? 'partnerEarningsDisregard' : 'partnerEarningsDisregardOnProjection';
  const { householdIncome, ...inputs } = v.step.inputs;
  const step = {
    rule,
    legalRef: LegalRef.partnerDisregard,
    inputs: { partnerIncome: householdIncome, ...inputs },
    result: v.step.result,
  };
  return { ...v, step };
}
