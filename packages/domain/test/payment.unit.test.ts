import { describe, expect, it } from 'vitest';
import {
  decide,
  defaultParameters,
  evolve,
  firstDay,
  lastDay,
  parameterOverridesSchema,
  paydayOf,
  policySchema,
  withOverrides,
  type HouseholdEvent,
  type MonthSettled,
  type ParameterTables,
  type PaymentMade,
  type PolicyInput,
} from '../src/index.js';
import { A, B, testHousehold } from './support/household.js';

// ---- a small driver: commands through decide, events folded with evolve (as simulateScenario does) ----

function household(policy: PolicyInput = {}, params: ParameterTables = defaultParameters) {
  return testHousehold({ policy, params, caseEventAt: '2026-01-01T09:00:00Z' });
}

const payments = (es: HouseholdEvent[]) => es.filter((e): e is PaymentMade => e.type === 'PaymentMade');
const settlements = (es: HouseholdEvent[]) => es.filter((e): e is MonthSettled => e.type === 'MonthSettled');
const monthStatement = (month: string, payDate: string, taxableWage: string, extra: Record<string, unknown> = {}) => ({
  period: { start: firstDay(month), end: lastDay(month), kind: 'month' },
  paymentDate: payDate,
  taxableWage,
  ...extra,
});

// Single 2026: N 1401.50, VT 70.08, NormEx 1331.42.
describe('SPEC §6.2 payment: payDay', () => {
  it('day 24 → no payment, day 25 → payment, day 26 → nothing more', () => {
    const h = household();
    h.open({ startDate: '2026-03-01' });
    expect(payments(h.runDays('2026-03-01', '2026-03-24'))).toEqual([]);
    const paid = payments(h.run('2026-03-25'));
    expect(paid.map((p) => [p.data.month, p.data.advance, p.data.amount])).toEqual([['2026-03', '1331.42', '1331.42']]);
    expect(payments(h.run('2026-03-26'))).toEqual([]);
  });

  it('payDay beyond the month length is clamped (31 → 28 February)', () => {
    const policy = policySchema.parse({ payDay: 31 });
    expect(paydayOf('2026-02', policy)).toBe('2026-02-28');
    expect(paydayOf('2028-02', policy)).toBe('2028-02-29');
    expect(paydayOf('2026-03', policy)).toBe('2026-03-31');
    const h = household({ payDay: 31 });
    h.open({ startDate: '2026-02-01' });
    expect(payments(h.runDays('2026-02-01', '2026-02-27'))).toEqual([]);
    expect(payments(h.run('2026-02-28')).map((p) => p.data.month)).toEqual(['2026-02']);
  });

  it('a case starting after the payday is still paid for its part of the month', () => {
    // 6 days of March: N = round(1401.50 × 6/31) = 271.26; VT = round(13.563) = 13.56; NormEx = 257.70
    const h = household();
    h.open({ startDate: '2026-03-26' }, '2026-03-26T01:00:00Z');
    const paid = payments(h.run('2026-03-26'));
    expect(paid.map((p) => [p.data.month, p.data.normExclHoliday, p.data.advance, p.data.amount])).toEqual([
      ['2026-03', '257.70', '257.70', '257.70'],
    ]);
  });
});

describe('SPEC §6.1 settlementLagMonths', () => {
  it('lag 1 (default): March is settled from 1 May, not on 30 April', () => {
    const h = household();
    h.open({ startDate: '2026-03-01' });
    expect(settlements(h.runDays('2026-03-01', '2026-04-30'))).toEqual([]);
    const s = settlements(h.run('2026-05-01'));
    // advance paid 1331.42 = A_M → ΔA 0.00; ΔR = R_M = 70.08
    expect(s.map((e) => [e.data.month, e.data.version, e.data.assistanceChange, e.data.reserveChange])).toEqual([
      ['2026-03', 1, '0.00', '70.08'],
    ]);
  });

  it('lag 0: March is settled from 1 April, not on 31 March', () => {
    const h = household({ settlementLagMonths: 0 });
    h.open({ startDate: '2026-03-01' });
    expect(settlements(h.runDays('2026-03-01', '2026-03-31'))).toEqual([]);
    expect(settlements(h.run('2026-04-01')).map((e) => e.data.month)).toEqual(['2026-03']);
    expect(h.result().reserveBalance).toBe('70.08');
  });
});

