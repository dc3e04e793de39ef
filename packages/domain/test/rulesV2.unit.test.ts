import { describe, expect, it } from 'vitest';
import {
  caseEventSchema,
  CommandRejected,
  decideCaseEvent,
  defaultParameters,
  disregardArticleAt,
  parameterOverridesSchema,
  withOverrides,
  fmt,
  foldHousehold,
  giftCrossingFreeAmount,
  giftsAboveFreeAmount,
  money,
  measureImposedSchema,
  otherIncomeDeclaredSchema,
  payeesOf,
  polisIncomeStatementSchema,
  type HouseholdEvent,
  type HouseholdState,
  type OtherIncomeDeclared,
} from '../src/index.js';
import { polisStatement } from '@bijstand/testkit/statements';
import { validStatement } from './support/statement.js';
import { A, B, testHousehold } from './support/household.js';

/** Boundaries of the rules that SPEC v2 adds, one rule at a time (OpenFisca style). */

const opened = (members: Array<Record<string, unknown>>, category: string): HouseholdEvent => ({
  type: 'CaseOpened',
  data: {
    ...caseEventSchema.parse({ type: 'CaseOpened', householdId: 'H-1', members, category, startDate: '2026-01-01' }),
    recordedAt: '2025-12-20T09:00:00Z',
  } as never,
});
const couple = foldHousehold([
  opened(
    [
      { bsn: A, role: 'applicant' },
      { bsn: B, role: 'partner' },
    ],
    'couple',
  ),
]);
const oneEntitled = foldHousehold([
  opened(
    [
      { bsn: A, role: 'applicant' },
      { bsn: B, role: 'partner', entitled: false },
    ],
    'couple-one-entitled',
  ),
]);

const grant =
  (fields: Record<string, unknown>, state: HouseholdState = couple) =>
  () =>
    decideCaseEvent(
      caseEventSchema.parse({ type: 'EarningsDisregardGranted', householdId: 'H-1', bsn: A, ...fields }),
      '2026-12-01T09:00:00Z',
      state,
      defaultParameters,
    );

describe('EarningsDisregardGranted (art. 34a; before 2027 art. 31(2)(n))', () => {
  it('a work grant of exactly 12 months from 2027 is recorded; 13 months is refused unless extended (art. 34a(2))', () => {
    expect(grant({ from: '2027-01-01', to: '2027-12-31' })()).toHaveLength(1);
    expect(grant({ from: '2027-01-15', to: '2027-12-14' })()).toHaveLength(1);
    expect(grant({ from: '2027-01-01', to: '2028-01-31' })).toThrow(
      'to: the work disregard of this person runs from 2027-01-01; 13 months exceed the 12 of art. 34a(1)(a) without extension',
    );
    expect(grant({ from: '2027-01-01', to: '2028-01-31', extension: true })()).toHaveLength(1);
  });

  it('before 2027 at most 6 months (art. 31(2)(n))', () => {
    expect(grant({ from: '2026-03-01', to: '2026-08-31' })()).toHaveLength(1);
    expect(grant({ from: '2026-03-01', to: '2026-09-30' })).toThrow(
      'to: the work disregard of this person runs from 2026-03-01; 7 months exceed the 6 of art. 31(2)(n) without extension',
    );
  });

  it('a medical grant has no end and no limit; a work grant without an end is refused by its schema', () => {
    expect(grant({ kind: 'medical', from: '2027-01-01' })()).toHaveLength(1);
    expect(
      caseEventSchema.safeParse({
        type: 'EarningsDisregardGranted',
        householdId: 'H-1',
        bsn: A,
        kind: 'work',
        from: '2027-01-01',
      }).error?.issues[0]?.message,
    ).toBe('is required for a grant of kind work: art. 34a(1)(a) grants it for a limited period');
  });

  it('refused: a kind the table does not have at `from`, a stranger, an overlap (SPEC v3: the partner without a right may have one)', () => {
    expect(grant({ kind: 'medical', from: '2026-03-01' })).toThrow(
      'kind: the disregard table has no row for kind medical on 2026-03-01 (art. 31(2)(n))',
    );
    // SPEC v3 §1.2 (art. 32(3), last sentence): v2 refused this grant; it is now recorded.
    expect(grant({ bsn: B, from: '2027-01-01', to: '2027-06-30' }, oneEntitled)()).toHaveLength(1);
    expect(grant({ bsn: '999999990', from: '2027-01-01', to: '2027-06-30' })).toThrow(
      'bsn: is not a member of this household',
    );
    const granted = foldHousehold([
      opened(
        [
          { bsn: A, role: 'applicant' },
          { bsn: B, role: 'partner' },
        ],
        'couple',
      ),
      ...grant({ from: '2027-01-01', to: '2027-06-30' })(),
    ]);
    expect(grant({ from: '2027-06-30', to: '2027-09-30' }, granted)).toThrow(
      "from: overlaps this person's work grant from 2027-01-01 to 2027-06-30 (SPEC §1.2)",
    );
    // Touching, not overlapping: the next grant starts the day after (SPEC §12.3).
    expect(grant({ from: '2027-07-01', to: '2027-09-30' }, granted)()).toHaveLength(1);
    // The same grant again is a re-delivery.
    expect(grant({ from: '2027-01-01', to: '2027-06-30' }, granted)()).toEqual([]);
  });
});

