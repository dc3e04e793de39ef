import { describe, expect, it } from 'vitest';
import {
  componentsForSettlement,
  defaultParameters,
  fmt,
  money,
  netIncomeOfStatement,
  ParameterNotInForceError,
  parameterOverridesSchema,
  proportionalNetShare,
  withOverrides,
  type NetIncome,
} from '../src/index.js';
import { validStatement } from './support/statement.js';

const march = { start: '2026-03-01', end: '2026-03-31', kind: 'month' };
const statement = (fields: Record<string, unknown> = {}) =>
  validStatement({ period: march, taxableWage: '2000.00', withheldTax: '300.00', ...fields });

function net(fields: Record<string, unknown> = {}): NetIncome {
  return netIncomeOfStatement(statement(fields), defaultParameters).net;
}

function netStrings(n: NetIncome): Record<string, string> {
  return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, fmt(v)]));
}

function components(n: NetIncome, method: 'as-holiday-allowance' | 'on-payout') {
  return componentsForSettlement(n, method, 'employment').map((c) => ({
    kind: c.kind,
    category: c.category,
    amount: fmt(c.amount),
  }));
}

describe('SPEC §3 net income of one statement', () => {
  it('subtracts withheld tax and withheld Zvw from the taxable wage', () => {
    // 2000.00 − 300.00 − 45.50 = 1654.50
    const n = net({ withheldZvw: '45.50' });
    expect(fmt(n.net)).toBe('1654.50');
    expect(fmt(n.netRegular)).toBe('1654.50');
  });

  it('subtracts the company car benefit minus the contribution', () => {
    // car = max(0, 400.00 − 150.00) = 250.00; net = 2000.00 − 300.00 − 50.00 − 250.00 = 1400.00
    const n = net({ withheldZvw: '50.00', companyCarBenefit: '400.00', companyCarContribution: '150.00' });
    expect(fmt(n.net)).toBe('1400.00');
    expect(fmt(n.netRegular)).toBe('1400.00');
  });

  it('never adds a car contribution larger than the benefit back to income (car = 0)', () => {
    // car = max(0, 100.00 − 150.00) = 0; net = 2000.00 − 300.00 − 50.00 = 1650.00
    const n = net({ withheldZvw: '50.00', companyCarBenefit: '100.00', companyCarContribution: '150.00' });
    expect(fmt(n.net)).toBe('1650.00');
  });

  it('car benefit exactly equal to the contribution gives car = 0', () => {
    // car = max(0, 150.00 − 150.00) = 0; net = 2000.00 − 300.00 = 1700.00
    expect(fmt(net({ companyCarBenefit: '150.00', companyCarContribution: '150.00' }).net)).toBe('1700.00');
  });

  it('attributes tax to special payments in proportion to gross, rounding x.xx5 half-up', () => {
    // net = 1000.00 − 500.00 = 500.00; share(100.01) = 100.01 × 500 / 1000 = 50.005 → 50.01 (half-up; banker's would give 50.00)
    // netRegular = 500.00 − 50.01 = 449.99
    const n = net({ taxableWage: '1000.00', withheldTax: '500.00', holidayAllowancePaid: '100.01' });
    expect(fmt(n.netHolidayPaid)).toBe('50.01');
    expect(fmt(n.netRegular)).toBe('449.99');
  });

  it('rounds a negative share away from zero (x.xx5 → magnitude up)', () => {
    // share(−100.01) = −100.01 × 500 / 1000 = −50.005 → −50.01; netRegular = 500.00 − (−50.01) = 550.01
    const n = net({ taxableWage: '1000.00', withheldTax: '500.00', holidayAllowancePaid: '-100.01' });
    expect(fmt(n.netHolidayPaid)).toBe('-50.01');
    expect(fmt(n.netRegular)).toBe('550.01');
  });

  it('proportionalNetShare: X × net / taxableWage computed in full precision, then rounded once', () => {
    // 1.00 × 1000.00 / 3000.00 = 0.3333… → 0.33; 2.00 × 1000 / 3000 = 0.6666… → 0.67
    expect(fmt(proportionalNetShare(money('1.00'), money('1000.00'), money('3000.00')))).toBe('0.33');
    expect(fmt(proportionalNetShare(money('2.00'), money('1000.00'), money('3000.00')))).toBe('0.67');
  });

  it('taxableWage 0 → every share is 0 (no division by zero)', () => {
    const n = net({
      taxableWage: '0.00',
      withheldTax: '0.00',
      holidayAllowanceAccrued: '80.00',
      holidayAllowancePaid: '40.00',
      ikbAccrued: '20.00',
    });
    expect(netStrings(n)).toEqual({
      net: '0.00',
      netHolidayPaid: '0.00',
      netIkbPaid: '0.00',
      netExtraPaid: '0.00',
      netRegular: '0.00',
      netHolidayAccrued: '0.00',
      netIkbAccrued: '0.00',
    });
  });

  it('negative amounts (a correction): net is negative, shares 0 because taxableWage ≤ 0', () => {
    // net = −1000.00 − (−500.00) = −500.00; taxableWage < 0 → share(−100.00) = 0; netRegular = −500.00
    const n = net({
      kind: 'correction',
      taxableWage: '-1000.00',
      withheldTax: '-500.00',
      holidayAllowancePaid: '-100.00',
    });
    expect(fmt(n.net)).toBe('-500.00');
    expect(fmt(n.netHolidayPaid)).toBe('0.00');
    expect(fmt(n.netRegular)).toBe('-500.00');
  });

  it('holidayAllowancePaid is split off netRegular and is never a settlement component', () => {
    // gross 2800.00 of which 800.00 holiday allowance; net = 2800.00 − 700.00 = 2100.00
    // netHolidayPaid = 800 × 2100 / 2800 = 600.00; netRegular = 2100.00 − 600.00 = 1500.00
    const n = net({ taxableWage: '2800.00', withheldTax: '700.00', holidayAllowancePaid: '800.00' });
    expect(fmt(n.netHolidayPaid)).toBe('600.00');
    expect(fmt(n.netRegular)).toBe('1500.00');
    expect(components(n, 'as-holiday-allowance')).toEqual([{ kind: 'regular', category: 'income', amount: '1500.00' }]);
    expect(components(n, 'on-payout')).toEqual([{ kind: 'regular', category: 'income', amount: '1500.00' }]);
  });

  it('extra period salary is income of its own kind', () => {
    // net = 3000.00 − 600.00 = 2400.00; netExtraPaid = 1000 × 2400 / 3000 = 800.00; netRegular = 1600.00
    const n = net({ taxableWage: '3000.00', withheldTax: '600.00', extraPeriodSalaryPaid: '1000.00' });
    expect(components(n, 'as-holiday-allowance')).toEqual([
      { kind: 'regular', category: 'income', amount: '1600.00' },
      { kind: 'extraPeriodSalary', category: 'income', amount: '800.00' },
    ]);
  });

  describe('ikbMethod (001 measure 18)', () => {
    // net = 2000.00 − 400.00 = 1600.00 (ratio 0.8); netIkbPaid = 200 × 0.8 = 160.00; netIkbAccrued = 50 × 0.8 = 40.00
    // netHolidayAccrued = 100 × 0.8 = 80.00; netRegular = 1600.00 − 160.00 = 1440.00
    const n = net({
      taxableWage: '2000.00',
      withheldTax: '400.00',
      ikbPaid: '200.00',
      ikbAccrued: '50.00',
      holidayAllowanceAccrued: '100.00',
    });

    it('computes the IKB net shares', () => {
      expect(fmt(n.netIkbPaid)).toBe('160.00');
      expect(fmt(n.netIkbAccrued)).toBe('40.00');
      expect(fmt(n.netRegular)).toBe('1440.00');
    });

    it('as-holiday-allowance: IKB accrued joins the holiday accrual, IKB paid does not count', () => {
      expect(components(n, 'as-holiday-allowance')).toEqual([
        { kind: 'regular', category: 'income', amount: '1440.00' },
        { kind: 'ikbAccrued', category: 'holidayAccrual', amount: '40.00' },
        { kind: 'holidayAccrued', category: 'holidayAccrual', amount: '80.00' },
      ]);
    });

    it('on-payout: IKB paid is income, IKB accrued does not count', () => {
      expect(components(n, 'on-payout')).toEqual([
        { kind: 'regular', category: 'income', amount: '1440.00' },
        { kind: 'ikbPaid', category: 'income', amount: '160.00' },
        { kind: 'holidayAccrued', category: 'holidayAccrual', amount: '80.00' },
      ]);
    });
  });

  it('untaxedAllowances are recorded but never counted', () => {
    const with_ = net({ untaxedAllowances: '500.00' });
    // identical to the same statement without untaxed allowances: net = 2000.00 − 300.00 = 1700.00
    expect(netStrings(with_)).toEqual(netStrings(net()));
    expect(fmt(with_.net)).toBe('1700.00');
    expect(components(with_, 'on-payout')).toEqual([{ kind: 'regular', category: 'income', amount: '1700.00' }]);
  });

  describe('wgaDeductionRate taken at period.end', () => {
    const params = withOverrides(
      defaultParameters,
      parameterOverridesSchema.parse({ wgaDeductionRate: [{ validFrom: '2026-07-01', value: '0.0123' }] }),
    );

    it('period ending the day before the new rate: deduction 0', () => {
      const s = statement({
        period: { start: '2026-06-01', end: '2026-06-30', kind: 'month' },
        taxableWage: '1234.56',
        withheldTax: '200.00',
      });
      // 1234.56 − 200.00 − round(1234.56 × 0.0000) = 1034.56
      expect(fmt(netIncomeOfStatement(s, params).net.net)).toBe('1034.56');
    });

    it('period straddling the change uses the rate at its end', () => {
      const s = statement({
        period: { start: '2026-06-15', end: '2026-07-14', kind: 'other' },
        taxableWage: '1234.56',
        withheldTax: '200.00',
      });
      // round(1234.56 × 0.0123) = round(15.185088) = 15.19; net = 1234.56 − 200.00 − 15.19 = 1019.37
      expect(fmt(netIncomeOfStatement(s, params).net.net)).toBe('1019.37');
    });

    it('a period ending before any rate is in force is refused, never guessed', () => {
      const s = statement({ period: { start: '2025-12-01', end: '2025-12-31', kind: 'month' } });
      expect(() => netIncomeOfStatement(s, defaultParameters)).toThrow(ParameterNotInForceError);
    });
  });
});
