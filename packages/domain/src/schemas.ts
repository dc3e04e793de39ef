import { z } from 'zod';
import { addMonths, days, isValidIsoDate, lastDay } from './dates.js';

/**
 * Every external input passes through these schemas (SPEC §1). Nothing is coerced: a wrong type or
 * format is rejected with an error that names the field and the rule it breaks.
 */

export const isoDate = z
  .string({ error: 'must be a date as a string YYYY-MM-DD' })
  .refine(isValidIsoDate, { error: 'must be a calendar date YYYY-MM-DD' });

/**
 * The dates of statements and case events lie in a sane window: one input can then never make the
 * engine walk thousands of months (issue: a statement intended for periods up to 9999-12-31).
 */
export const CASE_DATE_WINDOW = Object.freeze({ earliest: '2000-01-01', latest: '2099-12-31' });
export const caseDate = isoDate.refine((d) => d >= CASE_DATE_WINDOW.earliest && d <= CASE_DATE_WINDOW.latest, {
  error: `must lie between ${CASE_DATE_WINDOW.earliest} and ${CASE_DATE_WINDOW.latest}`,
});

/** A payroll period is at most a year; a payment is meant for at most 24 months after its period (bounded work per statement). */
export const MAX_PERIOD_DAYS = 366;
export const MAX_INTENDED_MONTHS_AFTER_PERIOD = 24;

export const instant = z
  .string({ error: 'must be an ISO-8601 UTC instant as a string' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/, {
    error: 'must be an ISO-8601 UTC instant like 2027-01-05T09:00:00Z',
  })
  .refine((s) => isValidIsoDate(s.slice(0, 10)), { error: 'must be a calendar date' });

/** Money travels as strings with at most 2 decimals (SPEC §0); numbers are refused, never coerced. */
export const moneyString = z
  .string({ error: 'must be an amount as a string like "1401.50" (money is never a JSON number)' })
  .regex(/^-?\d{1,12}(\.\d{1,2})?$/, { error: 'must be an amount with at most 2 decimals, like "1401.50"' });

export const nonNegativeMoneyString = moneyString.refine((s) => !s.startsWith('-'), {
  error: 'must not be negative',
});

/** The elfproef (11-test) for a BSN: Σ (9−i)·d_i for i=0..7, minus d_8, divisible by 11. */
export function passesElfproef(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn)) return false;
  let total = 0;
  for (let i = 0; i < 8; i++) total += (9 - i) * Number(bsn[i]);
  total -= Number(bsn[8]);
  return total % 11 === 0 && bsn !== '000000000';
}

export const bsn = z
  .string({ error: 'must be a BSN as a string of 9 digits' })
  .regex(/^\d{9}$/, { error: 'must be exactly 9 digits' })
  .refine(passesElfproef, { error: 'fails the elfproef' });

/**
 * Ids from other systems (a message, an income relationship, a declaration, a measure): printable ASCII
 * without spaces, of bounded length. Anything else cannot be shown or linked safely, and a lone surrogate
 * decodes to U+FFFD, so that two different ids would collide into one.
 */
export function externalId(max: number) {
  return z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[\x21-\x7E]*$/, {
      error: 'must hold only printable ASCII characters without spaces (letters, digits, punctuation)',
    });
}

/**
 * A household id is also a path in the workplace, a line in the access log and the kenmerk in a letter:
 * letters, digits, `.`, `_`, `-`, and no run of nine or more digits, which could be a BSN (masking it in
 * a page would break the link while the BSN stayed in the URL).
 */
export const HOUSEHOLD_ID_MAX = 64;
export const householdIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(HOUSEHOLD_ID_MAX, { error: `must be at most ${HOUSEHOLD_ID_MAX} characters` })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    error: 'must start with a letter or digit and hold only letters, digits, ".", "_" and "-"',
  })
  .refine((id) => !/[0-9]{9}/.test(id), {
    error: 'must not hold a run of 9 or more digits (it could be a BSN, and the id shows in URLs and logs)',
  });

export const payrollTaxNumber = z
  .string({ error: 'must be a loonheffingennummer as a string' })
  .regex(/^[0-9]{9}L[0-9]{2}$/, { error: 'must match the loonheffingennummer format 123456789L01' });