describe('CaseOpened: who can be a partner without a right to assistance (art. 24)', () => {
  const parse = (members: Array<Record<string, unknown>>, category: string) =>
    caseEventSchema
      .safeParse({ type: 'CaseOpened', householdId: 'H-1', members, category, startDate: '2027-01-01' })
      .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  it('only a partner, only in couple-one-entitled or single-parent-no-alo, and there it must be listed so', () => {
    expect(
      parse(
        [
          { bsn: A, role: 'applicant' },
          { bsn: B, role: 'partner', entitled: false },
        ],
        'couple-one-entitled',
      ),
    ).toBeUndefined();
    expect(parse([{ bsn: A, role: 'applicant', entitled: false }], 'single')).toEqual([
      'members.0.entitled: only a partner can be not entitled (Pw art. 24; SPEC §1.2)',
    ]);
    expect(
      parse(
        [
          { bsn: A, role: 'applicant' },
          { bsn: B, role: 'partner', entitled: false },
        ],
        'couple',
      ),
    ).toEqual([
      'members.1.entitled: a partner that is not entitled needs category couple-one-entitled or single-parent-no-alo, not couple (Pw art. 24)',
    ]);
    expect(
      parse(
        [
          { bsn: A, role: 'applicant' },
          { bsn: B, role: 'partner' },
        ],
        'couple-one-entitled',
      ),
    ).toEqual([
      'members: category couple-one-entitled with a partner: the partner must be listed with entitled: false (Pw art. 24)',
    ]);
  });
});

describe('measures (art. 18): rejected inputs', () => {
  const measure = (fields: Record<string, unknown>) =>
    caseEventSchema.safeParse({
      type: 'MeasureImposed',
      householdId: 'H-1',
      measureId: 'MR-1',
      from: '2027-03-01',
      to: '2027-05-31',
      ...fields,
    });
  it('a rate outside (0, 1] is refused; 1 and 0.0001 are accepted', () => {
    expect(measure({ rate: '0' }).error?.issues[0]?.message).toBe(
      'must be more than 0 and at most 1 (Pw art. 18(2): a lowering of the norm)',
    );
    expect(measure({ rate: '1.01' }).success).toBe(false);
    expect(measure({ rate: '1' }).success).toBe(true);
    expect(measure({ rate: '0.0001' }).success).toBe(true);
  });
  it('a measureId is imposed once; ending an unknown measure is refused', () => {
    const single = foldHousehold([opened([{ bsn: A, role: 'applicant' }], 'single')]);
    const imposed = measureImposedSchema.parse({
      type: 'MeasureImposed',
      householdId: 'H-1',
      measureId: 'MR-1',
      rate: '0.10',
      from: '2027-03-01',
      to: '2027-05-31',
    });
    const withMeasure = foldHousehold([
      opened([{ bsn: A, role: 'applicant' }], 'single'),
      ...decideCaseEvent(imposed, '2027-02-20T09:00:00Z', single, defaultParameters),
    ]);
    expect(decideCaseEvent(imposed, '2027-02-21T09:00:00Z', withMeasure, defaultParameters)).toEqual([]);
    expect(() =>
      decideCaseEvent({ ...imposed, rate: '0.20' }, '2027-02-21T09:00:00Z', withMeasure, defaultParameters),
    ).toThrow('measureId: MR-1 is already imposed; a measure is imposed once (art. 18)');
    const ended = caseEventSchema.parse({
      type: 'MeasureEnded',
      householdId: 'H-1',
      measureId: 'MR-9',
      endDate: '2027-04-12',
    });
    expect(() => decideCaseEvent(ended, '2027-04-13T09:00:00Z', withMeasure, defaultParameters)).toThrow(
      CommandRejected,
    );
    expect(() => decideCaseEvent(ended, '2027-04-13T09:00:00Z', withMeasure, defaultParameters)).toThrow(
      'measureId: no measure MR-9 was imposed on this household',
    );
  });
});

