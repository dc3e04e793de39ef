import { describe, expect, it } from 'vitest';
import { defaultParameters, earningsDisregard, fmt, money, personsWithGrant, type DisregardGrant, type Money } from '../src/index.js';

const A = '111222333';
const B = '123456782';
const SINGLE_NORM = money('1401.50');

function v(month: string, income: Record<string, string>, grants: DisregardGrant[], norm: Money = SINGLE_NORM, householdIncome?: string): string {
  const perPerson = new Map(Object.entries(income).map(([bsn, x]) => [bsn, money(x)]));
  const total = householdIncome ?? fmt([...perPerson.values()].reduce((t, x) => t.plus(x), money(0)));
  return fmt(earningsDisregard(month, perPerson, grants, norm, money(total), defaultParameters).disregard);
}

const grant2026: DisregardGrant = { bsn: A, from: '2026-01-01', to: '2026-12-31' };
const grant2027: DisregardGrant = { bsn: A, from: '2027-01-01', to: '2027-12-31' };

describe('SPEC §5.4 earnings disregard', () => {
  describe('2026 table: rate 0.25, capAmount 285.00 (cap reached at income 1140.00)', () => {
    it('just below: 0.25 × 1139.96 = 284.99', () => {
      expect(v('2026-05', { [A]: '1139.96' }, [grant2026])).toBe('284.99');
    });
    it('half-up on the person amount: 0.25 × 1139.94 = 284.985 → 284.99', () => {
      expect(v('2026-05', { [A]: '1139.94' }, [grant2026])).toBe('284.99');
    });
    it('at: 0.25 × 1140.00 = 285.00', () => {
      expect(v('2026-05', { [A]: '1140.00' }, [grant2026])).toBe('285.00');
    });
    it('just above: 0.25 × 1140.04 = 285.01 → capped at 285.00', () => {
      expect(v('2026-05', { [A]: '1140.04' }, [grant2026])).toBe('285.00');
    });
    it('the cap does not depend on the norm', () => {
      expect(v('2026-05', { [A]: '2000.00' }, [grant2026], money('500.00'))).toBe('285.00');
    });
  });

  describe('2027 table: rate 0.15, cap round(0.15 × N_M)', () => {
    // N_M = 1401.50 → cap = round(210.225) = 210.23
    it('just below: 0.15 × 1401.46 = 210.219 → 210.22', () => {
      expect(v('2027-03', { [A]: '1401.46' }, [grant2027])).toBe('210.22');
    });
    it('at: 0.15 × 1401.53 = 210.2295 → 210.23 = cap', () => {
      expect(v('2027-03', { [A]: '1401.53' }, [grant2027])).toBe('210.23');
    });
    it('just above: 0.15 × 1401.60 = 210.24 → capped at 210.23', () => {
      expect(v('2027-03', { [A]: '1401.60' }, [grant2027])).toBe('210.23');
    });
    it('the cap follows the month norm: partial norm 678.15 → cap round(101.7225) = 101.72', () => {
      expect(v('2027-03', { [A]: '1000.00' }, [grant2027], money('678.15'))).toBe('101.72');
    });
    it('the table is taken at the month’s first day: December 2026 still uses 0.25 / 285.00', () => {
      const g: DisregardGrant = { bsn: A, from: '2026-12-01', to: '2027-12-31' };
      // 0.25 × 1000.00 = 250.00 (with the 2027 table it would be 150.00)
      expect(v('2026-12', { [A]: '1000.00' }, [g])).toBe('250.00');
      expect(v('2027-01', { [A]: '1000.00' }, [g])).toBe('150.00');
    });
  });

  describe('grant overlap with the month', () => {
    it('no grant → 0', () => {
      expect(v('2026-05', { [A]: '1000.00' }, [])).toBe('0.00');
    });
    it('grant ending the day before the month → 0', () => {
      expect(v('2026-05', { [A]: '1000.00' }, [{ bsn: A, from: '2026-01-01', to: '2026-04-30' }])).toBe('0.00');
    });
    it('grant starting the day after the month → 0', () => {
      expect(v('2026-05', { [A]: '1000.00' }, [{ bsn: A, from: '2026-06-01', to: '2026-12-31' }])).toBe('0.00');
    });
    it('grant overlapping by its last day (1 May) → applies in full', () => {
      expect(v('2026-05', { [A]: '1000.00' }, [{ bsn: A, from: '2026-01-01', to: '2026-05-01' }])).toBe('250.00');
    });
    it('grant overlapping by its first day (31 May) → applies in full', () => {
      expect(v('2026-05', { [A]: '1000.00' }, [{ bsn: A, from: '2026-05-31', to: '2026-12-31' }])).toBe('250.00');
    });
    it('personsWithGrant lists only persons whose grant overlaps', () => {
      const set = personsWithGrant('2026-05', [
        { bsn: A, from: '2026-05-31', to: '2026-06-30' },
        { bsn: B, from: '2026-06-01', to: '2026-06-30' },
      ]);
      expect([...set]).toEqual([A]);
    });
  });

  describe('two persons', () => {
    const both: DisregardGrant[] = [grant2026, { bsn: B, from: '2026-01-01', to: '2026-12-31' }];

    it('rounds per person, then sums: 0.25 × 100.02 = 25.005 → 25.01, twice = 50.02 (not round(0.25 × 200.04) = 50.01)', () => {
      expect(v('2026-05', { [A]: '100.02', [B]: '100.02' }, both)).toBe('50.02');
    });
    it('the cap applies to the sum: 150.00 + 175.00 = 325.00 → 285.00', () => {
      expect(v('2026-05', { [A]: '600.00', [B]: '700.00' }, both)).toBe('285.00');
    });
    it('only the person with a grant is disregarded: A 400.00 → 100.00, B ignored', () => {
      expect(v('2026-05', { [A]: '400.00', [B]: '1000.00' }, [grant2026])).toBe('100.00');
    });
    it('a person with a grant but no income adds 0', () => {
      expect(v('2026-05', { [B]: '400.00' }, both)).toBe('100.00');
    });
  });
});

describe('disregard never exceeds the household income of the month (engine reading of a SPEC gap)', () => {
  it('one partner negative after a correction: per-person 0 + 125.00 is capped at the household income 50.00', () => {
    const grants = [
      { bsn: A, from: '2026-01-01', to: '2026-12-31' },
      { bsn: B, from: '2026-01-01', to: '2026-12-31' },
    ];
    // I_A = max(0, −450.00) = 0, I_B = 500.00 → Σ round(0.25 × I_p) = 125.00; I_M = max(0, 50.00) = 50.00
    expect(v('2026-03', { [A]: '0.00', [B]: '500.00' }, grants, money('2002.13'), '50.00')).toBe('50.00');
    expect(v('2026-03', { [A]: '0.00', [B]: '500.00' }, grants, money('2002.13'), '125.01')).toBe('125.00');
  });
});

