import { describe, expect, it } from 'vitest';
import {
  bufferRemaining,
  decideBufferDraw,
  defaultParameters,
  defaultPolicy,
  firstDay,
  fmt,
  initialHouseholdState,
  isWorkingHousehold,
  lastDay,
  money,
  policySchema,
  type BufferDrawn,
  type BufferNotDrawn,
  type HouseholdState,
  type MonthValues,
  type PaymentProposal,
  type PolicyInput,
  parameterOverridesSchema,
  withOverrides,
} from '../src/index.js';
import { A, testHousehold } from './support/household.js';

// ---- unit level: decideBufferDraw on a proposal ----------------------------------------------------

function settledMonth(incomeFromWork: string): { version: number; values: MonthValues } {
  const z = '0.00';
  return {
    version: 1,
    values: {
      norm: z,
      measureReduction: z,
      holidayReserveFull: z,
      normExclHoliday: z,
      income: incomeFromWork,
      incomeFromWork,
      disregard: z,
      partnerIncomeCounted: z,
      countableIncome: z,
      assistance: z,
      excessIncome: z,
      holidayAccrued: z,
      holidayReserve: z,
    },
  };
}

function workingState(drawnThisYear?: [string, string]): HouseholdState {
  const s = initialHouseholdState();
  s.months.set('2027-01', settledMonth('500.00'));
  if (drawnThisYear) s.bufferDrawnPerYear.set(drawnThisYear[0], money(drawnThisYear[1]));
  return s;
}

function proposal(
  month: string,
  normExclHoliday: string,
  projectedNet: string,
  gross: string,
  offset: string,
): PaymentProposal {
  return {
    month,
    normExclHoliday: money(normExclHoliday),
    projectedNet: money(projectedNet),
    projectedWorkIncome: money(projectedNet),
    gross: money(gross),
    offset: money(offset),
  };
}

function decision(p: PaymentProposal, state = workingState(), policy = defaultPolicy) {
  const d = decideBufferDraw(p, state, defaultParameters, policy);
  return { reason: d.reason, draw: fmt(d.draw), shortfall: fmt(d.shortfall), remainingAfter: fmt(d.remainingAfter) };
}

