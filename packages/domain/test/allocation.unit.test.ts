import { describe, expect, it } from 'vitest';
import {
  allocateStatement,
  disposalDate,
  fmt,
  money,
  OPEN_END,
  onlyTheCasePeriod,
  spreadOverMonths,
  type Allocation,
  type Period,
  type SettlementComponent,
} from '../src/index.js';
import { validStatement } from './support/statement.js';

const march = { start: '2026-03-01', end: '2026-03-31', kind: 'month' };
const statement = (fields: Record<string, unknown> = {}) =>
  validStatement({ period: march, taxableWage: '1000.00', withheldTax: '0.00', ...fields });

const regular = (amount: string): SettlementComponent => ({
  kind: 'regular',
  category: 'income',
  incomeKind: 'employment',
  amount: money(amount),
});
const holiday = (amount: string): SettlementComponent => ({
  kind: 'holidayAccrued',
  category: 'holidayAccrual',
  incomeKind: 'employment',
  amount: money(amount),
});

function shares(a: Allocation) {
  return a.shares.map((s) => ({ month: s.month, kind: s.kind, amount: fmt(s.amount) }));
}

const openCase = (start: string): Period => ({ start, end: OPEN_END });

describe('SPEC §4 allocation to months (001 measure 17)', () => {
  describe('disposal date d = paymentDate ?? period.end', () => {
    it('uses the payment date when present', () => {
      expect(disposalDate(statement({ paymentDate: '2026-04-05' }))).toBe('2026-04-05');
    });
    it('falls back to the period end', () => {
      expect(disposalDate(statement())).toBe('2026-03-31');
    });
  });

  describe('rule (a): d inside K → everything in month(d)', () => {
    it('puts March work paid on 5 April in April', () => {
      const a = allocateStatement(
        statement({ paymentDate: '2026-04-05' }),
        [regular('1000.00'), holiday('80.00')],
        openCase('2026-01-01'),
      );
      expect(a.rule).toBe('a');
      expect(shares(a)).toEqual([
        { month: '2026-04', kind: 'regular', amount: '1000.00' },
        { month: '2026-04', kind: 'holidayAccrued', amount: '80.00' },
      ]);
      expect(fmt(a.excludedOutsideCase)).toBe('0.00');
    });

    it('without paymentDate lands in the month of period.end', () => {
      const a = allocateStatement(statement(), [regular('1000.00')], openCase('2026-01-01'));
      expect(shares(a)).toEqual([{ month: '2026-03', kind: 'regular', amount: '1000.00' }]);
    });
  });

  describe('rule (b): only the case period counts', () => {
    it('counts X′ = round(X × days(W∩K)/days(W)) per component and excludes the rest', () => {
      // K from 2026-03-11; W = March (31 days), W∩K = 21 days.
      // regular: 1000.00 × 21/31 = 677.419… → 677.42 (excluded 322.58)
      // holiday: 80.00 × 21/31 = 54.193… → 54.19 (excluded 25.81); excluded total 348.39
      const a = allocateStatement(statement(), [regular('1000.00'), holiday('80.00')], openCase('2026-03-11'));
      expect(a.rule).toBe('a');
      expect(shares(a)).toEqual([
        { month: '2026-03', kind: 'regular', amount: '677.42' },
        { month: '2026-03', kind: 'holidayAccrued', amount: '54.19' },
      ]);
      expect(fmt(a.excludedOutsideCase)).toBe('348.39');
    });

    it('onlyTheCasePeriod: fully inside → unchanged; one day outside → pro rata', () => {
      const w: Period = { start: '2026-03-01', end: '2026-03-31' };
      expect(fmt(onlyTheCasePeriod(money('310.00'), w, openCase('2026-03-01')))).toBe('310.00');
      // 310.00 × 30/31 = 300.00
      expect(fmt(onlyTheCasePeriod(money('310.00'), w, openCase('2026-03-02')))).toBe('300.00');
      // 100.00 × 30/31 = 96.774… → 96.77
      expect(fmt(onlyTheCasePeriod(money('100.00'), w, { start: '2026-01-01', end: '2026-03-30' }))).toBe('96.77');
    });
  });

  describe('rule (c): d after the case end → spread over W ∩ K', () => {
    // K = 2026-01-01 .. 2026-03-10. W∩K for W = 2026-01-22 .. 2026-03-10: Jan 10, Feb 28, Mar 10 days (c = 48).
    const K: Period = { start: '2026-01-01', end: '2026-03-10' };
    const W = { start: '2026-01-22', end: '2026-03-10', kind: 'other' };

    it('d exactly on the case end date is inside K → rule (a)', () => {
      const a = allocateStatement(statement({ period: W, paymentDate: '2026-03-10' }), [regular('100.00')], K);
      expect(a.rule).toBe('a');
      expect(shares(a)).toEqual([{ month: '2026-03', kind: 'regular', amount: '100.00' }]);
    });

    it('d one day after the case end → spread, remainder in the last month, parts add up exactly', () => {
      const a = allocateStatement(statement({ period: W, paymentDate: '2026-03-11' }), [regular('100.00')], K);
      expect(a.rule).toBe('c');
      // Jan round(100 × 10/48) = round(20.833…) = 20.83; Feb round(100 × 28/48) = round(58.333…) = 58.33;
      // Mar = 100.00 − 20.83 − 58.33 = 20.84 (not 20.83: the remainder absorbs the rounding)
      expect(shares(a)).toEqual([
        { month: '2026-01', kind: 'regular', amount: '20.83' },
        { month: '2026-02', kind: 'regular', amount: '58.33' },
        { month: '2026-03', kind: 'regular', amount: '20.84' },
      ]);
      expect(fmt(a.excludedOutsideCase)).toBe('0.00');
    });

    it('W partly after K: first X′ (rule b), then X′ spread (rule c)', () => {
      // W = 2026-01-22 .. 2026-03-31 (69 days), W∩K = 48 days; X = 143.75 → X′ = 143.75 × 48/69 = 100.00; excluded 43.75
      const a = allocateStatement(
        statement({ period: { start: '2026-01-22', end: '2026-03-31', kind: 'other' } }),
        [regular('143.75')],
        K,
      );
      expect(a.rule).toBe('c');
      expect(fmt(a.excludedOutsideCase)).toBe('43.75');
      expect(shares(a).map((s) => s.amount)).toEqual(['20.83', '58.33', '20.84']);
    });
  });

  describe('rule (d): intendedFor', () => {
    it('spreads over the months of intendedFor ∩ K, even when d lies in K', () => {
      // intendedFor 2026-01-22 .. 2026-03-10: 10 / 28 / 10 days → 20.83 / 58.33 / 20.84
      const s = statement({
        period: { start: '2026-01-01', end: '2026-01-31', kind: 'month' },
        paymentDate: '2026-01-20',
        intendedFor: { start: '2026-01-22', end: '2026-03-10' },
      });
      const a = allocateStatement(s, [regular('100.00')], openCase('2026-01-01'));
      expect(a.rule).toBe('d');
      expect(shares(a).map((x) => `${x.month}=${x.amount}`)).toEqual([
        '2026-01=20.83',
        '2026-02=58.33',
        '2026-03=20.84',
      ]);
    });

    it('only the part of intendedFor inside K receives income', () => {
      // K ends 2026-02-28; intendedFor Feb..Apr ∩ K = February only → all 100.00 in February
      const s = statement({
        period: { start: '2026-01-01', end: '2026-01-31', kind: 'month' },
        intendedFor: { start: '2026-02-01', end: '2026-04-30' },
      });
      const a = allocateStatement(s, [regular('100.00')], { start: '2026-01-01', end: '2026-02-28' });
      expect(a.rule).toBe('d');
      expect(shares(a)).toEqual([{ month: '2026-02', kind: 'regular', amount: '100.00' }]);
      expect(fmt(a.excludedOutsideCase)).toBe('0.00');
    });

    it('intendedFor wholly outside K → nothing counts, all of it excluded', () => {
      // K = January; intendedFor March. Components 100.00 + 8.00 are all excluded = 108.00.
      const s = statement({
        period: { start: '2026-01-01', end: '2026-01-31', kind: 'month' },
        paymentDate: '2026-01-25',
        intendedFor: { start: '2026-03-01', end: '2026-03-31' },
      });
      const a = allocateStatement(s, [regular('100.00'), holiday('8.00')], { start: '2026-01-01', end: '2026-01-31' });
      expect(a.shares).toEqual([]);
      expect(fmt(a.excludedOutsideCase)).toBe('108.00');
    });

    it('intendedFor wholly outside K with W partly outside K: excluded = the whole X', () => {
      // W = March, K = 2026-03-11 .. 2026-03-31: X′ = 677.42, excluded by (b) 322.58, then (d) excludes X′ too → 1000.00
      const s = statement({ intendedFor: { start: '2026-05-01', end: '2026-05-31' } });
      const a = allocateStatement(s, [regular('1000.00')], { start: '2026-03-11', end: '2026-03-31' });
      expect(a.shares).toEqual([]);
      expect(fmt(a.excludedOutsideCase)).toBe('1000.00');
    });
  });

  describe('spreadOverMonths (SPEC §4.3)', () => {
    it('negative amounts: remainder keeps the parts exact', () => {
      const parts = spreadOverMonths(money('-100.00'), [
        { month: '2026-01', days: 10 },
        { month: '2026-02', days: 28 },
        { month: '2026-03', days: 10 },
      ]);
      expect(parts.map((p) => fmt(p.amount))).toEqual(['-20.83', '-58.33', '-20.84']);
    });

    it('0.02 over three equal months: 0.01 + 0.01 + 0.00', () => {
      // round(0.02 × 1/3) = round(0.00667) = 0.01 twice; last = 0.02 − 0.02 = 0.00
      const parts = spreadOverMonths(money('0.02'), [
        { month: '2026-01', days: 1 },
        { month: '2026-02', days: 1 },
        { month: '2026-03', days: 1 },
      ]);
      expect(parts.map((p) => fmt(p.amount))).toEqual(['0.01', '0.01', '0.00']);
    });

    it('a single month gets everything', () => {
      expect(spreadOverMonths(money('12.34'), [{ month: '2026-05', days: 3 }]).map((p) => fmt(p.amount))).toEqual([
        '12.34',
      ]);
    });
  });
});
