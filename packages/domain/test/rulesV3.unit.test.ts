import { describe, expect, it } from 'vitest';
import {
  caseEventSchema,
  CommandRejected,
  decideCaseEvent,
  defaultParameters,
  fmt,
  foldHousehold,
  giftsAboveFreeAmount,
  money,
  normOfMonth,
  otherIncomeDeclaredSchema,
  parameterOverridesSchema,
  partnerEarningsDisregard,
  partnerIncomeCounted,
  settleDeclarations,
  upcastParameterTables,
  withOverrides,
  parseParameterTables,
  IncrementalLayer,
  type ParameterTables,
  type Composition,
  type HouseholdEvent,
  type HouseholdState,
} from '../src/index.js';
import { A, B, testHousehold } from './support/household.js';

/** SPEC v3 (issue #20): the five places where the enacted text differs from v2, one rule at a time. */

/** The illustrative 2027 norms of the worked examples: couple 2040.00, single 1428.00. */
const illustrative = withOverrides(
  defaultParameters,
  parameterOverridesSchema.parse({ norm: [{ validFrom: '2027-01-01', couple: '2040.00', single: '1428.00' }] }),
);
const K = { start: '2027-01-01', end: '9999-12-31' };
const composition = (category: Composition['category'], costSharers: number): Composition[] => [
  { from: '2027-01-01', category, costSharers },
];

describe('art. 24a: single parent whose partner has no right to assistance (SPEC v3 §5.1)', () => {
  it('A ≤ 2: round(0.70 × 2040.00) + round(3416.00 / 12) = 1428.00 + 284.67 = 1712.67 (v2: 0.90 × 2040.00 = 1836.00)', () => {
    const n = normOfMonth('2027-03', K, composition('single-parent-no-alo', 2), [], illustrative);
    expect(fmt(n.norm)).toBe('1712.67');
    // VT = round(0.05 × 1712.67) = round(85.6335) = 85.63; NormEx = 1627.04.
    expect([fmt(n.holidayReserveFull), fmt(n.normExclHoliday)]).toEqual(['85.63', '1627.04']);
  });

  it('A = 3: round(130 / 300 × 2040.00) + 284.67 = 884.00 + 284.67 = 1168.67', () => {
    expect(fmt(normOfMonth('2027-06', K, composition('single-parent-no-alo', 3), [], illustrative).norm)).toBe(
      '1168.67',
    );
  });

  it('traces art. 24a with the supplement, its WKB reference and the dated parameter row with its source', () => {
    const n = normOfMonth('2027-03', K, composition('single-parent-no-alo', 2), [], illustrative);
    const segment = (n.steps[0]!.inputs.segments as Array<Record<string, unknown>>)[0]!;
    expect(n.steps[0]!.legalRef).toMatchObject({ law: 'Participatiewet', article: '24a' });
    expect(segment).toMatchObject({
      norm: '1712.67',
      aloSupplementPerYear: '3416.00',
      aloSupplementPerMonth: '284.67',
    });
    expect(segment.aloSupplementLegalRef).toMatchObject({
      law: 'Wet op het kindgebonden budget',
      article: '2',
      paragraph: '6',
    });
    const row = n.parameters.find((p) => p.name === 'aloSupplementPerYear')!;
    expect(row).toMatchObject({ validFrom: '2027-01-01', value: { value: '3416.00' } });
    expect(row.source).toContain('WKB');
    expect(n.parameters.some((p) => (p.name as string) === 'aloNoPartnerRate')).toBe(false);
  });

  it('has no value before 2027-01-01: refused, never a guess', () => {
    expect(() =>
      normOfMonth(
        '2026-12',
        { start: '2026-12-01', end: '9999-12-31' },
        [{ from: '2026-12-01', category: 'single-parent-no-alo', costSharers: 2 }],
        [],
        defaultParameters,
      ),
    ).toThrow('parameter aloSupplementPerYear has no value in force on 2026-12-01');
  });

  it('v2 tables (aloNoPartnerRate) read in the v3 shape: the rate is dropped, the national supplement rows added', () => {
    const v2 = {
      ...structuredClone(defaultParameters),
      aloNoPartnerRate: [{ validFrom: '2027-01-01', value: '0.90', source: 'PIB maatregel 6b' }],
    } as Record<string, unknown>;
    delete v2.aloSupplementPerYear;
    const tables = parseParameterTables(upcastParameterTables(v2));
    expect(tables.aloSupplementPerYear.map((r) => [r.validFrom, r.value])).toEqual([['2027-01-01', '3416.00']]);
    expect('aloNoPartnerRate' in tables).toBe(false);
  });
});

