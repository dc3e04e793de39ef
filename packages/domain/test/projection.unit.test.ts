import { describe, expect, it } from 'vitest';
import {
  caseOpenedSchema,
  decide,
  defaultParameters,
  defaultPolicy,
  evolve,
  expectedPaydaysIn,
  fmt,
  initialHouseholdState,
  policySchema,
  projectIncome,
  latestStatementsByRelationship,
  netIncomeOfStatement,
  type PolisIncomeStatement,
  type HouseholdCommand,
  type HouseholdState,
} from '../src/index.js';
import { validStatement } from './support/statement.js';
import { decideLikeTheServices } from './support/drive.js';

const A = '111222333';
const B = '123456782';

/** Record an input through the decider and fold the resulting event (no nightly run). */
function record(state: HouseholdState, command: HouseholdCommand): void {
  for (const e of decideLikeTheServices(command, state, { params: defaultParameters, policy: defaultPolicy }))
    evolve(state, e);
}

/** A couple household holding the given statements in recording order (no nightly run). */
function household(statements: Array<Record<string, unknown>>): HouseholdState {
  const state = initialHouseholdState();
  const opened = caseOpenedSchema.parse({
    type: 'CaseOpened',
    householdId: 'H-1',
    members: [
      { bsn: A, role: 'applicant' },
      { bsn: B, role: 'partner' },
    ],
    category: 'couple',
    startDate: '2026-01-01',
  });
  record(state, { type: 'RecordCaseEvent', event: opened, recordedAt: '2026-01-01T09:00:00Z' });
  statements.forEach((fields, i) => {
    const statement = validStatement({ messageId: `m-${i}`, bsn: A, withheldTax: '0.00', ...fields });
    record(state, { type: 'RecordIncomeStatement', statement, recordedAt: '2026-04-01T09:00:00Z' });
  });
  return state;
}

const netOf = (s: PolisIncomeStatement) => netIncomeOfStatement(s, defaultParameters).net;
const projected = (month: string, state: HouseholdState, policy = defaultPolicy) =>
  fmt(
    projectIncome(month, latestStatementsByRelationship(state.statementsInForce.values()), netOf, policy).projectedNet,
  );

const april = { period: { start: '2026-04-01', end: '2026-04-30', kind: 'month' }, paymentDate: '2026-04-25' };

describe('SPEC §6.2 expected paydays d_k inside P', () => {
  it('month: same day each following month, clamped to the month length', () => {
    expect(expectedPaydaysIn('2026-01', '2026-01-31', 'month')).toEqual(['2026-01-31']);
    expect(expectedPaydaysIn('2026-02', '2026-01-31', 'month')).toEqual(['2026-02-28']);
    expect(expectedPaydaysIn('2026-03', '2026-01-31', 'month')).toEqual(['2026-03-31']);
    expect(expectedPaydaysIn('2028-02', '2027-12-30', 'month')).toEqual(['2028-02-29']);
  });

  it('month: nothing before d', () => {
    expect(expectedPaydaysIn('2025-12', '2026-01-15', 'month')).toEqual([]);
  });

  it('four-weeks: d + 28k, so a month can hold two paydays (Ferd)', () => {
    // 2027-01-25 + 28k: … 10-04, 11-01, 11-29, 12-27
    expect(expectedPaydaysIn('2027-11', '2027-01-25', 'four-weeks')).toEqual(['2027-11-01', '2027-11-29']);
    expect(expectedPaydaysIn('2027-12', '2027-01-25', 'four-weeks')).toEqual(['2027-12-27']);
  });

  it('week: d + 7k', () => {
    // Friday 2026-01-02: 01-02, 09, 16, 23, 30 in January; 02-06, 13, 20, 27 in February
    expect(expectedPaydaysIn('2026-01', '2026-01-02', 'week')).toEqual([
      '2026-01-02',
      '2026-01-09',
      '2026-01-16',
      '2026-01-23',
      '2026-01-30',
    ]);
    expect(expectedPaydaysIn('2026-02', '2026-01-02', 'week')).toEqual([
      '2026-02-06',
      '2026-02-13',
      '2026-02-20',
      '2026-02-27',
    ]);
  });

  it('other: d only', () => {
    expect(expectedPaydaysIn('2026-05', '2026-05-01', 'other')).toEqual(['2026-05-01']);
    expect(expectedPaydaysIn('2026-05', '2026-04-30', 'other')).toEqual([]);
    expect(expectedPaydaysIn('2026-06', '2026-05-01', 'other')).toEqual([]);
  });
});

