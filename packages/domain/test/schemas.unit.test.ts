import { describe, expect, it } from 'vitest';
import {
  caseEventSchema,
  caseOpenedSchema,
  defaultPolicy,
  householdChangedSchema,
  isValidIsoDate,
  passesElfproef,
  policySchema,
  polisIncomeStatementSchema,
  validate,
} from '../src/index.js';
import { polisStatement } from '@bijstand/testkit/statements';

const valid = polisStatement({
  employer: { payrollTaxNumber: '123456789L01', name: 'Bakkerij' },
  period: { start: '2026-03-01', end: '2026-03-31', kind: 'month' },
  taxableWage: '1000.00',
  withheldTax: '100.00',
});

const check = (raw: unknown) => validate(polisIncomeStatementSchema, raw);
const reason = (raw: unknown): string => {
  const r = check(raw);
  if (r.ok) throw new Error('expected a rejection');
  return r.reason;
};

describe('SPEC §1.1 PolisIncomeStatement schema', () => {
  it('accepts a valid statement and fills the optional amounts with 0.00', () => {
    const r = check(valid);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.withheldZvw).toBe('0.00');
    expect(r.value.companyCarBenefit).toBe('0.00');
    expect(r.value.holidayAllowanceAccrued).toBe('0.00');
    expect(r.value.ikbPaid).toBe('0.00');
    expect(r.value.untaxedAllowances).toBe('0.00');
    expect(r.value.taxableWage).toBe('1000.00');
  });

  describe('bsn (elfproef)', () => {
    it('both test BSNs pass', () => {
      // 111222333: 9+8+7+12+10+8+9+6 − 3 = 66 = 6 × 11; 123456782: 9+16+21+24+25+24+21+16 − 2 = 154 = 14 × 11
      expect(passesElfproef('111222333')).toBe(true);
      expect(passesElfproef('123456782')).toBe(true);
    });
    it('a last digit off by one fails with "bsn: fails the elfproef"', () => {
      // 111222334: 69 − 4 = 65, not divisible by 11
      expect(reason({ ...valid, bsn: '111222334' })).toContain('bsn: fails the elfproef');
    });
    it('000000000 fails although its sum is 0', () => {
      expect(passesElfproef('000000000')).toBe(false);
      expect(reason({ ...valid, bsn: '000000000' })).toContain('bsn: fails the elfproef');
    });
    it('8 digits is refused as a format error', () => {
      expect(reason({ ...valid, bsn: '11122233' })).toContain('bsn: must be exactly 9 digits');
    });
    it('a number is refused, not coerced', () => {
      expect(reason({ ...valid, bsn: 111222333 })).toContain('bsn: must be a BSN as a string');
    });
  });

  describe('payroll tax number ^[0-9]{9}L[0-9]{2}$', () => {
    it.each(['123456789l01', '12345678L01', '123456789L1', '123456789L012', '123456789X01', ' 123456789L01'])(
      'refuses %j',
      (lhnr) => {
        expect(reason({ ...valid, employer: { payrollTaxNumber: lhnr } })).toContain(
          'employer.payrollTaxNumber: must match the loonheffingennummer format',
        );
      },
    );
    it('accepts 123456789L01 without a name', () => {
      expect(check({ ...valid, employer: { payrollTaxNumber: '123456789L01' } }).ok).toBe(true);
    });
  });

  describe('money', () => {
    it('a JSON number is refused', () => {
      expect(reason({ ...valid, taxableWage: 1000 })).toContain('taxableWage: must be an amount as a string');
      expect(reason({ ...valid, withheldZvw: 0 })).toContain('withheldZvw: must be an amount as a string');
    });
    it('more than 2 decimals is refused', () => {
      expect(reason({ ...valid, taxableWage: '1000.005' })).toContain(
        'taxableWage: must be an amount with at most 2 decimals',
      );
    });
    it('negative amounts are accepted (corrections)', () => {
      expect(check({ ...valid, kind: 'correction', taxableWage: '-250.00', withheldTax: '-25.5' }).ok).toBe(true);
    });
  });

  describe('periods and dates', () => {
    it('period end before start is refused', () => {
      expect(reason({ ...valid, period: { start: '2026-03-31', end: '2026-03-01', kind: 'month' } })).toContain(
        'period.end: must not be before start',
      );
    });
    it('a one-day period is accepted', () => {
      expect(check({ ...valid, period: { start: '2026-03-31', end: '2026-03-31', kind: 'other' } }).ok).toBe(true);
    });
    it('a non-existent calendar date is refused', () => {
      expect(reason({ ...valid, paymentDate: '2026-02-29' })).toContain('paymentDate: must be a calendar date');
    });
    it.each([
      ['2028-02-29', true],
      ['2027-04-30', true],
      ['2027-12-31', true],
      ['2027-04-31', false],
      ['2027-13-01', false],
      ['2027-00-10', false],
      ['2027-01-00', false],
      ['2027-1-01', false],
    ])('calendar date %s accepted: %s', (date, ok) => {
      expect(isValidIsoDate(date)).toBe(ok);
    });
    it('intendedFor end before start is refused', () => {
      expect(reason({ ...valid, intendedFor: { start: '2026-05-01', end: '2026-04-30' } })).toContain(
        'intendedFor.end: must not be before start',
      );
    });
    it('an unknown period kind is refused', () => {
      expect(check({ ...valid, period: { ...valid.period, kind: 'quarter' } }).ok).toBe(false);
    });
  });

  describe('kind', () => {
    it('missing taxableWage on an initial statement is refused', () => {
      const { taxableWage: _omit, ...raw } = valid;
      expect(reason(raw)).toContain('taxableWage: is required for a statement of kind initial');
    });
    it('missing withheldTax on a correction is refused', () => {
      const { withheldTax: _omit, ...raw } = valid;
      expect(reason({ ...raw, kind: 'correction' })).toContain(
        'withheldTax: is required for a statement of kind correction',
      );
    });
    it('a withdrawal without amounts is accepted (amounts read as 0.00)', () => {
      const { taxableWage: _a, withheldTax: _b, ...raw } = valid;
      const r = check({ ...raw, kind: 'withdrawal' });
      expect(r.ok).toBe(true);
      if (r.ok) expect([r.value.taxableWage, r.value.withheldTax]).toEqual(['0.00', '0.00']);
    });
  });

  it('an unknown field is refused (strict)', () => {
    expect(check({ ...valid, bonus: '10.00' }).ok).toBe(false);
  });
});