describe('gifts: free up to giftsFreePerYear per household per calendar year (art. 31(2)(m))', () => {
  const gift = (id: string, amount: string, receivedOn: string): OtherIncomeDeclared =>
    otherIncomeDeclaredSchema.parse({
      type: 'OtherIncomeDeclared',
      householdId: 'H-1',
      declarationId: id,
      bsn: A,
      kind: 'gift',
      amount,
      receivedOn,
    });
  const counted = (gifts: OtherIncomeDeclared[]) =>
    giftsAboveFreeAmount(gifts, defaultParameters).map((g) => [
      g.declaration.declarationId,
      fmt(g.counted),
      giftCrossingFreeAmount(g),
    ]);

  it('a year total of 1,199.99 and of 1,200.00 is all free; 1,200.01 counts 0.01, in the gift that crosses', () => {
    expect(counted([gift('G1', '1000.00', '2027-02-01'), gift('G2', '199.99', '2027-03-01')])).toEqual([
      ['G1', '0.00', false],
      ['G2', '0.00', false],
    ]);
    expect(counted([gift('G1', '1000.00', '2027-02-01'), gift('G2', '200.00', '2027-03-01')])).toEqual([
      ['G1', '0.00', false],
      ['G2', '0.00', false],
    ]);
    expect(counted([gift('G1', '1000.00', '2027-02-01'), gift('G2', '200.01', '2027-03-01')])).toEqual([
      ['G1', '0.00', false],
      ['G2', '0.01', true],
    ]);
  });

  it('after the crossing every gift counts in full; a new year starts again at 0; order is receivedOn, then declarationId', () => {
    expect(
      counted([
        gift('G3', '100.00', '2027-07-02'),
        gift('G2', '650.00', '2027-04-20'),
        gift('G1', '700.00', '2027-02-10'),
        gift('G4', '300.00', '2028-01-05'),
      ]),
    ).toEqual([
      ['G1', '0.00', false],
      ['G2', '150.00', true],
      ['G3', '100.00', false],
      ['G4', '0.00', false],
    ]);
    expect(counted([gift('B', '700.00', '2027-02-10'), gift('A', '700.00', '2027-02-10')])).toEqual([
      ['A', '0.00', false],
      ['B', '200.00', true],
    ]);
  });
});

describe('payment to spouses in halves (art. 45(4))', () => {
  const rule = { category: 'couple' as const, entitledMembers: 2, jointPaymentTo: null };
  it('an odd cent goes to the applicant: 441.15 → applicant 220.58, partner 220.57', () => {
    expect(payeesOf(money('441.15'), rule)).toEqual({ applicant: '220.58', partner: '220.57' });
    expect(payeesOf(money('604.64'), rule)).toEqual({ applicant: '302.32', partner: '302.32' });
  });
  it("a share of 0.00 is left out, a payment of 0.00 is the applicant's", () => {
    expect(payeesOf(money('0.01'), rule)).toEqual({ applicant: '0.01' });
    expect(payeesOf(money('0.00'), rule)).toEqual({ applicant: '0.00' });
  });
  it('to one of them on request; everything to the applicant when the category is not couple', () => {
    expect(payeesOf(money('441.15'), { ...rule, jointPaymentTo: 'partner' })).toEqual({ partner: '441.15' });
    expect(payeesOf(money('441.15'), { ...rule, jointPaymentTo: 'applicant' })).toEqual({ applicant: '441.15' });
    expect(payeesOf(money('441.15'), { ...rule, category: 'couple-one-entitled', entitledMembers: 1 })).toEqual({
      applicant: '441.15',
    });
  });
});

