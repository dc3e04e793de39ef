import { describe, expect, it } from 'vitest';
import {
  assistanceOfMonth,
  partnerIncomeCounted,
  caseOpenedSchema,
  casePeriod,
  caseEventSchema,
  computeMonth,
  decide,
  defaultParameters,
  defaultPolicy,
  evolve,
  fmt,
  holidayReserveOfMonth,
  initialHouseholdState,
  money,
  type HouseholdCommand,
  type HouseholdState,
  type MonthComputation,
  monthValues,
  directEvaluation,
  sharesByMonth,
} from '../src/index.js';
import { validStatement } from './support/statement.js';
import { decideLikeTheServices } from './support/drive.js';

const A = '111222333';
const B = '123456782';

interface Setup {
  category?: 'single' | 'couple';
  statements: Array<Record<string, unknown>>;
  grants?: Array<{ bsn: string; from: string; to: string }>;
}

/** Record an input through the decider and fold the resulting event (no nightly run). */
function record(state: HouseholdState, command: HouseholdCommand): void {
  for (const e of decideLikeTheServices(command, state, { params: defaultParameters, policy: defaultPolicy }))
    evolve(state, e);
}

/** Build a household from its inputs (no nightly run), then compute one month (§5) directly. */
function month(m: string, setup: Setup): MonthComputation {
  const state: HouseholdState = initialHouseholdState();
  const couple = setup.category === 'couple';
  const opened = caseOpenedSchema.parse({
    type: 'CaseOpened',
    householdId: 'H-1',
    members: couple
      ? [
          { bsn: A, role: 'applicant' },
          { bsn: B, role: 'partner' },
        ]
      : [{ bsn: A, role: 'applicant' }],
    category: couple ? 'couple' : 'single',
    startDate: '2026-01-01',
  });
  record(state, { type: 'RecordCaseEvent', event: opened, recordedAt: '2026-01-01T09:00:00Z' });
  for (const g of setup.grants ?? []) {
    record(state, {
      type: 'RecordCaseEvent',
      event: caseEventSchema.parse({ type: 'EarningsDisregardGranted', householdId: 'H-1', ...g }),
      recordedAt: '2026-01-01T09:00:00Z',
    });
  }
  setup.statements.forEach((fields, i) => {
    const statement = validStatement({
      messageId: `m-${i}`,
      bsn: A,
      incomeRelationshipId: `IKV-${i}`,
      period: { start: '2026-03-01', end: '2026-03-31', kind: 'month' },
      paymentDate: '2026-03-25',
      withheldTax: '0.00',
      ...fields,
    });
    record(state, { type: 'RecordIncomeStatement', statement, recordedAt: '2026-04-01T09:00:00Z' });
  });
  const K = casePeriod(state)!;
  const rules = { params: defaultParameters, policy: defaultPolicy };
  const settlements = [...state.statementsInForce.values()].map((r) =>
    directEvaluation.statementSettlement(r, K, rules),
  );
  return computeMonth(m, state, K, sharesByMonth(settlements).get(m) ?? [], defaultParameters);
}

const values = monthValues;