describe('SPEC §6.2 advance policies', () => {
  // February wage 600.00 paid on 25 Feb, recorded 5 March; March payday 25 March.
  function scenario(policy: PolicyInput) {
    const h = household(policy);
    h.open();
    h.runDays('2026-01-01', '2026-03-04');
    h.statement(monthStatement('2026-02', '2026-02-25', '600.00'), '2026-03-05T09:00:00Z');
    h.runDays('2026-03-05', '2026-03-25');
    return h;
  }

  it('projected: advance = NormEx − projected net = 1331.42 − 600.00 = 731.42', () => {
    const p = scenario({}).payment('2026-03')!;
    expect([p.projectedNet, p.advance, p.amount]).toEqual(['600.00', '731.42', '731.42']);
  });

  it('full-norm: advance = NormEx = 1331.42', () => {
    const p = scenario({ advance: 'full-norm' }).payment('2026-03')!;
    expect([p.projectedNet, p.advance, p.amount]).toEqual(['0.00', '1331.42', '1331.42']);
  });
});

describe('SPEC §6.2 projection by period kind (through the decider)', () => {
  it.each([
    // d = 2026-03-02, four-weekly: 03-02 and 03-30 → 2 × 600.00 = 1200.00 → advance 131.42
    ['four-weeks', { start: '2026-02-03', end: '2026-03-02' }, '1200.00', '131.42'],
    // d = 2026-02-27 (Friday), weekly: 03-06, 13, 20, 27 → 4 × 600.00 = 2400.00 → advance 0.00
    ['week', { start: '2026-02-21', end: '2026-02-27' }, '2400.00', '0.00'],
    // d = 2026-02-28, monthly: 03-28 → 600.00 → advance 731.42
    ['month', { start: '2026-02-01', end: '2026-02-28' }, '600.00', '731.42'],
    // d = 2026-02-27, other: d only, not in March → 0.00 → advance 1331.42
    ['other', { start: '2026-02-01', end: '2026-02-27' }, '0.00', '1331.42'],
  ])('%s', (kind, period, projectedNet, advance) => {
    const h = household();
    h.open();
    h.statement({ period: { ...period, kind }, taxableWage: '600.00' }, '2026-03-03T09:00:00Z');
    h.run('2026-03-25');
    const p = h.payment('2026-03')!;
    expect([p.projectedNet, p.advance]).toEqual([projectedNet, advance]);
  });

  it('staleness: last payment 62 days before 1 May → projected; 63 days → skipped', () => {
    const run = (paymentDate: string) => {
      const h = household();
      h.open();
      h.statement(monthStatement('2026-02', paymentDate, '1000.00'), '2026-03-03T09:00:00Z');
      h.run('2026-05-25');
      const p = h.payment('2026-05')!;
      return [p.projectedNet, p.advance];
    };
    expect(run('2026-02-28')).toEqual(['1000.00', '331.42']);
    expect(run('2026-02-27')).toEqual(['0.00', '1331.42']);
  });

  it('relationshipEndDate before the month → skipped; on its first day → projected', () => {
    const run = (end: string) => {
      const h = household();
      h.open();
      h.statement(
        monthStatement('2026-04', '2026-04-25', '1000.00', { relationshipEndDate: end }),
        '2026-04-26T09:00:00Z',
      );
      h.run('2026-05-25');
      return h.payment('2026-05')!.advance;
    };
    expect(run('2026-04-30')).toBe('1331.42');
    expect(run('2026-05-01')).toBe('331.42');
  });

  it('latest statement with holiday allowance paid → basis is the latest one without', () => {
    // March: netRegular 1000.00. April: net 1800.00 − 300.00 = 1500.00, netHolidayPaid = 666.67, netRegular 833.33.
    // Basis = March's 1000.00, payday from April (25th) → May advance = 1331.42 − 1000.00 = 331.42
    const h = household();
    h.open();
    h.statement(monthStatement('2026-03', '2026-03-25', '1000.00'), '2026-03-26T09:00:00Z');
    h.statement(
      monthStatement('2026-04', '2026-04-25', '1800.00', { withheldTax: '300.00', holidayAllowancePaid: '800.00' }),
      '2026-04-26T09:00:00Z',
    );
    h.run('2026-05-25');
    expect(h.payment('2026-05')!.advance).toBe('331.42');
  });
});