describe("art. 22a(2): a couple with cost sharers gets the sum of each spouse's norm (SPEC v3 §5.1)", () => {
  it('A = 6 (2026): 2 × round(220 / 600 × 2002.13) = 2 × round(734.1143…) = 2 × 734.11 = 1468.22 (v2: round(1468.2287) = 1468.23)', () => {
    const n = normOfMonth(
      '2026-03',
      { start: '2026-01-01', end: '9999-12-31' },
      [{ from: '2026-01-01', category: 'couple', costSharers: 6 }],
      [],
      defaultParameters,
    );
    expect(fmt(n.norm)).toBe('1468.22');
    expect(n.steps[0]!.legalRef).toMatchObject({ article: '22a', paragraph: '2' });
  });

  it('A = 3 (2026): 2 × round(130 / 300 × 2002.13) = 2 × 867.59 = 1735.18, the same as v2 there', () => {
    const n = normOfMonth(
      '2026-03',
      { start: '2026-01-01', end: '9999-12-31' },
      [{ from: '2026-01-01', category: 'couple', costSharers: 3 }],
      [],
      defaultParameters,
    );
    expect(fmt(n.norm)).toBe('1735.18');
  });
});

const opened = (members: Array<Record<string, unknown>>, category: string): HouseholdEvent => ({
  type: 'CaseOpened',
  data: {
    ...caseEventSchema.parse({ type: 'CaseOpened', householdId: 'H-1', members, category, startDate: '2026-01-01' }),
    recordedAt: '2025-12-20T09:00:00Z',
  } as never,
});
const oneEntitled = () =>
  foldHousehold([
    opened(
      [
        { bsn: A, role: 'applicant' },
        { bsn: B, role: 'partner', entitled: false },
      ],
      'couple-one-entitled',
    ),
  ]);

/** Decide a grant on the state and fold it in when recorded; returns the events (or throws CommandRejected). */
function grant(state: HouseholdState, fields: Record<string, unknown>): HouseholdEvent[] {
  const out = decideCaseEvent(
    caseEventSchema.parse({ type: 'EarningsDisregardGranted', householdId: 'H-1', bsn: A, kind: 'work', ...fields }),
    '2027-01-02T09:00:00Z',
    state,
    defaultParameters,
  );
  return out;
}
function withGrants(...grants: Array<Record<string, unknown>>): HouseholdState {
  let events: HouseholdEvent[] = [
    opened(
      [
        { bsn: A, role: 'applicant' },
        { bsn: B, role: 'partner', entitled: false },
      ],
      'couple-one-entitled',
    ),
  ];
  for (const g of grants) events = [...events, ...grant(foldHousehold(events), g)];
  return foldHousehold(events);
}
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof CommandRejected) return err.reason;
    throw err;
  }
  return 'recorded';
};