const periodShape = z.object({ start: caseDate, end: caseDate });
function startNotAfterEnd<T extends { start: string; end: string }>(p: T, ctx: z.RefinementCtx) {
  if (p.start > p.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
}
export const datePeriod = periodShape.superRefine(startNotAfterEnd);

export const periodKind = z.enum(['month', 'four-weeks', 'week', 'other']);
export type PeriodKind = z.infer<typeof periodKind>;

export const statementKind = z.enum(['initial', 'correction', 'withdrawal']);

/** SPEC §1.1: wage (income from work, the default) or a social-security benefit paid through the polis (art. 32(1)(a)). */
export const incomeKind = z.enum(['employment', 'benefit']);
export type IncomeKind = z.infer<typeof incomeKind>;

/** SPEC §1.1: the polis (default) or a payslip handed in by the resident; the polis always takes precedence. */
export const statementSource = z.enum(['polis', 'payslip']);
export type StatementSource = z.infer<typeof statementSource>;

const optionalMoney = moneyString.default('0.00');

export const polisIncomeStatementSchema = z
  .object({
    messageId: externalId(200),
    bsn,
    employer: z.object({
      payrollTaxNumber,
      name: z.string().max(200).optional(),
    }),
    incomeRelationshipId: externalId(100),
    period: periodShape.extend({ kind: periodKind }).superRefine(startNotAfterEnd),
    paymentDate: caseDate.optional(),
    relationshipEndDate: caseDate.optional(),
    taxableWage: moneyString.optional(),
    withheldTax: moneyString.optional(),
    withheldZvw: optionalMoney,
    companyCarBenefit: optionalMoney,
    companyCarContribution: optionalMoney,
    holidayAllowancePaid: optionalMoney,
    holidayAllowanceAccrued: optionalMoney,
    ikbPaid: optionalMoney,
    ikbAccrued: optionalMoney,
    extraPeriodSalaryPaid: optionalMoney,
    untaxedAllowances: optionalMoney,
    hoursPaid: z
      .string()
      .regex(/^\d{1,5}(\.\d{1,2})?$/, { error: 'must be a number of hours as a string' })
      .optional(),
    intendedFor: datePeriod.optional(),
    kind: statementKind,
    incomeKind: incomeKind.default('employment'),
    source: statementSource.default('polis'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (days({ start: s.period.start, end: s.period.end }) > MAX_PERIOD_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['period', 'end'],
        message: `a payroll period is at most ${MAX_PERIOD_DAYS} days (SPEC §1.1)`,
      });
    }
    if (s.intendedFor) {
      const latest = lastDay(addMonths(s.period.end.slice(0, 7), MAX_INTENDED_MONTHS_AFTER_PERIOD));
      if (s.intendedFor.end > latest) {
        ctx.addIssue({
          code: 'custom',
          path: ['intendedFor', 'end'],
          message: `must be at most ${MAX_INTENDED_MONTHS_AFTER_PERIOD} months after the period's end (${latest}; SPEC §4 rule d)`,
        });
      }
      if (s.intendedFor.start < s.period.start)
        ctx.addIssue({
          code: 'custom',
          path: ['intendedFor', 'start'],
          message: 'must not be before the period it was paid in (SPEC §4 rule d: future periods)',
        });
    }
    // A withdrawal only names the statement it withdraws; initial and corrected statements carry the wage.
    if (s.kind !== 'withdrawal') {
      for (const field of ['taxableWage', 'withheldTax'] as const) {
        if (s[field] === undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `is required for a statement of kind ${s.kind}` });
        }
      }
    }
  })
  .transform((s) => ({ ...s, taxableWage: s.taxableWage ?? '0.00', withheldTax: s.withheldTax ?? '0.00' }));

export type PolisIncomeStatement = z.output<typeof polisIncomeStatementSchema>;
export type PolisIncomeStatementInput = z.input<typeof polisIncomeStatementSchema>;

export const householdCategory = z.enum([
  'single',
  'single-parent',
  'couple',
  'couple-one-entitled',
  'single-parent-no-alo',
]);
export type HouseholdCategory = z.infer<typeof householdCategory>;

/** The categories in which a partner can be listed as not entitled (Pw art. 24; SPEC §1.2). */
export const CATEGORIES_WITH_NON_ENTITLED_PARTNER: readonly HouseholdCategory[] = Object.freeze([
  'couple-one-entitled',
  'single-parent-no-alo',
] as const);

export function isCoupleCategory(c: HouseholdCategory): boolean {
  return c === 'couple' || c === 'couple-one-entitled';
}

/** SPEC §1.2: costSharers defaults to 1 for single categories and 2 for couples. */
export function defaultCostSharers(c: HouseholdCategory): number {
  return isCoupleCategory(c) ? 2 : 1;
}

const costSharers = z
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(1)
  .max(20);

function costSharersFitCategory(
  e: { category: HouseholdCategory; costSharers?: number | undefined },
  ctx: z.RefinementCtx,
) {
  if (e.costSharers !== undefined && isCoupleCategory(e.category) && e.costSharers < 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['costSharers'],
      message: 'must be at least 2 for a couple (both partners count)',
    });
  }
}