describe('SPEC §6.2 holiday reserve payout', () => {
  it('paid out in month 6: RB of January–April = 4 × 70.08 = 280.32', () => {
    const h = household();
    h.open();
    h.runDays('2026-01-01', '2026-06-25');
    expect(h.payment('2026-05')!.holidayPayout).toBe('0.00');
    const june = h.payment('2026-06')!;
    // amount = 1331.42 + 280.32 = 1611.74
    expect([june.advance, june.holidayPayout, june.amount, june.reserveBalanceAfter]).toEqual([
      '1331.42',
      '280.32',
      '1611.74',
      '0.00',
    ]);
  });

  it('holidayPayoutMonth override 5: paid in May with RB of January–March = 210.24', () => {
    const params = withOverrides(
      defaultParameters,
      parameterOverridesSchema.parse({ holidayPayoutMonth: [{ validFrom: '1900-01-01', value: 5 }] }),
    );
    const h = household({}, params);
    h.open();
    h.runDays('2026-01-01', '2026-06-25');
    expect(h.payment('2026-05')!.holidayPayout).toBe('210.24');
    // June: only April's 70.08 was added since, and June is no longer the payout month
    expect(h.payment('2026-06')!.holidayPayout).toBe('0.00');
  });

  it('paid out in the month that holds the case end date', () => {
    // Case closes 2026-03-15 (recorded 10 March). RB on 25 March = January's 70.08.
    // March ∩ K = 15 days: N = round(1401.50 × 15/31) = 678.15; VT 33.91; NormEx 644.24.
    const h = household();
    h.open();
    h.runDays('2026-01-01', '2026-03-09');
    h.caseEvent({ type: 'CaseClosed', endDate: '2026-03-15' }, '2026-03-10T09:00:00Z');
    h.runDays('2026-03-10', '2026-04-30');
    const march = h.payment('2026-03')!;
    expect([march.normExclHoliday, march.advance, march.holidayPayout, march.amount]).toEqual([
      '644.24',
      '644.24',
      '70.08',
      '714.32',
    ]);
    // no payment for a month that does not overlap K
    expect(Object.keys(h.result().payments)).toEqual(['2026-01', '2026-02', '2026-03']);
  });
});

describe('SPEC §6.2 ledger', () => {
  it('a positive ledger is paid as a back-payment', () => {
    // Case opened on 10 Feb, retroactive from 1 Jan: January was never advanced.
    // 1 March: January settled, ΔA = 1331.42 − 0 → L = 1331.42; March amount = 1331.42 + 1331.42 = 2662.84
    const h = household();
    h.open({}, '2026-02-10T09:00:00Z');
    h.runDays('2026-02-10', '2026-03-25');
    expect(h.payment('2026-02')!.amount).toBe('1331.42');
    const march = h.payment('2026-03')!;
    expect([march.advance, march.backPayment, march.offset, march.amount, march.ledgerBalanceAfter]).toEqual([
      '1331.42',
      '1331.42',
      '0.00',
      '2662.84',
      '0.00',
    ]);
    expect(h.result().ledgerBalance).toBe('0.00');
  });

  it('a negative ledger is offset against the gross payment, over several months if needed', () => {
    // Couple from 1 March, full-norm: March advance = couple NormEx 1902.02.
    // On 10 April the household is changed retroactively to single from 1 March (NormEx 1331.42).
    // March income 760.83: A = 1331.42 − 760.83 = 570.59; ΔA = 570.59 − 1902.02 = −1331.43 → L = −1331.43 (1 May).
    // May: gross 1331.42 → offset 1331.42, amount 0.00, L = −0.01.
    // 1 June: April settled (no income, advance 1331.42 → ΔA 0); RB = 70.08 (March) + 70.08 (April) = 140.16.
    // June: gross = 1331.42 + 140.16 = 1471.58 → offset 0.01 → amount 1471.57.
    const h = household({ advance: 'full-norm' });
    h.open({
      members: [
        { bsn: A, role: 'applicant' },
        { bsn: B, role: 'partner' },
      ],
      category: 'couple',
      startDate: '2026-03-01',
    });
    h.runDays('2026-03-01', '2026-04-04');
    h.statement(monthStatement('2026-03', '2026-03-31', '760.83'), '2026-04-05T09:00:00Z');
    h.runDays('2026-04-05', '2026-04-09');
    h.caseEvent(
      { type: 'HouseholdChanged', effectiveDate: '2026-03-01', category: 'single', costSharers: 1 },
      '2026-04-10T09:00:00Z',
    );
    h.runDays('2026-04-10', '2026-06-25');
    expect(h.payment('2026-03')!.advance).toBe('1902.02');
    expect(h.settled('2026-03').map((s) => [s.values.assistance, s.assistanceChange, s.ledgerBalanceAfter])).toEqual([
      ['570.59', '-1331.43', '-1331.43'],
    ]);
    const may = h.payment('2026-05')!;
    expect([may.advance, may.offset, may.bufferDraw, may.amount, may.ledgerBalanceAfter]).toEqual([
      '1331.42',
      '1331.42',
      '0.00',
      '0.00',
      '-0.01',
    ]);
    const june = h.payment('2026-06')!;
    expect([june.advance, june.holidayPayout, june.offset, june.amount, june.ledgerBalanceAfter]).toEqual([
      '1331.42',
      '140.16',
      '0.01',
      '1471.57',
      '0.00',
    ]);
  });
});
