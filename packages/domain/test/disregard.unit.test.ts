import { describe, expect, it } from 'vitest';
import {
  defaultParameters,
  earningsDisregard,
  fmt,
  grantsInMonth,
  money,
  OPEN_END,
  type DisregardGrant,
} from '../src/index.js';

const A = '111222333';
const B = '123456782';

/** V_M for the month from per-person income from work (W_p); the household income defaults to Σ W_p. */
function v(month: string, income: Record<string, string>, grants: DisregardGrant[], householdIncome?: string): string {
  const perPerson = new Map(Object.entries(income).map(([bsn, x]) => [bsn, money(x)]));
  const total = householdIncome ?? fmt([...perPerson.values()].reduce((t, x) => t.plus(x), money(0)));
  return fmt(earningsDisregard(month, perPerson, grants, money(total), defaultParameters).disregard);
}

const work = (bsn: string, from: string, to: string): DisregardGrant => ({ bsn, kind: 'work', from, to });
const grant2026 = work(A, '2026-01-01', '2026-06-30');
const grant2027 = work(A, '2027-01-01', '2027-12-31');

describe('SPEC §5.4 earnings disregard', () => {
  describe('before 2027 (art. 31(2)(n)): 25%, cap 285.00 per person, 289.00 from 2026-07-01', () => {
    it('just below the cap: 0.25 × 1139.96 = 284.99', () => {
      expect(v('2026-05', { [A]: '1139.96' }, [grant2026])).toBe('284.99');
    });
    it('half-up on the person amount: 0.25 × 1139.94 = 284.985 → 284.99', () => {
      expect(v('2026-05', { [A]: '1139.94' }, [grant2026])).toBe('284.99');
    });
    it('at: 0.25 × 1140.00 = 285.00; just above: 0.25 × 1140.04 = 285.01 → 285.00', () => {
      expect(v('2026-05', { [A]: '1140.00' }, [grant2026])).toBe('285.00');
      expect(v('2026-05', { [A]: '1140.04' }, [grant2026])).toBe('285.00');
    });
    it('from July 2026 the cap is 289.00: 0.25 × 1200.00 = 300.00 → 289.00', () => {
      expect(v('2026-07', { [A]: '1200.00' }, [work(A, '2026-07-01', '2026-12-31')])).toBe('289.00');
    });
    it('the cap is per person, not per household: 285.00 + 150.25 = 435.25 (worked example disregard-kinds, May 2026)', () => {
      const both = [work(A, '2026-03-01', '2026-08-31'), work(B, '2026-05-01', '2026-10-31')];
      expect(v('2026-05', { [A]: '1160.00', [B]: '601.00' }, both)).toBe('435.25');
    });
  });

  describe('from 2027 (art. 34a): 15% of income from work per person, no cap', () => {
    it('0.15 × 1160.00 = 174.00; 0.15 × 10000.00 = 1500.00 (no cap)', () => {
      expect(v('2027-03', { [A]: '1160.00' }, [grant2027])).toBe('174.00');
      expect(v('2027-03', { [A]: '10000.00' }, [grant2027])).toBe('1500.00');
    });
    it('half-up per person: 0.15 × 100.10 = 15.015 → 15.02', () => {
      expect(v('2027-03', { [A]: '100.10' }, [grant2027])).toBe('15.02');
    });
    it('the table is taken at the month\u2019s first day: December 2026 still uses 0.25 / 289.00', () => {
      const g = work(A, '2026-12-01', '2027-05-31');
      expect(v('2026-12', { [A]: '1000.00' }, [g])).toBe('250.00');
      expect(v('2027-01', { [A]: '1000.00' }, [g])).toBe('150.00');
    });
    it('medical (medisch urenbeperkt): 15%, no end, no cap: 0.15 × 601.00 = 90.15', () => {
      expect(v('2028-01', { [B]: '601.00' }, [{ bsn: B, kind: 'medical', from: '2027-01-01', to: OPEN_END }])).toBe(
        '90.15',
      );
    });
    it('pension age: 25%, at most 226.00: 0.25 × 800.00 = 200.00; 0.25 × 1000.00 = 250.00 → 226.00', () => {
      const g: DisregardGrant = { bsn: A, kind: 'pension-age', from: '2027-01-01', to: OPEN_END };
      expect(v('2027-02', { [A]: '800.00' }, [g])).toBe('200.00');
      expect(v('2027-02', { [A]: '1000.00' }, [g])).toBe('226.00');
    });
    it('a kind the row in force does not have gives no disregard: medical in 2026', () => {
      expect(v('2026-05', { [A]: '1000.00' }, [{ bsn: A, kind: 'medical', from: '2026-01-01', to: OPEN_END }])).toBe(
        '0.00',
      );
    });
  });

  describe('grant overlap with the month', () => {
    it('no grant, a grant ending the day before, a grant starting the day after → 0', () => {
      expect(v('2027-05', { [A]: '1000.00' }, [])).toBe('0.00');
      expect(v('2027-05', { [A]: '1000.00' }, [work(A, '2027-01-01', '2027-04-30')])).toBe('0.00');
      expect(v('2027-05', { [A]: '1000.00' }, [work(A, '2027-06-01', '2027-12-31')])).toBe('0.00');
    });
    it('a grant overlapping by its last day (1 May) or by its first day (31 May) applies in full', () => {
      expect(v('2027-05', { [A]: '1000.00' }, [work(A, '2027-01-01', '2027-05-01')])).toBe('150.00');
      expect(v('2027-05', { [A]: '1000.00' }, [work(A, '2027-05-31', '2027-12-31')])).toBe('150.00');
    });
    it('grantsInMonth lists only the grants that overlap', () => {
      const grants = [work(A, '2027-05-31', '2027-06-30'), work(B, '2027-06-01', '2027-06-30')];
      expect(grantsInMonth('2027-05', grants).map((g) => g.bsn)).toEqual([A]);
    });
    it('two grants of one person touching the same month (one ends, the next begins): the larger V_p (SPEC §12.3)', () => {
      // work 15% = 150.00, pension age 25% = 250.00 → 226.00 (cap): the larger is 226.00
      const grants: DisregardGrant[] = [
        work(A, '2027-01-01', '2027-05-15'),
        { bsn: A, kind: 'pension-age', from: '2027-05-16', to: OPEN_END },
      ];
      expect(v('2027-05', { [A]: '1000.00' }, grants)).toBe('226.00');
    });
  });

  describe('two persons', () => {
    const both = [grant2027, work(B, '2027-01-01', '2027-12-31')];
    it('rounds per person, then sums: 0.15 × 100.10 = 15.015 → 15.02, twice = 30.04 (not round(0.15 × 200.20) = 30.03)', () => {
      expect(v('2027-05', { [A]: '100.10', [B]: '100.10' }, both)).toBe('30.04');
    });
    it('only the person with a grant is disregarded: A 400.00 → 60.00, B ignored', () => {
      expect(v('2027-05', { [A]: '400.00', [B]: '1000.00' }, [grant2027])).toBe('60.00');
    });
  });
});

describe('disregard never exceeds the household income of the month (engine reading of a SPEC gap)', () => {
  it('one partner negative after a correction: per-person 0 + 125.00 is capped at the household income 50.00', () => {
    const grants = [work(A, '2026-01-01', '2026-06-30'), work(B, '2026-01-01', '2026-06-30')];
    // W_A = max(0, −450.00) = 0, W_B = 500.00 → Σ round(0.25 × W_p) = 125.00; I_M = max(0, 50.00) = 50.00
    expect(v('2026-03', { [A]: '0.00', [B]: '500.00' }, grants, '50.00')).toBe('50.00');
    expect(v('2026-03', { [A]: '0.00', [B]: '500.00' }, grants, '125.01')).toBe('125.00');
  });
});
