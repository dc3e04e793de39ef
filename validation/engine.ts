import {
  defaultParameters,
  earningsDisregard,
  fmt,
  giftsAboveFreeAmount,
  money,
  monthPeriod,
  normOfMonth,
  parameterOverridesSchema,
  withOverrides,
  type HouseholdCategory,
  type OtherIncomeDeclared,
  type ParameterTables,
  type YearMonth,
} from '../packages/domain/src/index.js';
import type { SourceId } from './sources.js';

/**
 * Thin calls into the engine for the law-validation cases: the cases state a source's figures and the
 * parameters of its date; these functions only translate them into the engine's own inputs, so that what
 * is asserted is the engine's arithmetic, never a copy of it.
 */

/** The national tables with the rows of a case's date laid over them (SPEC §11 override rules). */
export function tablesOf(rows: Record<string, unknown>): ParameterTables {
  return withOverrides(defaultParameters, parameterOverridesSchema.parse(rows));
}

/** A norm row as a published table gives it, marked with the source it was quoted from. */
export function normRow(validFrom: string, couple: string, single: string, source: SourceId) {
  return { validFrom, couple, single, source: `law-validation source ${source}` };
}

export interface MonthNorm {
  norm: string;
  holidayReserve: string;
  normExclHoliday: string;
}

/** A row of a published table: the norm incl. vakantietoeslag, the VT, the norm excl. VT. */
export function published(norm: string, holidayReserve: string, normExclHoliday: string): MonthNorm {
  return { norm, holidayReserve, normExclHoliday };
}

/** SPEC §5.1–5.2 for a whole month of one household composition, through the engine's normOfMonth. */
export function monthNorm(
  month: YearMonth,
  category: HouseholdCategory,
  costSharers: number,
  params: ParameterTables,
): MonthNorm {
  const m = monthPeriod(month);
  const n = normOfMonth(month, m, [{ from: m.start, category, costSharers }], [], params);
  return { norm: fmt(n.norm), holidayReserve: fmt(n.holidayReserveFull), normExclHoliday: fmt(n.normExclHoliday) };
}

/** SPEC §5.1: what a lowering by `rate` over the whole month takes off the norm (N − round(r × N)). */
export function monthLowering(
  month: YearMonth,
  category: HouseholdCategory,
  costSharers: number,
  rate: string,
  params: ParameterTables,
): string {
  const m = monthPeriod(month);
  const lowering = { measureId: 'validation', rate, from: m.start, to: m.end, imposedTo: m.end };
  return fmt(normOfMonth(month, m, [{ from: m.start, category, costSharers }], [lowering], params).measureReduction);
}

/** SPEC §5.4: the disregard of one person's work income in a month with a work grant covering it. */
export function workDisregard(month: YearMonth, workIncome: string, params: ParameterTables): string {
  const m = monthPeriod(month);
  const bsn = '111222333';
  const grant = { bsn, kind: 'work' as const, from: m.start, to: m.end };
  const w = money(workIncome);
  return fmt(earningsDisregard(month, new Map([[bsn, w]]), [grant], w, params).disregard);
}

/** SPEC §4.5: what of each gift counts as income, in the order the engine settles them. */
export function giftsCounted(
  gifts: ReadonlyArray<{ receivedOn: string; amount: string }>,
  params: ParameterTables,
): string[] {
  const declared: OtherIncomeDeclared[] = gifts.map((g, i) => ({
    type: 'OtherIncomeDeclared',
    householdId: 'validation',
    declarationId: `gift-${String(i + 1).padStart(2, '0')}`,
    bsn: '111222333',
    kind: 'gift',
    amount: g.amount,
    receivedOn: g.receivedOn,
  }));
  return giftsAboveFreeAmount(declared, params).map((c) => fmt(c.counted));
}
