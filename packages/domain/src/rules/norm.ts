import { Money as D, money, round, ratio, ZERO, fmt, min, type Money } from '../money.js';
import {
  addDays,
  days,
  daysInMonth,
  intersect,
  monthPeriod,
  type IsoDate,
  type Period,
  type YearMonth,
} from '../dates.js';
import { lookup, describeRow, type ParameterTables, type ParameterUsed } from '../parameters.js';
import type { HouseholdCategory } from '../schemas.js';
import { LegalRef, type LegalReference, type TraceStep } from '../trace.js';

/** Household composition from a date on (CaseOpened, then each HouseholdChanged). */
export interface Composition {
  from: IsoDate;
  category: HouseholdCategory;
  costSharers: number;
}

/** A maatregel (Pw art. 18): the norm lowered by `rate` on the days [from, to]; `to` after any MeasureEnded. */
export interface Measure {
  measureId: string;
  rate: string;
  from: IsoDate;
  to: IsoDate;
  imposedTo: IsoDate;
}

/** Kostendelersnorm factor (40 + 30A) / (100A), Pw art. 22a. */
function costSharerFactor(a: number): Money {
  return new D(40 + 30 * a).dividedBy(100 * a);
}

/** The tables a category norm is computed from, each at the segment's first day (SPEC §12.7). */
export interface NormTables {
  couple: Money;
  single: Money;
  partnerNormRate: Money;
  /** WKB single-parent supplement per year; art. 24a adds round(· / 12) (SPEC v3 §5.1). */
  aloSupplementPerYear: Money;
}

/** SPEC §5.1: the monthly norm of a category for A cost sharers (Pw art. 21, 22a, 24, 24a; 001 measure 6a). */
export function categoryNorm(category: HouseholdCategory, costSharers: number, t: NormTables): Money {
  const a = costSharers;
  switch (category) {
    case 'single':
    case 'single-parent':
      return a <= 1 ? t.single : round(costSharerFactor(a).times(t.couple));
    case 'couple':
      // Art. 22a(2): the sum of each spouse's own norm, each rounded (v2 rounded the doubled amount once).
      return a <= 2 ? t.couple : money(round(costSharerFactor(a).times(t.couple)).times(2));
    case 'couple-one-entitled':
      return a <= 2 ? round(t.partnerNormRate.times(t.couple)) : round(costSharerFactor(a).times(t.couple));
    case 'single-parent-no-alo':
      // Art. 24a: the art. 24 norm for the same A plus one twelfth of the WKB single-parent supplement.
      return money(categoryNorm('couple-one-entitled', a, t).plus(aloSupplementPerMonth(t.aloSupplementPerYear)));
  }
}

/** Art. 24a: round(aloSupplementPerYear / 12), e.g. 3416.00 / 12 = 284.666… → 284.67. */
export function aloSupplementPerMonth(perYear: Money): Money {
  return ratio(perYear, 1, 12);
}

/** SPEC §5.1: a measure with rate r lowers a segment's norm: N − round(r × N). Overlapping rates add up, at most 1 (§12.4). */
export function normAfterMeasures(norm: Money, rate: Money): Money {
  return money(norm.minus(round(norm.times(rate))));
}

function legalRefFor(category: HouseholdCategory, costSharers: number): LegalReference {
  if (category === 'couple-one-entitled' && costSharers <= 2) return LegalRef.normOneEntitled;
  if (category === 'single-parent-no-alo') return LegalRef.normNoAlo;
  if (category === 'couple' && costSharers > 2) return LegalRef.costSharersCouple;
  const plain = category === 'couple' ? costSharers <= 2 : costSharers <= 1;
  return plain ? LegalRef.norm : LegalRef.costSharers;
}

export interface NormSegment {
  period: Period;
  composition: Composition;
  /** Sum of the rates of the measures covering the whole segment, at most 1. */
  measureRate: Money;
}

/**
 * Split `period` into segments of constant composition and constant measures (SPEC §5.1).
 * `compositions` is sorted by `from`.
 */
export function normSegments(
  period: Period,
  compositions: readonly Composition[],
  measures: readonly Measure[],
): NormSegment[] {
  const out: NormSegment[] = [];
  compositions.forEach((c, i) => {
    const next = compositions[i + 1];
    const seg = intersect(period, { start: c.from, end: next ? addDays(next.from, -1) : '9999-12-31' });
    if (!seg) return;
    // Cut where a measure starts or ends inside the segment.
    const cuts = new Set<IsoDate>([seg.start]);
    for (const m of measures) {
      if (m.from > seg.start && m.from <= seg.end) cuts.add(m.from);
      const after = addDays(m.to, 1);
      if (after > seg.start && after <= seg.end) cuts.add(after);
    }
    const starts = [...cuts].sort();
    starts.forEach((start, k) => {
      const end = k + 1 < starts.length ? addDays(starts[k + 1]!, -1) : seg.end;
      const rate = measures
        .filter((m) => m.from <= start && m.to >= end && m.from <= m.to)
        .reduce((t, m) => t.plus(m.rate), ZERO);
      out.push({ period: { start, end }, composition: c, measureRate: min(money(rate), new D(1)) });
    });
  });
  return out;
}