describe('art. 34a(1)(a), (2): the twelve months count per person over a run of adjoining grants (SPEC v3 §1.2, §12.10)', () => {
  const first = { from: '2027-02-01', to: '2027-07-31' };

  it('February–July and August–January: 6 + 6 = 12 months in one run, accepted', () => {
    const state = withGrants(first);
    expect(grant(state, { from: '2027-08-01', to: '2028-01-31' })).toHaveLength(1);
  });

  it('February–July and August–February: months(2027-02-01, 2028-02-29) = 13 > 12, rejected naming the run and the article', () => {
    const state = withGrants(first);
    expect(reason(() => grant(state, { from: '2027-08-01', to: '2028-02-29' }))).toBe(
      'to: the work disregard of this person runs from 2027-02-01; 13 months exceed the 12 of art. 34a(1)(a) without extension',
    );
    // With the college's extension (art. 34a(2)) the same grant is recorded; its months still belong to the run.
    expect(grant(state, { from: '2027-08-01', to: '2028-02-29', extension: true })).toHaveLength(1);
  });

  it('a run of three grants is traced back to its first: 4 + 4 + 5 = 13 months, rejected', () => {
    const state = withGrants({ from: '2027-01-01', to: '2027-04-30' }, { from: '2027-05-01', to: '2027-08-31' });
    expect(reason(() => grant(state, { from: '2027-09-01', to: '2028-01-31' }))).toContain(
      'runs from 2027-01-01; 13 months exceed the 12',
    );
    expect(grant(state, { from: '2027-09-01', to: '2027-12-31' })).toHaveLength(1);
  });

  it("runs are per person: the partner's adjoining grant does not extend the applicant's run", () => {
    const state = withGrants(first);
    expect(grant(state, { bsn: B, from: '2027-08-01', to: '2028-07-31' })).toHaveLength(1);
  });

  it('an art. 31(2)(n) grant never joins an art. 34a run (§12.2): 6 months in 2026 then 12 in 2027 are both accepted', () => {
    const state = withGrants({ from: '2026-07-01', to: '2026-12-31' });
    expect(grant(state, { from: '2027-01-01', to: '2027-12-31' })).toHaveLength(1);
  });
});