describe('SPEC §7 bufferDraw = min(shortfall, offset, remaining budget)', () => {
  it('shortfall and offset equal', () => {
    // shortfall = 1331.42 − (500.00 + 831.42 − 300.00) = 300.00 → draw 300.00; remaining 1000.00 − 300.00 = 700.00
    expect(decision(proposal('2027-03', '1331.42', '500.00', '831.42', '300.00'))).toEqual({
      reason: 'drawn',
      draw: '300.00',
      shortfall: '300.00',
      remainingAfter: '700.00',
    });
  });

  it('shortfall is the smallest', () => {
    // shortfall = 1331.42 − (500.00 + 900.00 − 300.00) = 231.42 < offset 300.00 < remaining 1000.00
    expect(decision(proposal('2027-03', '1331.42', '500.00', '900.00', '300.00'))).toMatchObject({
      reason: 'drawn',
      draw: '231.42',
      shortfall: '231.42',
    });
  });

  it('offset is the smallest', () => {
    // shortfall = 1331.42 − (0.00 + 1000.00 − 100.00) = 431.42 > offset 100.00
    expect(decision(proposal('2027-03', '1331.42', '0.00', '1000.00', '100.00'))).toMatchObject({
      reason: 'drawn',
      draw: '100.00',
      shortfall: '431.42',
    });
  });

  it('remaining budget is the smallest (950.00 drawn this year → 50.00 left)', () => {
    expect(
      decision(proposal('2027-03', '1331.42', '500.00', '831.42', '300.00'), workingState(['2027', '950.00'])),
    ).toEqual({
      reason: 'drawn',
      draw: '50.00',
      shortfall: '300.00',
      remainingAfter: '0.00',
    });
  });

  it('budget used up → budget-exhausted, nothing drawn', () => {
    expect(
      decision(proposal('2027-03', '1331.42', '500.00', '831.42', '300.00'), workingState(['2027', '1000.00'])),
    ).toMatchObject({ reason: 'budget-exhausted', draw: '0.00' });
  });

  it('what was drawn in another year does not reduce this year’s budget', () => {
    expect(
      decision(proposal('2027-03', '1331.42', '500.00', '831.42', '300.00'), workingState(['2026', '1000.00'])),
    ).toMatchObject({ reason: 'drawn', draw: '300.00', remainingAfter: '700.00' });
    expect(fmt(bufferRemaining(workingState(['2027', '123.45']), money('1000.00'), '2027'))).toBe('876.55');
  });

  it('no offset → no-claim-offset', () => {
    expect(decision(proposal('2027-03', '1331.42', '0.00', '1331.42', '0.00'))).toMatchObject({
      reason: 'no-claim-offset',
      draw: '0.00',
    });
  });

  it('shortfall exactly 0 → no-shortfall; one cent → drawn 0.01', () => {
    // 1331.42 − (1100.00 + 331.42 − 100.00) = 0.00
    expect(decision(proposal('2027-03', '1331.42', '1100.00', '331.42', '100.00'))).toMatchObject({
      reason: 'no-shortfall',
      draw: '0.00',
      shortfall: '0.00',
    });
    // 1331.42 − (1099.99 + 331.42 − 100.00) = 0.01
    expect(decision(proposal('2027-03', '1331.42', '1099.99', '331.42', '100.00'))).toMatchObject({
      reason: 'drawn',
      draw: '0.01',
    });
  });

  it('December 2026 → buffer-not-in-force; January 2027 → drawn', () => {
    expect(decision(proposal('2026-12', '1331.42', '500.00', '831.42', '300.00'))).toMatchObject({
      reason: 'buffer-not-in-force',
      draw: '0.00',
    });
    expect(decision(proposal('2027-01', '1331.42', '500.00', '831.42', '300.00'))).toMatchObject({
      reason: 'drawn',
      draw: '300.00',
    });
  });

  it('bufferEligibility none → not-eligible even for a working household', () => {
    expect(
      decision(
        proposal('2027-03', '1331.42', '500.00', '831.42', '300.00'),
        workingState(),
        policySchema.parse({ bufferEligibility: 'none' }),
      ),
    ).toMatchObject({
      reason: 'not-eligible',
      draw: '0.00',
    });
  });

  it('no income in the last 12 settled months and none projected → not-eligible', () => {
    expect(
      decision(proposal('2027-03', '1331.42', '0.00', '1331.42', '300.00'), initialHouseholdState()),
    ).toMatchObject({ reason: 'not-eligible' });
  });

  describe('isWorkingHousehold: the 12 months before P', () => {
    const withIncomeIn = (m: string, income = '10.00') => {
      const s = initialHouseholdState();
      s.months.set(m, settledMonth(income));
      return s;
    };
    it('income 12 months before P counts; 13 months before does not', () => {
      expect(isWorkingHousehold(withIncomeIn('2026-03'), '2027-03', money('0.00'))).toBe(true);
      expect(isWorkingHousehold(withIncomeIn('2026-02'), '2027-03', money('0.00'))).toBe(false);
    });
    it('a settled month with income 0.00 does not count; projected income does', () => {
      expect(isWorkingHousehold(withIncomeIn('2027-02', '0.00'), '2027-03', money('0.00'))).toBe(false);
      expect(isWorkingHousehold(initialHouseholdState(), '2027-03', money('0.01'))).toBe(true);
    });
  });
});

// ---- through the decider ------------------------------------------------------------------------

/** The 2026 norms throughout (the 2026-07-01 row overridden), so that the amounts below stay those of one norm. */
const oneNorm = withOverrides(
  defaultParameters,
  parameterOverridesSchema.parse({
    norm: [
      { validFrom: '2026-07-01', couple: '2002.13', single: '1401.50', source: 'test: the 2026-01-01 norms kept' },
    ],
  }),
);

function household(policy: PolicyInput) {
  const h = testHousehold({ policy, params: oneNorm });
  return {
    ...h,
    open: (startDate: string) => h.open({ startDate }, `${startDate}T00:30:00Z`),
    /** A monthly wage (withheldTax 0, so net = taxableWage) paid on the 25th. */
    wage: (month: string, taxableWage: string) =>
      h.statement(
        {
          period: { start: firstDay(month), end: lastDay(month), kind: 'month' },
          paymentDate: `${month}-25`,
          taxableWage,
        },
        `${month}-26T09:00:00Z`,
      ),
    payment: (m: string) => h.payment(m)!,
    bufferDecisions: () =>
      h.events
        .filter((e): e is BufferDrawn | BufferNotDrawn => e.type === 'BufferDrawn' || e.type === 'BufferNotDrawn')
        .map((e) => [e.data.month, e.type === 'BufferDrawn' ? `drawn ${e.data.amount}` : e.data.reason]),
  };
}