/** A CBS municipality code (gemeentecode), e.g. GM0106. */
export const municipalityCode = z
  .string({ error: 'must be a CBS municipality code as a string' })
  .regex(/^GM\d{4}$/, { error: 'must be a CBS municipality code like GM0106' });

const householdId = householdIdSchema;

export const caseOpenedSchema = z
  .object({
    type: z.literal('CaseOpened'),
    householdId,
    members: z
      .array(
        z
          .object({
            bsn,
            role: z.enum(['applicant', 'partner']),
            entitled: z.boolean({ error: 'must be true or false' }).default(true),
          })
          .strict(),
      )
      .min(1, { error: 'must name at least the applicant' })
      .max(2, { error: 'holds the applicant and at most one partner' }),
    category: householdCategory,
    costSharers: costSharers.optional(),
    startDate: caseDate,
    jointPaymentTo: z.enum(['applicant', 'partner']).optional(),
    /** The municipality the case belongs to: its CBS code (e.g. GM0106 Assen); a shared service settles for several. */
    municipality: municipalityCode.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    costSharersFitCategory(e, ctx);
    if (e.members.filter((m) => m.role === 'applicant').length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'must hold exactly one applicant' });
    }
    if (new Set(e.members.map((m) => m.bsn)).size !== e.members.length) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'must not name the same bsn twice' });
    }
    e.members.forEach((m, i) => {
      if (m.entitled) return;
      if (m.role !== 'partner')
        ctx.addIssue({
          code: 'custom',
          path: ['members', i, 'entitled'],
          message: 'only a partner can be not entitled (Pw art. 24; SPEC §1.2)',
        });
      else if (!CATEGORIES_WITH_NON_ENTITLED_PARTNER.includes(e.category)) {
        ctx.addIssue({
          code: 'custom',
          path: ['members', i, 'entitled'],
          message: `a partner that is not entitled needs category couple-one-entitled or single-parent-no-alo, not ${e.category} (Pw art. 24)`,
        });
      }
    });
    const partners = e.members.filter((m) => m.role === 'partner');
    if (
      CATEGORIES_WITH_NON_ENTITLED_PARTNER.includes(e.category) &&
      partners.length > 0 &&
      partners.every((m) => m.entitled)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['members'],
        message: `category ${e.category} with a partner: the partner must be listed with entitled: false (Pw art. 24)`,
      });
    }
  })
  .transform((e) => ({ ...e, costSharers: e.costSharers ?? defaultCostSharers(e.category) }));

export const householdChangedSchema = z
  .object({
    type: z.literal('HouseholdChanged'),
    householdId,
    effectiveDate: caseDate,
    category: householdCategory,
    costSharers: costSharers.optional(),
  })
  .strict()
  .superRefine(costSharersFitCategory)
  .transform((e) => ({ ...e, costSharers: e.costSharers ?? defaultCostSharers(e.category) }));

export const caseClosedSchema = z.object({ type: z.literal('CaseClosed'), householdId, endDate: caseDate }).strict();

/** SPEC §1.2: the kinds of earnings disregard the college can grant (Pw art. 34a; before 2027 art. 31(2)(n)). */
export const disregardKind = z.enum(['work', 'medical', 'pension-age']);
export type DisregardKind = z.infer<typeof disregardKind>;

export const earningsDisregardGrantedSchema = z
  .object({
    type: z.literal('EarningsDisregardGranted'),
    householdId,
    bsn,
    kind: disregardKind.default('work'),
    from: caseDate,
    to: caseDate.optional(),
    extension: z.boolean({ error: 'must be true or false' }).optional(),
    /** The start of a new employment (art. 34a(3)): needed for a work grant after an earlier run has ended. */
    newEmploymentFrom: caseDate.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.to !== undefined && e.from > e.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    if (e.kind === 'work' && e.to === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'is required for a grant of kind work: art. 34a(1)(a) grants it for a limited period',
      });
  });

/**
 * SPEC §1.2: net income declared by the resident and checked by the consultant (gifts: art. 31(2)(m);
 * cost-saving contributions of others: art. 18(8), sharing the gifts' free amount, SPEC v3).
 */
export const otherIncomeKind = z.enum(['gift', 'contribution', 'alimony', 'other']);
export type OtherIncomeKind = z.infer<typeof otherIncomeKind>;

export const otherIncomeDeclaredSchema = z
  .object({
    type: z.literal('OtherIncomeDeclared'),
    householdId,
    declarationId: externalId(100),
    bsn,
    kind: otherIncomeKind,
    amount: nonNegativeMoneyString,
    receivedOn: caseDate,
    intendedFor: datePeriod.optional(),
    withdrawn: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const latest = lastDay(addMonths(d.receivedOn.slice(0, 7), MAX_INTENDED_MONTHS_AFTER_PERIOD));
    if (d.intendedFor && d.intendedFor.end > latest)
      ctx.addIssue({
        code: 'custom',
        path: ['intendedFor', 'end'],
        message: `must be at most ${MAX_INTENDED_MONTHS_AFTER_PERIOD} months after receivedOn (${latest}; SPEC §4 rule d)`,
      });
  });

