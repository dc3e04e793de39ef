import { z } from 'zod';
import { isoDate, moneyString, type Policy } from './schemas.js';
import type { IsoDate } from './dates.js';
import type { LegalReference } from './legalReference.js';

/**
 * Dated parameter tables (SPEC §2). A value applies from its `validFrom` until the next row's;
 * a date before the first row has no value and lookup refuses it: never a guess.
 */

const decimalString = z
  .union([z.string(), z.number()], { error: 'must be a decimal number' })
  .transform((v) => String(v))
  .refine((s) => /^\d{1,6}(\.\d{1,10})?$/.test(s), { error: 'must be a non-negative decimal like "0.05"' });

const source = z.string().min(1, { error: 'must name where the value comes from' });

/** The article a parameter row rests on (SPEC §9), structured; optional in overrides. */
const legalBasis = z
  .object({
    law: z.string().min(1).max(100),
    bwbId: z
      .string()
      .regex(/^BWBR\d{7}$/)
      .optional(),
    article: z.string().min(1).max(20),
    paragraph: z.string().max(10).optional(),
    point: z.string().max(10).optional(),
    measure: z.string().max(100).optional(),
    label: z.string().min(1).max(300),
  })
  .strict()
  .optional();

const normRow = z.object({ validFrom: isoDate, couple: moneyString, single: moneyString, source, legalBasis }).strict();
/** One kind of disregard in a row of the disregard table (SPEC §2): a rate, optionally a cap and a maximum duration. */
const disregardOfKind = z
  .object({
    rate: decimalString,
    capAmount: moneyString.optional(),
    maxMonths: z.number({ error: 'must be a whole number of months' }).int().min(1).max(120).optional(),
  })
  .strict();
export type DisregardOfKind = z.output<typeof disregardOfKind>;
const disregardRow = z
  .object({
    validFrom: isoDate,
    work: disregardOfKind,
    medical: disregardOfKind.optional(),
    pensionAge: disregardOfKind.optional(),
    source,
    legalBasis,
  })
  .strict();
const rateRow = z.object({ validFrom: isoDate, value: decimalString, source, legalBasis }).strict();
const moneyRow = z.object({ validFrom: isoDate, value: moneyString, source, legalBasis }).strict();
const bufferBudgetRow = z.object({ validFrom: isoDate, perYear: moneyString, source, legalBasis }).strict();
const monthNumberRow = z
  .object({
    validFrom: isoDate,
    value: z
      .union([z.number(), z.string()])
      .transform((v) => Number(v))
      .refine((n) => Number.isInteger(n) && n >= 1 && n <= 12, {
        error: 'must be a month number 1–12',
      }),
    source,
    legalBasis,
  })
  .strict();

export const parameterTableSchemas = Object.freeze({
  norm: normRow,
  holidayReserveRate: rateRow,
  partnerNormRate: rateRow,
  aloSupplementPerYear: moneyRow,
  disregard: disregardRow,
  giftsFreePerYear: moneyRow,
  wgaDeductionRate: rateRow,
  bufferBudget: bufferBudgetRow,
  holidayPayoutMonth: monthNumberRow,
} as const);

export type ParameterName = keyof typeof parameterTableSchemas;
export type NormRow = z.output<typeof normRow>;
export type DisregardRow = z.output<typeof disregardRow>;
export type RateRow = z.output<typeof rateRow>;
export type MoneyRow = z.output<typeof moneyRow>;
export type BufferBudgetRow = z.output<typeof bufferBudgetRow>;
export type MonthNumberRow = z.output<typeof monthNumberRow>;

export interface ParameterTables {
  norm: NormRow[];
  holidayReserveRate: RateRow[];
  partnerNormRate: RateRow[];
  aloSupplementPerYear: MoneyRow[];
  disregard: DisregardRow[];
  giftsFreePerYear: MoneyRow[];
  wgaDeductionRate: RateRow[];
  bufferBudget: BufferBudgetRow[];
  holidayPayoutMonth: MonthNumberRow[];
}
export type ParameterRow = ParameterTables[ParameterName][number];

/** In overrides (scenarios, municipal files) a row may leave out `source`; it is then marked as such. */
function overrideRows<T extends z.ZodType>(row: T) {
  return z
    .array(
      z.preprocess(
        (r) =>
          r && typeof r === 'object' && !('source' in r) ? { ...r, source: 'override without a source note' } : r,
        row,
      ),
    )
    .optional();
}