describe('SPEC §1.2 case events', () => {
  const opened = {
    type: 'CaseOpened',
    householdId: 'H-1',
    members: [{ bsn: '111222333', role: 'applicant' }],
    category: 'single',
    startDate: '2026-01-01',
  };

  it('costSharers defaults: 1 for single categories, 2 for couples', () => {
    expect(caseOpenedSchema.parse(opened).costSharers).toBe(1);
    expect(caseOpenedSchema.parse({ ...opened, category: 'single-parent-no-alo' }).costSharers).toBe(1);
    expect(caseOpenedSchema.parse({ ...opened, category: 'couple-one-entitled' }).costSharers).toBe(2);
    expect(
      householdChangedSchema.parse({
        type: 'HouseholdChanged',
        householdId: 'H-1',
        effectiveDate: '2026-02-01',
        category: 'couple',
      }).costSharers,
    ).toBe(2);
  });

  it('a couple with costSharers 1 is refused', () => {
    const r = validate(caseOpenedSchema, { ...opened, category: 'couple', costSharers: 1 });
    expect(r.ok ? '' : r.reason).toContain('costSharers: must be at least 2 for a couple');
  });

  it('costSharers must be a whole number', () => {
    expect(validate(caseOpenedSchema, { ...opened, costSharers: 1.5 }).ok).toBe(false);
  });

  it('exactly one applicant, no bsn twice', () => {
    const two = validate(caseOpenedSchema, {
      ...opened,
      members: [
        { bsn: '111222333', role: 'applicant' },
        { bsn: '123456782', role: 'applicant' },
      ],
    });
    expect(two.ok ? '' : two.reason).toContain('members: must hold exactly one applicant');
    const twice = validate(caseOpenedSchema, {
      ...opened,
      members: [
        { bsn: '111222333', role: 'applicant' },
        { bsn: '111222333', role: 'partner' },
      ],
    });
    expect(twice.ok ? '' : twice.reason).toContain('members: must not name the same bsn twice');
  });

  it('a disregard grant ending before it starts is refused', () => {
    const r = validate(caseEventSchema, {
      type: 'EarningsDisregardGranted',
      householdId: 'H-1',
      bsn: '111222333',
      from: '2026-05-01',
      to: '2026-04-30',
    });
    expect(r.ok ? '' : r.reason).toContain('to: must not be before from');
  });

  it('member bsn must pass the elfproef', () => {
    const r = validate(caseOpenedSchema, { ...opened, members: [{ bsn: '111222334', role: 'applicant' }] });
    expect(r.ok ? '' : r.reason).toContain('members.0.bsn: fails the elfproef');
  });
});

describe('SPEC §2 policies', () => {
  it('defaults', () => {
    expect(defaultPolicy).toEqual({
      payDay: 25,
      settlementLagMonths: 1,
      advance: 'projected',
      ikbMethod: 'as-holiday-allowance',
      bufferEligibility: 'working',
      alertThreshold: '0.00',
    });
  });
  it('a negative alertThreshold and an unknown policy are refused', () => {
    expect(validate(policySchema, { alertThreshold: '-1.00' }).ok).toBe(false);
    expect(validate(policySchema, { advance: 'half-norm' }).ok).toBe(false);
    expect(validate(policySchema, { payDay: 32 }).ok).toBe(false);
  });
});