const measureId = externalId(100);

/** SPEC §1.2: a maatregel (Pw art. 18): the norm lowered by `rate` on the days [from, to]. */
export const measureImposedSchema = z
  .object({
    type: z.literal('MeasureImposed'),
    householdId,
    measureId,
    rate: z
      .string({ error: 'must be a rate as a string like "0.10"' })
      .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, { error: 'must be a rate like "0.10"' })
      .refine((r) => Number(r) > 0, {
        error: 'must be more than 0 and at most 1 (Pw art. 18(2): a lowering of the norm)',
      }),
    from: caseDate,
    to: caseDate,
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.from > e.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });

/** SPEC §1.2: the person complied (001 measure 9, herstel): the measure's last day becomes min(to, endDate). */
export const measureEndedSchema = z
  .object({ type: z.literal('MeasureEnded'), householdId, measureId, endDate: caseDate })
  .strict();

export const caseEventSchema = z.discriminatedUnion('type', [
  caseOpenedSchema,
  householdChangedSchema,
  caseClosedSchema,
  earningsDisregardGrantedSchema,
  otherIncomeDeclaredSchema,
  measureImposedSchema,
  measureEndedSchema,
]);

export type CaseOpened = z.output<typeof caseOpenedSchema>;
export type HouseholdChanged = z.output<typeof householdChangedSchema>;
export type CaseClosed = z.output<typeof caseClosedSchema>;
export type EarningsDisregardGranted = z.output<typeof earningsDisregardGrantedSchema>;
export type OtherIncomeDeclared = z.output<typeof otherIncomeDeclaredSchema>;
export type MeasureImposed = z.output<typeof measureImposedSchema>;
export type MeasureEnded = z.output<typeof measureEndedSchema>;
export type CaseEvent = z.output<typeof caseEventSchema>;

/** The values of a municipal policy (SPEC §2), without defaults: what a dated change may set. */
const policyValues = Object.freeze({
  payDay: z.number().int().min(1).max(31),
  settlementLagMonths: z.number().int().min(0).max(12),
  advance: z.enum(['projected', 'full-norm']),
  ikbMethod: z.enum(['as-holiday-allowance', 'on-payout']),
  bufferEligibility: z.enum(['working', 'none']),
  alertThreshold: nonNegativeMoneyString,
});

/**
 * A policy change dated like a parameter row: it applies to the months from `validFrom` (the first of a
 * month: a policy holds for whole months) and never reaches a month before it.
 */
export const policyChangeSchema = z
  .object({
    validFrom: isoDate.refine((d) => d.endsWith('-01'), {
      error: 'must be the first day of a month (a policy applies to whole months)',
    }),
    ...Object.fromEntries(Object.entries(policyValues).map(([k, v]) => [k, v.optional()])),
    source: z.string().min(1).max(300).optional(),
  })
  .strict() as z.ZodType<PolicyChange>;

export interface PolicyChange {
  validFrom: string;
  payDay?: number;
  settlementLagMonths?: number;
  advance?: 'projected' | 'full-norm';
  ikbMethod?: 'as-holiday-allowance' | 'on-payout';
  bufferEligibility?: 'working' | 'none';
  alertThreshold?: string;
  source?: string;
}

/** Municipal policies of SPEC §2 with their defaults, and their dated changes (oldest first). */
export const policySchema = z
  .object({
    payDay: policyValues.payDay.default(25),
    settlementLagMonths: policyValues.settlementLagMonths.default(1),
    advance: policyValues.advance.default('projected'),
    ikbMethod: policyValues.ikbMethod.default('as-holiday-allowance'),
    bufferEligibility: policyValues.bufferEligibility.default('working'),
    alertThreshold: policyValues.alertThreshold.default('0.00'),
    changes: z
      .array(policyChangeSchema)
      .max(120)
      .refine((cs) => cs.every((c, i) => i === 0 || cs[i - 1]!.validFrom < c.validFrom), {
        error: 'must be in order of validFrom, one change per date',
      })
      .optional(),
  })
  .strict();
export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

export const defaultPolicy: Policy = Object.freeze(policySchema.parse({}));

/** Turn a zod error into lines `field.path: rule` (the format every rejection uses). */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.length > 0 ? i.path.map(String).join('.') : '(message)';
      return `${path}: ${i.message}`;
    })
    .join('; ');
}

export type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

export function validate<S extends z.ZodType>(schema: S, raw: unknown): Validation<z.output<S>> {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: describeZodError(result.error) };
}