describe('art. 34a(3): a new run after one has ended needs a new employment that started after it (SPEC v3 §1.2)', () => {
  const ended = () => withGrants({ from: '2027-02-01', to: '2027-07-31' });
  const next = { from: '2027-10-01', to: '2028-03-31' };

  it('without newEmploymentFrom: rejected', () => {
    expect(reason(() => grant(ended(), next))).toBe(
      'newEmploymentFrom: is required: the work disregard of this person ended on 2027-07-31; a new one needs a new employment that started after it (art. 34a(3))',
    );
  });

  it("newEmploymentFrom on the earlier grant's last day (2027-07-31): rejected; the day after (2027-08-01): accepted", () => {
    expect(reason(() => grant(ended(), { ...next, newEmploymentFrom: '2027-07-31' }))).toBe(
      "newEmploymentFrom: 2027-07-31 is not after 2027-07-31, the end of this person's earlier work disregard (art. 34a(3))",
    );
    expect(grant(ended(), { ...next, newEmploymentFrom: '2027-08-01' })).toHaveLength(1);
  });

  it('an extension is not exempt; the earlier grant is the one with the latest end (§12.10)', () => {
    const state = withGrants(
      { from: '2027-01-01', to: '2027-03-31' },
      { from: '2027-05-01', to: '2027-06-30', newEmploymentFrom: '2027-04-15' },
    );
    expect(reason(() => grant(state, { ...next, extension: true, newEmploymentFrom: '2027-05-01' }))).toContain(
      'is not after 2027-06-30',
    );
    expect(grant(state, { ...next, extension: true, newEmploymentFrom: '2027-07-01' })).toHaveLength(1);
  });

  it('a medical grant is no work run: a work grant after it needs no new employment', () => {
    const state = withGrants({ kind: 'medical', from: '2027-01-01', to: '2027-03-31' });
    expect(grant(state, { from: '2027-05-01', to: '2027-10-31' })).toHaveLength(1);
  });

  it('the schema takes newEmploymentFrom as a case date and nothing else', () => {
    const bad = caseEventSchema.safeParse({
      type: 'EarningsDisregardGranted',
      householdId: 'H-1',
      bsn: A,
      from: '2027-10-01',
      to: '2028-03-31',
      newEmploymentFrom: '1-8-2027',
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['newEmploymentFrom']);
  });
});

describe("art. 32(3), last sentence: the non-entitled partner's disregard (SPEC v3 §5.4–5.5)", () => {
  it('a grant for the partner is recorded (v2 refused it)', () => {
    expect(grant(oneEntitled(), { bsn: B, from: '2027-03-01', to: '2028-02-29' })).toHaveLength(1);
  });

  it('V_np = round(0.15 × 900.00) = 135.00; I_np = 900.00 − 135.00 = 765.00; P = min(765.00, 510.00 + 765.00 + 846.60 − 1938.00) = 183.60', () => {
    const grants = [{ bsn: B, kind: 'work' as const, from: '2027-03-01', to: '2028-02-29' }];
    const v = partnerEarningsDisregard('2027-03', B, money('900.00'), grants, money('900.00'), illustrative);
    expect(fmt(v.disregard)).toBe('135.00');
    expect(v.step).toMatchObject({
      rule: 'partnerEarningsDisregard',
      legalRef: { article: '32', paragraph: '3' },
      result: { disregard: '135.00' },
    });
    // Couple-one-entitled, A = 2: NormEx = 1428.00 − 71.40 = 1356.60; the couple norm's NormEx = 2040.00 − 102.00 = 1938.00.
    // The applicant's 600.00 after 15 %: C_e = 510.00; A0 = 1356.60 − 510.00 = 846.60.
    expect(fmt(partnerIncomeCounted(money('510.00'), money('765.00'), money('1356.60'), money('1938.00')))).toBe(
      '183.60',
    );
    // Without the partner's grant (v2): min(900.00, 510.00 + 900.00 + 846.60 − 1938.00) = 318.60.
    expect(fmt(partnerIncomeCounted(money('510.00'), money('900.00'), money('1356.60'), money('1938.00')))).toBe(
      '318.60',
    );
  });

  it('no grant in the month, or a grant of another person: no partner disregard', () => {
    const grants = [{ bsn: A, kind: 'work' as const, from: '2027-03-01', to: '2028-02-29' }];
    expect(
      partnerEarningsDisregard('2027-03', B, money('900.00'), grants, money('900.00'), illustrative),
    ).toMatchObject({ step: null });
    const own = [{ bsn: B, kind: 'work' as const, from: '2027-03-01', to: '2027-03-31' }];
    expect(
      fmt(partnerEarningsDisregard('2027-04', B, money('900.00'), own, money('900.00'), illustrative).disregard),
    ).toBe('0.00');
  });

  it("settles and projects the partner's income after the partner's disregard, month by month", () => {
    const h = testHousehold({
      params: illustrative,
      caseEventAt: '2027-01-02T09:00:00Z',
      statementAt: '2027-02-10T09:00:00Z',
    });
    h.open({
      members: [
        { bsn: A, role: 'applicant' },
        { bsn: B, role: 'partner', entitled: false },
      ],
      category: 'couple-one-entitled',
      startDate: '2027-01-01',
    });
    h.caseEvent({ type: 'EarningsDisregardGranted', bsn: B, kind: 'work', from: '2027-01-01', to: '2027-12-31' });
    h.statement({
      bsn: B,
      incomeRelationshipId: 'IKV-B',
      taxableWage: '900.00',
      period: { start: '2027-01-01', end: '2027-01-31', kind: 'month' },
      paymentDate: '2027-01-23',
    });
    h.runDays('2027-02-10', '2027-03-01');
    // January: no own income, C_e = 0; A0 = 1356.60; P = min(765.00, 0 + 765.00 + 1356.60 − 1938.00) = 183.60;
    // A = 1356.60 − 183.60 = 1173.00 (v2: P = 318.60, A = 1038.00).
    expect(h.result().months['2027-01']).toMatchObject({
      income: '0.00',
      disregard: '0.00',
      partnerIncomeCounted: '183.60',
      assistance: '1173.00',
    });
    // February's advance projects the 900.00 after 15 %: the same 183.60 counted, advance 1173.00.
    expect(h.payment('2027-02')).toMatchObject({ advance: '1173.00' });
  });
});

describe('art. 18(8): cost-saving contributions share the yearly free amount with gifts (SPEC v3 §4.5)', () => {
  const declared = (declarationId: string, kind: string, amount: string, receivedOn: string) =>
    otherIncomeDeclaredSchema.parse({
      type: 'OtherIncomeDeclared',
      householdId: 'H-1',
      declarationId,
      bsn: A,
      kind,
      amount,
      receivedOn,
    });

  it('gift 800.00 then contribution 600.00: running total 1400.00, the contribution counts 1400.00 − 1200.00 = 200.00', () => {
    const counts = giftsAboveFreeAmount(
      [declared('d-2', 'contribution', '600.00', '2027-05-10'), declared('d-1', 'gift', '800.00', '2027-03-01')],
      defaultParameters,
    );
    expect(counts.map((c) => [c.declaration.declarationId, fmt(c.runningTotalAfter), fmt(c.counted)])).toEqual([
      ['d-1', '800.00', '0.00'],
      ['d-2', '1400.00', '200.00'],
    ]);
  });

  it('a contribution is settled under art. 18(8) for its part above the free amount, in the month it was received', () => {
    const declarations = [
      declared('d-1', 'gift', '800.00', '2027-03-01'),
      declared('d-2', 'contribution', '600.00', '2027-05-10'),
    ].map((declaration) => ({ declaration, recordedAt: '2027-05-11T09:00:00Z' }));
    const [, contribution] = settleDeclarations(declarations, K, defaultParameters);
    expect(contribution!.steps[0]).toMatchObject({
      rule: 'contributionsAboveFreeAmount',
      legalRef: { article: '18', paragraph: '8' },
      result: { counted: '200.00', month: '2027-05' },
    });
  });

  it('the contribution whose running total crosses the free amount raises gifts-above-free-amount with the part above', () => {
    const h = testHousehold({ caseEventAt: '2027-01-02T09:00:00Z' });
    h.open({ startDate: '2027-01-01' });
    h.caseEvent({
      type: 'OtherIncomeDeclared',
      declarationId: 'd-1',
      bsn: A,
      kind: 'gift',
      amount: '1000.00',
      receivedOn: '2027-01-10',
    });
    h.caseEvent({
      type: 'OtherIncomeDeclared',
      declarationId: 'd-2',
      bsn: A,
      kind: 'contribution',
      amount: '350.00',
      receivedOn: '2027-01-20',
    });
    h.runDays('2027-01-25', '2027-03-01');
    // 1000.00 + 350.00 = 1350.00: 150.00 above 1200.00, counted in January (settled on 1 March).
    expect(h.result().alerts).toContainEqual({ kind: 'gifts-above-free-amount', month: '2027-01', amount: '150.00' });
    expect(h.result().months['2027-01']).toMatchObject({ income: '150.00' });
  });
});

describe('a night under v3 re-settles the months whose amounts v3 changes, as any rules change does', () => {
  it('single-parent-no-alo settled at the v2 amount (1836.00) is re-settled at 1712.67: ΔA = −117.16 a month', () => {
    // Tables that give v2's 0.90 × 2040.00 = 1836.00 through the v3 formula: 1428.00 + 4896.00 / 12 = 1428.00 + 408.00.
    const asV2 = withOverrides(
      illustrative,
      parameterOverridesSchema.parse({ aloSupplementPerYear: [{ validFrom: '2027-01-01', value: '4896.00' }] }),
    );
    for (const evaluation of [undefined, new IncrementalLayer().forHousehold()]) {
      const h = testHousehold({
        params: asV2,
        caseEventAt: '2027-01-02T09:00:00Z',
        ...(evaluation ? { evaluation } : {}),
      });
      h.open({
        members: [
          { bsn: A, role: 'applicant' },
          { bsn: B, role: 'partner', entitled: false },
        ],
        category: 'single-parent-no-alo',
        startDate: '2027-01-01',
      });
      h.runDays('2027-01-02', '2027-03-01');
      // NormEx v2: 1836.00 − round(0.05 × 1836.00) = 1836.00 − 91.80 = 1744.20.
      expect(h.settled('2027-01').map((s) => [s.version, s.values.assistance])).toEqual([[1, '1744.20']]);
      (h.ctx as { params: ParameterTables }).params = illustrative;
      h.run('2027-03-02');
      // v3: NormEx 1627.04 (1712.67 − 85.63); January again, version 2: 1627.04 − 1744.20 = −117.16 to the ledger.
      expect(h.settled('2027-01').map((s) => [s.version, s.values.assistance, s.assistanceChange])).toEqual([
        [1, '1744.20', '0.00'],
        [2, '1627.04', '-117.16'],
      ]);
    }
  });
});