/**
 * Single, full-norm advances (1331.42 a month). January wage 1200.00 paid 25 Jan, recorded 26 Jan.
 * 1 March: January settled, A = 1331.42 − 1200.00 = 131.42, ΔA = −1200.00 → L = −1200.00.
 * 25 March: gross 1331.42, offset = min(1200.00, 1331.42) = 1200.00.
 */
function januaryClaim(year: string, policy: PolicyInput = {}) {
  const h = household({ advance: 'full-norm', ...policy });
  h.open(`${year}-01-01`);
  h.runDays(`${year}-01-01`, `${year}-01-25`);
  h.wage(`${year}-01`, '1200.00');
  h.runDays(`${year}-01-26`, `${year}-03-25`);
  return h;
}

describe('SPEC §7 bufferbudget through the nightly run', () => {
  it('2027: the budget runs out (draw 1000.00 of a shortfall of 1200.00) → buffer-exhausted', () => {
    // shortfall = 1331.42 − (0.00 + 1331.42 − 1200.00) = 1200.00; draw = min(1200.00, 1200.00, 1000.00) = 1000.00
    // amount = 1331.42 − 1200.00 + 1000.00 = 1131.42; below-minimum = 1331.42 − 1131.42 = 200.00
    const h = januaryClaim('2027');
    const p = h.payment('2027-03');
    expect([p.advance, p.offset, p.bufferDraw, p.amount]).toEqual(['1331.42', '1200.00', '1000.00', '1131.42']);
    const r = h.result();
    expect(r.buffer).toEqual({ '2027': { drawn: '1000.00', remaining: '0.00' } });
    expect(r.alerts).toEqual([
      { kind: 'new-income-relationship', month: '2027-01' },
      { kind: 'below-minimum', month: '2027-03', amount: '200.00' },
      { kind: 'buffer-exhausted', month: '2027-03' },
    ]);
  });

  it('bufferEligibility none → not-eligible, the full offset is felt', () => {
    // amount = 1331.42 − 1200.00 = 131.42; below-minimum = 1200.00
    const h = januaryClaim('2027', { bufferEligibility: 'none' });
    expect(h.payment('2027-03').amount).toBe('131.42');
    expect(h.bufferDecisions().filter(([m]) => m === '2027-03')).toEqual([['2027-03', 'not-eligible']]);
    expect(h.result().buffer).toEqual({});
    expect(h.result().alerts).toContainEqual({ kind: 'below-minimum', month: '2027-03', amount: '1200.00' });
  });

  it('2026: a draw is refused with buffer-not-in-force', () => {
    const h = januaryClaim('2026');
    expect(h.payment('2026-03').amount).toBe('131.42');
    expect(h.bufferDecisions().filter(([m]) => m === '2026-03')).toEqual([['2026-03', 'buffer-not-in-force']]);
    expect(h.result().buffer).toEqual({});
  });

  it('the budget is per calendar year and not carried over', () => {
    // Case from 2027-10-01, full-norm. October wage 300.00, November wage 1200.00.
    // 1 Dec: October settled, ΔA = −300.00. December: offset 300.00, draw 300.00 → 2027 remaining 700.00.
    // 1 Jan 2028: November settled, ΔA = −1200.00. January: offset 1200.00, shortfall 1200.00,
    //   draw = min(1200.00, 1200.00, 1000.00) = 1000.00 (not 1200.00: 2027's 700.00 is not carried over);
    //   amount = 1331.42 − 1200.00 + 1000.00 = 1131.42.
    const h = household({ advance: 'full-norm' });
    h.open('2027-10-01');
    h.runDays('2027-10-01', '2027-10-25');
    h.wage('2027-10', '300.00');
    h.runDays('2027-10-26', '2027-11-25');
    h.wage('2027-11', '1200.00');
    h.runDays('2027-11-26', '2028-01-25');
    expect([h.payment('2027-12').offset, h.payment('2027-12').bufferDraw, h.payment('2027-12').amount]).toEqual([
      '300.00',
      '300.00',
      '1331.42',
    ]);
    expect([h.payment('2028-01').offset, h.payment('2028-01').bufferDraw, h.payment('2028-01').amount]).toEqual([
      '1200.00',
      '1000.00',
      '1131.42',
    ]);
    expect(h.result().buffer).toEqual({
      '2027': { drawn: '300.00', remaining: '700.00' },
      '2028': { drawn: '1000.00', remaining: '0.00' },
    });
  });
});