describe('payslips (SPEC §1.1): settle a period until the polis reports it; the polis always wins', () => {
  const march = {
    period: { start: '2027-03-01', end: '2027-03-31', kind: 'month' },
    paymentDate: '2027-03-28',
    incomeRelationshipId: 'IKV-bakery',
  };
  const income = (h: ReturnType<typeof testHousehold>) => h.settled('2027-03').map((m) => [m.version, m.values.income]);

  it('a payslip, then a polis withdrawal for the same period: nothing counts any more, and a later payslip does not bring it back', () => {
    const h = testHousehold();
    h.open({ startDate: '2027-01-01' });
    h.statement({ ...march, messageId: 'slip', taxableWage: '600.00', source: 'payslip' }, '2027-04-08T12:00:00Z');
    h.runDays('2027-01-01', '2027-05-01');
    h.statement(
      { ...march, messageId: 'polis-w', kind: 'withdrawal', taxableWage: undefined, withheldTax: undefined },
      '2027-05-10T12:00:00Z',
    );
    h.runDays('2027-05-02', '2027-05-20');
    h.statement({ ...march, messageId: 'slip-2', taxableWage: '650.00', source: 'payslip' }, '2027-05-21T12:00:00Z');
    h.runDays('2027-05-21', '2027-06-02');
    expect(income(h)).toEqual([
      [1, '600.00'],
      [2, '0.00'],
    ]);
    expect(h.state.statementsInForce.size).toBe(0);
  });

  it('the schema defaults: wage from the polis', () => {
    const fields = { messageId: 'm', bsn: A, incomeRelationshipId: 'R', period: march.period, taxableWage: '1.00' };
    const s = validStatement({ ...fields, withheldTax: '0.00' });
    expect([s.incomeKind, s.source]).toEqual(['employment', 'polis']);
  });
});

describe('bounded work per input (issue: one statement must never stop a night)', () => {
  const statement = (fields: Record<string, unknown>) =>
    polisIncomeStatementSchema.safeParse(
      polisStatement({
        messageId: 'm',
        bsn: A,
        incomeRelationshipId: 'R',
        period: { start: '2027-03-01', end: '2027-03-31', kind: 'month' },
        taxableWage: '1.00',
        withheldTax: '0.00',
        ...fields,
      }),
    );
  const reasons = (r: ReturnType<typeof statement>) => r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

  it('intendedFor up to 9999-12-31 is refused (the poison statement); 24 months after the period is the limit', () => {
    expect(reasons(statement({ intendedFor: { start: '2027-04-01', end: '9999-12-31' } }))).toEqual([
      'intendedFor.end: must lie between 2000-01-01 and 2099-12-31',
      "intendedFor.end: must be at most 24 months after the period's end (2029-03-31; SPEC §4 rule d)",
    ]);
    expect(statement({ intendedFor: { start: '2027-04-01', end: '2029-03-31' } }).success).toBe(true);
    expect(reasons(statement({ intendedFor: { start: '2027-04-01', end: '2029-04-01' } }))).toEqual([
      "intendedFor.end: must be at most 24 months after the period's end (2029-03-31; SPEC §4 rule d)",
    ]);
  });

  it('a payroll period of more than 366 days, or dates outside 2000–2099, are refused', () => {
    expect(reasons(statement({ period: { start: '2026-01-01', end: '2027-01-02', kind: 'other' } }))).toEqual([
      'period.end: a payroll period is at most 366 days (SPEC §1.1)',
    ]);
    expect(statement({ period: { start: '2026-01-01', end: '2027-01-01', kind: 'other' } }).success).toBe(true);
    expect(reasons(statement({ paymentDate: '1899-12-31' }))).toEqual([
      'paymentDate: must lie between 2000-01-01 and 2099-12-31',
    ]);
  });

  it('a declaration intended for more than 24 months ahead is refused', () => {
    const r = otherIncomeDeclaredSchema.safeParse({
      type: 'OtherIncomeDeclared',
      householdId: 'H-1',
      declarationId: 'D',
      bsn: A,
      kind: 'alimony',
      amount: '250.00',
      receivedOn: '2027-01-05',
      intendedFor: { start: '2027-01-01', end: '2030-01-31' },
    });
    expect(r.error?.issues[0]?.message).toBe('must be at most 24 months after receivedOn (2029-01-31; SPEC §4 rule d)');
  });
});

describe('the article a disregard rests on comes from the table, not from a date in code', () => {
  it('a municipal row replacing the 2027 row keeps art. 34a; a new row without a basis rests on the row before it; 2026 rests on art. 31(2)(n)', () => {
    const params = withOverrides(
      defaultParameters,
      parameterOverridesSchema.parse({
        disregard: [
          { validFrom: '2027-01-01', work: { rate: '0.20', maxMonths: 12 } },
          { validFrom: '2028-01-01', work: { rate: '0.15', maxMonths: 12 } },
        ],
      }),
    );
    expect(params.disregard.find((r) => r.validFrom === '2027-01-01')!.legalBasis?.article).toBe('34a');
    expect([
      disregardArticleAt(params, '2026-12-31'),
      disregardArticleAt(params, '2027-01-01'),
      disregardArticleAt(params, '2028-06-01'),
    ]).toEqual(['31', '34a', '34a']);
    expect(grant({ from: '2026-03-01', to: '2026-09-30' })).toThrow(
      '7 months exceed the 6 of art. 31(2)(n) without extension',
    );
  });
});