// Single 2026: N 1401.50, VT 70.08, NormEx 1331.42. Couple 2026: N 2002.13, VT 100.11, NormEx 1902.02.
describe('SPEC §5.3–5.6 entitlement of one month', () => {
  it('income below the norm: A = NormEx − C, R = VT − H', () => {
    // I = 1000.00, H = 50.00 × 1000/1000 = 50.00; A = 1331.42 − 1000.00 = 331.42; R = 70.08 − 50.00 − 0 = 20.08
    expect(
      values(month('2026-03', { statements: [{ taxableWage: '1000.00', holidayAllowanceAccrued: '50.00' }] })),
    ).toEqual({
      norm: '1401.50',
      measureReduction: '0.00',
      holidayReserveFull: '70.08',
      normExclHoliday: '1331.42',
      income: '1000.00',
      incomeFromWork: '1000.00',
      disregard: '0.00',
      partnerIncomeCounted: '0.00',
      countableIncome: '1000.00',
      assistance: '331.42',
      excessIncome: '0.00',
      holidayAccrued: '50.00',
      holidayReserve: '20.08',
    });
  });

  it('income exactly NormEx: A = 0, E = 0, R = VT', () => {
    const c = month('2026-03', { statements: [{ taxableWage: '1331.42' }] });
    expect([fmt(c.assistance), fmt(c.excessIncome), fmt(c.holidayReserve)]).toEqual(['0.00', '0.00', '70.08']);
  });

  it('income above the norm: E > 0 eats into R', () => {
    // C = 1400.00; A = 0; E = 1400.00 − 1331.42 = 68.58; R = 70.08 − 0 − 68.58 = 1.50
    const c = month('2026-03', { statements: [{ taxableWage: '1400.00' }] });
    expect([fmt(c.assistance), fmt(c.excessIncome), fmt(c.holidayReserve)]).toEqual(['0.00', '68.58', '1.50']);
  });

  it('E plus H: R just above, at and below 0', () => {
    // R = max(0, 70.08 − H − 68.58)
    const r = (h: string) =>
      fmt(month('2026-03', { statements: [{ taxableWage: '1400.00', holidayAllowanceAccrued: h }] }).holidayReserve);
    expect(r('1.49')).toBe('0.01');
    expect(r('1.50')).toBe('0.00');
    expect(r('1.51')).toBe('0.00');
  });

  it('income far above the norm: R = 0', () => {
    // E = 1500.00 − 1331.42 = 168.58 > VT → R = 0
    const c = month('2026-03', { statements: [{ taxableWage: '1500.00' }] });
    expect([fmt(c.assistance), fmt(c.excessIncome), fmt(c.holidayReserve)]).toEqual(['0.00', '168.58', '0.00']);
  });

  it('holiday accrual above VT → R = 0 while A is unaffected', () => {
    // H = 80.00 > 70.08 → R = 0; A = 1331.42 − 1000.00 = 331.42
    const c = month('2026-03', { statements: [{ taxableWage: '1000.00', holidayAllowanceAccrued: '80.00' }] });
    expect([fmt(c.assistance), fmt(c.holidayAccrued), fmt(c.holidayReserve)]).toEqual(['331.42', '80.00', '0.00']);
  });

  it('a negative holiday accrual total counts as 0 (H = max(0, …))', () => {
    const c = month('2026-03', {
      statements: [{ kind: 'correction', taxableWage: '-0.01', holidayAllowanceAccrued: '-50.00' }],
    });
    expect([fmt(c.holidayAccrued), fmt(c.holidayReserve)]).toEqual(['0.00', '70.08']);
  });

  it('a negative income total counts as 0 (I = max(0, …)) → A = NormEx', () => {
    const c = month('2026-03', { statements: [{ kind: 'correction', taxableWage: '-300.00' }] });
    expect([fmt(c.income), fmt(c.assistance)]).toEqual(['0.00', '1331.42']);
  });

  it('income in another month does not count in this one', () => {
    const c = month('2026-04', { statements: [{ taxableWage: '1000.00' }] });
    expect([fmt(c.income), fmt(c.assistance)]).toEqual(['0.00', '1331.42']);
  });

  it('single with a disregard grant: C = I − V', () => {
    // V = 0.25 × 1000.00 = 250.00; C = 750.00; A = 1331.42 − 750.00 = 581.42
    const c = month('2026-03', {
      statements: [{ taxableWage: '1000.00' }],
      grants: [{ bsn: A, from: '2026-03-01', to: '2026-08-31' }],
    });
    expect([fmt(c.disregard), fmt(c.countableIncome), fmt(c.assistance)]).toEqual(['250.00', '750.00', '581.42']);
  });

  it('couple, two earners, both granted: the cap applies per person (art. 31(2)(n))', () => {
    // I = 800.00 + 600.00 = 1400.00; V = min(200.00, 285.00) + min(150.00, 285.00) = 350.00; C = 1050.00; A = 1902.02 − 1050.00 = 852.02
    const c = month('2026-03', {
      category: 'couple',
      statements: [{ taxableWage: '800.00' }, { bsn: B, taxableWage: '600.00' }],
      grants: [
        { bsn: A, from: '2026-01-01', to: '2026-06-30' },
        { bsn: B, from: '2026-01-01', to: '2026-06-30' },
      ],
    });
    expect(values(c)).toMatchObject({
      normExclHoliday: '1902.02',
      income: '1400.00',
      disregard: '350.00',
      countableIncome: '1050.00',
      assistance: '852.02',
      holidayReserve: '100.11',
    });
  });

  it('couple: per-person income is max(0, …) before the disregard', () => {
    // A: −300.00 (correction), B: +500.00 → I = 200.00; I_A = 0, I_B = 500.00
    // V = min(0.00 + 125.00, 285.00) = 125.00; C = 75.00; A = 1902.02 − 75.00 = 1827.02
    const c = month('2026-03', {
      category: 'couple',
      statements: [
        { kind: 'correction', taxableWage: '-300.00' },
        { bsn: B, taxableWage: '500.00' },
      ],
      grants: [
        { bsn: A, from: '2026-01-01', to: '2026-06-30' },
        { bsn: B, from: '2026-01-01', to: '2026-06-30' },
      ],
    });
    expect([fmt(c.income), fmt(c.disregard), fmt(c.countableIncome), fmt(c.assistance)]).toEqual([
      '200.00',
      '125.00',
      '75.00',
      '1827.02',
    ]);
  });

  describe('pure formulas', () => {
    it("partnerIncomeCounted (art. 32(3)): the partner's income counts only above the couple norm (NormEx 1356.60, NCEx 1938.00)", () => {
      const p = (own: string, partner: string) =>
        fmt(partnerIncomeCounted(money(own), money(partner), money('1356.60'), money('1938.00')));
      // Own income 0: A0 = 1356.60; the couple reaches its norm when the partner earns 1938.00 − 1356.60 = 581.40.
      expect(p('0.00', '581.39')).toBe('0.00');
      expect(p('0.00', '581.40')).toBe('0.00');
      expect(p('0.00', '581.41')).toBe('0.01');
      expect(p('0.00', '900.00')).toBe('318.60');
      // Own countable income 340.00: A0 = 1016.60; 340.00 + 900.00 + 1016.60 − 1938.00 = 318.60 (worked example, February).
      expect(p('340.00', '900.00')).toBe('318.60');
      // Own income above the couple norm (a benefit back-payment): the partner's income counts in full.
      expect(p('2300.00', '900.00')).toBe('900.00');
      expect(p('0.00', '0.00')).toBe('0.00');
    });

    it('assistanceOfMonth: A and E around C = NormEx', () => {
      const f = (c: string) => {
        const r = assistanceOfMonth(money('1331.42'), money(c));
        return [fmt(r.assistance), fmt(r.excessIncome)];
      };
      expect(f('1331.41')).toEqual(['0.01', '0.00']);
      expect(f('1331.42')).toEqual(['0.00', '0.00']);
      expect(f('1331.43')).toEqual(['0.00', '0.01']);
    });

    it('holidayReserveOfMonth: R = max(0, VT − H − E)', () => {
      expect(fmt(holidayReserveOfMonth(money('70.08'), money('20.00'), money('30.00')))).toBe('20.08');
      expect(fmt(holidayReserveOfMonth(money('70.08'), money('40.08'), money('30.00')))).toBe('0.00');
      expect(fmt(holidayReserveOfMonth(money('70.08'), money('40.09'), money('30.00')))).toBe('0.00');
    });
  });
});