describe('SPEC §6.2 projectedNet_P', () => {
  it('month kind: one payday × max(0, netRegular)', () => {
    // net = 1000.00 − 100.00 = 900.00; d 04-25 → 05-25 → 900.00
    expect(projected('2026-05', household([{ ...april, taxableWage: '1000.00', withheldTax: '100.00' }]))).toBe(
      '900.00',
    );
  });

  it('four-weeks: two paydays in May (05-01 and 05-29) → 2 × 700.00', () => {
    const s = household([
      { period: { start: '2026-04-04', end: '2026-05-01', kind: 'four-weeks' }, taxableWage: '700.00' },
    ]);
    expect(projected('2026-05', s)).toBe('1400.00');
  });

  it('week: five Fridays in May from d = 05-01 → 5 × 150.00', () => {
    const s = household([{ period: { start: '2026-04-25', end: '2026-05-01', kind: 'week' }, taxableWage: '150.00' }]);
    expect(projected('2026-05', s)).toBe('750.00');
  });

  it('other: only d itself (in P → once, before P → nothing)', () => {
    expect(
      projected(
        '2026-05',
        household([{ period: { start: '2026-04-20', end: '2026-05-01', kind: 'other' }, taxableWage: '300.00' }]),
      ),
    ).toBe('300.00');
    expect(
      projected(
        '2026-05',
        household([{ period: { start: '2026-04-20', end: '2026-04-30', kind: 'other' }, taxableWage: '300.00' }]),
      ),
    ).toBe('0.00');
  });

  describe('staleness: d at most 62 days before the first day of P', () => {
    // 2026-05-01 − 62 days = 2026-02-28; − 63 days = 2026-02-27. Month kind: payday on the 28th / 27th of May.
    it('62 days before → projected', () => {
      const s = household([
        { period: { start: '2026-02-01', end: '2026-02-28', kind: 'month' }, taxableWage: '1000.00' },
      ]);
      expect(projected('2026-05', s)).toBe('1000.00');
    });
    it('63 days before → skipped', () => {
      const s = household([
        {
          period: { start: '2026-02-01', end: '2026-02-28', kind: 'month' },
          paymentDate: '2026-02-27',
          taxableWage: '1000.00',
        },
      ]);
      expect(projected('2026-05', s)).toBe('0.00');
    });
  });

  describe('relationshipEndDate', () => {
    it('ended the day before P → skipped', () => {
      expect(
        projected('2026-05', household([{ ...april, relationshipEndDate: '2026-04-30', taxableWage: '1000.00' }])),
      ).toBe('0.00');
    });
    it('ending on the first day of P → still projected', () => {
      expect(
        projected('2026-05', household([{ ...april, relationshipEndDate: '2026-05-01', taxableWage: '1000.00' }])),
      ).toBe('1000.00');
    });
  });

  describe('basis amount', () => {
    const march = {
      period: { start: '2026-03-01', end: '2026-03-31', kind: 'month' },
      paymentDate: '2026-03-25',
      taxableWage: '1000.00',
    };
    // April with holiday allowance: net = 1800.00 − 300.00 = 1500.00; netHolidayPaid = 800 × 1500/1800 = 666.67; netRegular = 833.33
    const aprilWithHoliday = {
      ...april,
      taxableWage: '1800.00',
      withheldTax: '300.00',
      holidayAllowancePaid: '800.00',
    };

    it('latest statement has special payments → the latest one without is the basis', () => {
      expect(projected('2026-05', household([march, aprilWithHoliday]))).toBe('1000.00');
    });

    it('every statement has special payments → the latest one is the basis', () => {
      expect(projected('2026-05', household([aprilWithHoliday]))).toBe('833.33');
    });

    it('the latest period end wins, not the latest recorded', () => {
      // April (1200.00) recorded first, then a late March statement (1000.00): April is the latest.
      expect(projected('2026-05', household([{ ...april, taxableWage: '1200.00' }, march]))).toBe('1200.00');
    });

    it('a negative netRegular projects 0', () => {
      expect(projected('2026-05', household([{ ...april, kind: 'correction', taxableWage: '-100.00' }]))).toBe('0.00');
    });
  });

  it('sums relationships and keeps per-person amounts', () => {
    const s = household([
      { ...april, taxableWage: '1000.00' },
      { ...april, bsn: B, incomeRelationshipId: 'IKV-2', taxableWage: '400.00' },
      {
        period: { start: '2026-04-25', end: '2026-05-01', kind: 'week' },
        incomeRelationshipId: 'IKV-3',
        taxableWage: '100.00',
      },
    ]);
    const p = projectIncome(
      '2026-05',
      latestStatementsByRelationship(s.statementsInForce.values()),
      netOf,
      defaultPolicy,
    );
    // A: 1000.00 + 5 × 100.00 = 1500.00; B: 400.00; total 1900.00
    expect(fmt(p.projectedNet)).toBe('1900.00');
    expect(fmt(p.perPerson.get(A)!)).toBe('1500.00');
    expect(fmt(p.perPerson.get(B)!)).toBe('400.00');
  });

  it('policy full-norm projects 0', () => {
    const s = household([{ ...april, taxableWage: '1000.00' }]);
    expect(projected('2026-05', s, policySchema.parse({ advance: 'full-norm' }))).toBe('0.00');
  });
});