export const parameterOverridesSchema = z
  .object({
    norm: overrideRows(normRow),
    holidayReserveRate: overrideRows(rateRow),
    partnerNormRate: overrideRows(rateRow),
    aloSupplementPerYear: overrideRows(moneyRow),
    disregard: overrideRows(disregardRow),
    giftsFreePerYear: overrideRows(moneyRow),
    wgaDeductionRate: overrideRows(rateRow),
    bufferBudget: overrideRows(bufferBudgetRow),
    holidayPayoutMonth: overrideRows(monthNumberRow),
  })
  .strict();
export type ParameterOverrides = z.output<typeof parameterOverridesSchema>;

export class ParameterNotInForceError extends Error {
  constructor(
    readonly parameter: ParameterName,
    readonly date: IsoDate,
  ) {
    super(`parameter ${parameter} has no value in force on ${date}`);
    this.name = 'ParameterNotInForceError';
  }
}

function sortedRows<T extends { validFrom: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
}

/** The row with the latest validFrom ≤ date, or undefined when the table has none yet. */
export function findInForce<N extends ParameterName>(
  tables: ParameterTables,
  name: N,
  date: IsoDate,
): ParameterTables[N][number] | undefined {
  const rows = tables[name] as ReadonlyArray<ParameterTables[N][number]>;
  let found: ParameterTables[N][number] | undefined;
  for (const row of rows) {
    if (row.validFrom <= date) found = row;
    else break;
  }
  return found;
}

/** The row in force on `date`; refuses (throws) when there is none. */
export function lookup<N extends ParameterName>(
  tables: ParameterTables,
  name: N,
  date: IsoDate,
): ParameterTables[N][number] {
  const row = findInForce(tables, name, date);
  if (!row) throw new ParameterNotInForceError(name, date);
  return row;
}

/** Merge overrides: a row with an existing validFrom replaces it, others are added (SPEC §11). */
export function withOverrides(base: ParameterTables, overrides: ParameterOverrides | undefined): ParameterTables {
  if (!overrides) return base;
  const merged: Record<string, unknown[]> = { ...base };
  for (const name of Object.keys(parameterTableSchemas) as ParameterName[]) {
    const extra = overrides[name] as Array<{ validFrom: string }> | undefined;
    if (!extra) continue;
    const byDate = new Map<string, { validFrom: string }>();
    for (const row of base[name] as Array<{ validFrom: string }>) byDate.set(row.validFrom, row);
    // An override changes values, not the article they rest on: a row replacing another keeps its legal basis.
    for (const row of extra) {
      const replaced = byDate.get(row.validFrom) as { legalBasis?: unknown } | undefined;
      byDate.set(
        row.validFrom,
        replaced?.legalBasis !== undefined && (row as { legalBasis?: unknown }).legalBasis === undefined
          ? ({ ...row, legalBasis: replaced.legalBasis } as { validFrom: string })
          : row,
      );
    }
    merged[name] = sortedRows([...byDate.values()]);
  }
  return merged as unknown as ParameterTables;
}

/** Validate a complete set of tables (e.g. a municipality's file) and sort each by validFrom. */
export function parseParameterTables(raw: unknown): ParameterTables {
  const parsed = parameterOverridesSchema.parse(raw);
  const out: Record<string, unknown[]> = {};
  for (const name of Object.keys(parameterTableSchemas) as ParameterName[]) {
    const rows = parsed[name];
    if (!rows || rows.length === 0) throw new Error(`parameter table ${name} has no rows`);
    out[name] = sortedRows(rows as Array<{ validFrom: string }>);
  }
  return out as unknown as ParameterTables;
}

/** What a trace records of a parameter: name, value(s), validFrom, source and legal basis (SPEC §9). */
export interface ParameterUsed {
  name: ParameterName;
  validFrom: IsoDate;
  source: string;
  legalBasis?: LegalReference;
  value: Record<string, unknown>;
}

export function describeRow(name: ParameterName, row: ParameterRow): ParameterUsed {
  const { validFrom, source, legalBasis: basis, ...value } = row as ParameterRow & Record<string, unknown>;
  return { name, validFrom, source, ...(basis ? { legalBasis: basis as LegalReference } : {}), value };
}

/**
 * The policy in force in a month: the base values with every dated change from on or before its first
 * day (SPEC §2, dated like the tables). A change never reaches a month before its validFrom.
 */
export function policyFor(policy: Policy, month: string): Policy {
  if (!policy.changes?.length) return policy;
  const first = `${month.slice(0, 7)}-01`;
  let inForce: Policy = policy;
  for (const { validFrom, source: _source, ...values } of policy.changes)
    if (validFrom <= first) inForce = { ...inForce, ...values };
  return inForce;
}
