import { Money as D, money, round, ratio, ZERO, fmt, type Money } from '../money.js';
import { days, daysInMonth, intersect, monthPeriod, addDays, type IsoDate, type Period, type YearMonth } from '../dates.js';
import { lookup, describeRow, type NormRow, type ParameterTables, type ParameterUsed } from '../parameters.js';
import type { HouseholdCategory } from '../schemas.js';
import { LegalRef, type TraceStep } from '../trace.js';

/** Household composition from a date on (CaseOpened, then each HouseholdChanged). */
export interface Composition {
  from: IsoDate;
  category: HouseholdCategory;
  costSharers: number;
}

/** Kostendelersnorm factor (40 + 30A) / (100A), Pw art. 22a. */
function costSharerFactor(a: number): Money {
  return new D(40 + 30 * a).dividedBy(100 * a);
}

/** The monthly norm for one category and number of cost sharers (SPEC §5.1). */
export function categoryNorm(category: HouseholdCategory, costSharers: number, row: NormRow): Money {
  const couple = money(row.couple);
  switch (category) {
    case 'single':
    case 'single-parent':
      return costSharers <= 1 ? money(row.single) : round(costSharerFactor(costSharers).times(couple));
    case 'couple':
      return costSharers <= 2 ? couple : round(costSharerFactor(costSharers).times(2).times(couple));
    case 'couple-one-entitled':
      return round(couple.times('0.70'));
    case 'single-parent-no-alo':
      return round(couple.times('0.90'));
  }
}

function legalRefFor(category: HouseholdCategory): string {
  if (category === 'couple-one-entitled') return LegalRef.normOneEntitled;
  if (category === 'single-parent-no-alo') return LegalRef.normNoAlo;
  return LegalRef.norm;
}

export interface NormOfMonth {
  norm: Money;
  holidayReserveFull: Money;
  normExclHoliday: Money;
  steps: TraceStep[];
  parameters: ParameterUsed[];
}

/** Split `period` into segments of constant composition. `compositions` is sorted by `from`. */
export function compositionSegments(period: Period, compositions: readonly Composition[]): Array<{ period: Period; composition: Composition }> {
  const out: Array<{ period: Period; composition: Composition }> = [];
  compositions.forEach((c, i) => {
    const next = compositions[i + 1];
    const validity: Period = { start: c.from, end: next ? addDays(next.from, -1) : '9999-12-31' };
    const seg = intersect(period, validity);
    if (seg) out.push({ period: seg, composition: c });
  });
  return out;
}

/**
 * N_M = round(Σ_seg N_seg × days_seg / daysIn(M)) over the part of M inside the case (SPEC §5.1),
 * then VT_M = round(rate × N_M) and NormEx_M = N_M − VT_M (SPEC §5.2).
 */
export function normOfMonth(
  month: YearMonth,
  casePeriod: Period,
  compositions: readonly Composition[],
  params: ParameterTables,
): NormOfMonth {
  const inCase = intersect(monthPeriod(month), casePeriod);
  const segments = inCase ? compositionSegments(inCase, compositions) : [];
  const parameters: ParameterUsed[] = [];
  const steps: TraceStep[] = [];
  let weighted: Money = ZERO;
  const segmentTrace = segments.map(({ period, composition }) => {
    const row = lookup(params, 'norm', period.start);
    parameters.push(describeRow('norm', row));
    const n = categoryNorm(composition.category, composition.costSharers, row);
    weighted = money(weighted.plus(n.times(days(period))));
    return {
      period: `${period.start}/${period.end}`,
      category: composition.category,
      costSharers: composition.costSharers,
      norm: fmt(n),
      days: days(period),
      legalRef: legalRefFor(composition.category),
    };
  });
  const norm = ratio(weighted, 1, daysInMonth(month));
  steps.push({
    rule: 'normOfMonth',
    legalRef: segments.length > 0 ? legalRefFor(segments[0]!.composition.category) : LegalRef.norm,
    inputs: { month, daysInMonth: daysInMonth(month), segments: segmentTrace },
    result: { norm: fmt(norm) },
  });

  const rateRow = lookup(params, 'holidayReserveRate', monthPeriod(month).start);
  parameters.push(describeRow('holidayReserveRate', rateRow));
  const holidayReserveFull = round(norm.times(rateRow.value));
  const normExclHoliday = money(norm.minus(holidayReserveFull));
  steps.push({
    rule: 'holidayReserveOfNorm',
    legalRef: LegalRef.holidayReserve,
    inputs: { norm: fmt(norm), rate: rateRow.value },
    result: { holidayReserveFull: fmt(holidayReserveFull), normExclHoliday: fmt(normExclHoliday) },
  });
  return { norm, holidayReserveFull, normExclHoliday, steps, parameters };
}