export interface NormOfMonth {
  norm: Money;
  /** The rounded month norm without measures minus N_M (SPEC §12.9). */
  measureReduction: Money;
  holidayReserveFull: Money;
  normExclHoliday: Money;
  steps: TraceStep[];
  parameters: ParameterUsed[];
}

function normTablesAt(
  date: IsoDate,
  params: ParameterTables,
  used: ParameterUsed[],
  category: HouseholdCategory,
): NormTables {
  const row = lookup(params, 'norm', date);
  used.push(describeRow('norm', row));
  const tables: NormTables = {
    couple: money(row.couple),
    single: money(row.single),
    partnerNormRate: ZERO,
    aloSupplementPerYear: ZERO,
  };
  if (category === 'couple-one-entitled' || category === 'single-parent-no-alo') {
    const r = lookup(params, 'partnerNormRate', date);
    used.push(describeRow('partnerNormRate', r));
    tables.partnerNormRate = money(r.value);
  }
  if (category === 'single-parent-no-alo') {
    const r = lookup(params, 'aloSupplementPerYear', date);
    used.push(describeRow('aloSupplementPerYear', r));
    tables.aloSupplementPerYear = money(r.value);
  }
  return tables;
}

/**
 * N_M = round(Σ_seg N_seg × days_seg / daysIn(M)) over the part of M inside the case (SPEC §5.1),
 * then VT_M = round(rate × N_M) and NormEx_M = N_M − VT_M (SPEC §5.2). `asCategory` computes the
 * norm of another category with the same A, segments and measures (NC_M of SPEC §5.5).
 */
export function normOfMonth(
  month: YearMonth,
  casePeriod: Period,
  compositions: readonly Composition[],
  measures: readonly Measure[],
  params: ParameterTables,
  asCategory?: HouseholdCategory,
): NormOfMonth {
  const inCase = intersect(monthPeriod(month), casePeriod);
  const segments = inCase ? normSegments(inCase, compositions, measures) : [];
  const parameters: ParameterUsed[] = [];
  let weighted: Money = ZERO;
  let weightedWithout: Money = ZERO;
  const segmentTrace = segments.map(({ period, composition, measureRate }) => {
    const category = asCategory ?? composition.category;
    // SPEC §12.6: the couple norm with A < 2 is the plain couple norm (categoryNorm's couple branch).
    const costSharers = composition.costSharers;
    const tables = normTablesAt(period.start, params, parameters, category);
    const full = categoryNorm(category, costSharers, tables);
    const n = measureRate.isZero() ? full : normAfterMeasures(full, measureRate);
    weighted = money(weighted.plus(n.times(days(period))));
    weightedWithout = money(weightedWithout.plus(full.times(days(period))));
    return {
      period: `${period.start}/${period.end}`,
      category,
      costSharers: composition.costSharers,
      norm: fmt(full),
      ...(category === 'single-parent-no-alo'
        ? {
            aloSupplementPerYear: fmt(tables.aloSupplementPerYear),
            aloSupplementPerMonth: fmt(aloSupplementPerMonth(tables.aloSupplementPerYear)),
            aloSupplementLegalRef: LegalRef.aloSupplement,
          }
        : {}),
      ...(measureRate.isZero()
        ? {}
        : { measureRate: measureRate.toString(), normAfterMeasure: fmt(n), measureLegalRef: LegalRef.measure }),
      days: days(period),
      legalRef: legalRefFor(category, costSharers),
    };
  });
  const norm = ratio(weighted, 1, daysInMonth(month));
  const measureReduction = money(ratio(weightedWithout, 1, daysInMonth(month)).minus(norm));
  const rateRow = lookup(params, 'holidayReserveRate', monthPeriod(month).start);
  parameters.push(describeRow('holidayReserveRate', rateRow));
  const holidayReserveFull = round(norm.times(rateRow.value));
  const normExclHoliday = money(norm.minus(holidayReserveFull));
  const first = segments[0];
  const steps: TraceStep[] = [
    {
      rule: asCategory ? 'coupleNormOfMonth' : 'normOfMonth',
      legalRef: first
        ? legalRefFor(asCategory ?? first.composition.category, first.composition.costSharers)
        : LegalRef.norm,
      inputs: { month, daysInMonth: daysInMonth(month), segments: segmentTrace },
      result: { norm: fmt(norm), measureReduction: fmt(measureReduction) },
    },
    {
      rule: asCategory ? 'holidayReserveOfCoupleNorm' : 'holidayReserveOfNorm',
      legalRef: LegalRef.holidayReserve,
      inputs: { norm: fmt(norm), rate: rateRow.value },
      result: { holidayReserveFull: fmt(holidayReserveFull), normExclHoliday: fmt(normExclHoliday) },
    },
  ];
  return { norm, measureReduction, holidayReserveFull, normExclHoliday, steps, parameters };
}
