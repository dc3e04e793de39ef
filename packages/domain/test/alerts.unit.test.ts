import { describe, expect, it } from 'vitest';
import { firstDay, lastDay, type AlertRaised, type MonthSettled, type PolicyInput } from '../src/index.js';
import { A, B, testHousehold } from './support/household.js';

function household(policy: PolicyInput = {}) {
  const h = testHousehold({ policy });
  return {
    ...h,
    alerts: () => h.result().alerts,
    alertEvents: () => h.events.filter((e): e is AlertRaised => e.type === 'AlertRaised'),
  };
}

const wage = (month: string, paymentDate: string, taxableWage: string, extra: Record<string, unknown> = {}) => ({
  period: { start: firstDay(month), end: lastDay(month), kind: 'month' },
  paymentDate,
  taxableWage,
  ...extra,
});

describe('SPEC §8 large-claim: ΔA < −NormEx_M', () => {
  /**
   * Couple from 1 March, full-norm: March advance = couple NormEx 1902.02. March wage X recorded 5 April;
   * on 10 April the household becomes single retroactively from 1 March (NormEx 1331.42).
   * 1 May: A = 1331.42 − X, ΔA = A − 1902.02.
   *   X = 760.82 → A = 570.60, ΔA = −1331.42 = −NormEx → no alert.
   *   X = 760.83 → A = 570.59, ΔA = −1331.43 → alert, amount 1331.43.
   */
  function scenario(x: string) {
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
    h.statement(wage('2026-03', '2026-03-31', x));
    h.runDays('2026-04-05', '2026-04-09');
    h.caseEvent(
      { type: 'HouseholdChanged', effectiveDate: '2026-03-01', category: 'single', costSharers: 1 },
      '2026-04-10T00:30:00Z',
    );
    h.runDays('2026-04-10', '2026-05-01');
    return h;
  }

  it('ΔA exactly −NormEx → no alert', () => {
    const h = scenario('760.82');
    const march = h.events.filter((e): e is MonthSettled => e.type === 'MonthSettled' && e.data.month === '2026-03');
    expect(march.map((e) => [e.data.values.normExclHoliday, e.data.assistanceChange])).toEqual([
      ['1331.42', '-1331.42'],
    ]);
    expect(h.alerts().filter((a) => a.kind === 'large-claim')).toEqual([]);
  });

  it('one cent more → alert with amount −ΔA', () => {
    expect(
      scenario('760.83')
        .alerts()
        .filter((a) => a.kind === 'large-claim'),
    ).toEqual([{ kind: 'large-claim', month: '2026-03', amount: '1331.43' }]);
  });

  it('a late CaseClosed that shrinks a settled month', () => {
    // January settled on 1 March: A = 1331.42 (v1). Case then closed at 2026-01-01 (its start).
    // January v2: N = round(1401.50/31) = 45.21; VT = round(2.2605) = 2.26; NormEx = 42.95; A = 42.95;
    // ΔA = 42.95 − 1331.42 = −1288.47 < −42.95 → large-claim 1288.47.
    const h = household();
    h.open();
    h.runDays('2026-01-01', '2026-03-05');
    h.caseEvent({ type: 'CaseClosed', endDate: '2026-01-01' }, '2026-03-06T00:30:00Z');
    h.runDays('2026-03-06', '2026-03-06');
    const jan = h.events.filter((e): e is MonthSettled => e.type === 'MonthSettled' && e.data.month === '2026-01');
    expect(
      jan.map((e) => [
        e.data.version,
        e.data.values.normExclHoliday,
        e.data.values.assistance,
        e.data.assistanceChange,
      ]),
    ).toEqual([
      [1, '1331.42', '1331.42', '0.00'],
      [2, '42.95', '42.95', '-1288.47'],
    ]);
    expect(h.alerts()).toEqual([{ kind: 'large-claim', month: '2026-01', amount: '1288.47' }]);
  });
});

describe('SPEC §8 below-minimum with alertThreshold', () => {
  /**
   * Single 2026, full-norm. January wage 1200.00 → 1 March L = −1200.00. 25 March: offset 1200.00, no buffer in 2026,
   * amount 131.42. Shortfall = NormEx − (projectedNet + amount) = 1331.42 − (0.00 + 131.42) = 1200.00.
   */
  function scenario(alertThreshold?: string) {
    const h = household({ advance: 'full-norm', ...(alertThreshold ? { alertThreshold } : {}) });
    h.open();
    h.runDays('2026-01-01', '2026-01-25');
    h.statement(wage('2026-01', '2026-01-25', '1200.00'));
    h.runDays('2026-01-26', '2026-03-25');
    return h.alerts().filter((a) => a.kind === 'below-minimum');
  }

  it('default threshold 0.00 → alert with the shortfall', () => {
    expect(scenario()).toEqual([{ kind: 'below-minimum', month: '2026-03', amount: '1200.00' }]);
  });
  it('threshold equal to the shortfall → no alert', () => {
    expect(scenario('1200.00')).toEqual([]);
  });
  it('threshold one cent below the shortfall → alert', () => {
    expect(scenario('1199.99')).toEqual([{ kind: 'below-minimum', month: '2026-03', amount: '1200.00' }]);
  });
  it('the alert says why', () => {
    const h = household({ advance: 'full-norm' });
    h.open();
    h.runDays('2026-01-01', '2026-01-25');
    h.statement(wage('2026-01', '2026-01-25', '1200.00'));
    h.runDays('2026-01-26', '2026-03-25');
    const alert = h.alertEvents().find((e) => e.data.kind === 'below-minimum')!;
    expect(alert.data.reason).toContain('claim offset');
    expect(alert.data.details.bufferDecision).toBe('buffer-not-in-force');
  });
  it('no claim, no income: paid exactly NormEx → no alert', () => {
    const h = household();
    h.open();
    h.runDays('2026-01-01', '2026-03-25');
    expect(h.alerts()).toEqual([]);
  });
});

describe('SPEC §8 income-outside-case', () => {
  it('work partly before the case start → alert in month(d), raised once over many runs', () => {
    const h = household();
    h.open({ startDate: '2026-03-11' });
    h.statement(wage('2026-03', '2026-04-02', '1000.00'));
    h.runDays('2026-03-11', '2026-05-31');
    expect(
      h
        .alertEvents()
        .filter((e) => e.data.kind === 'income-outside-case')
        .map((e) => [e.data.month, e.data.details.excludedOutsideCase]),
    ).toEqual([
      // 1000.00 − round(1000.00 × 21/31) = 1000.00 − 677.42 = 322.58
      ['2026-04', '322.58'],
    ]);
  });

  it('work wholly inside the case → no alert', () => {
    const h = household({});
    h.open({ startDate: '2026-03-01' });
    h.statement(wage('2026-03', '2026-03-31', '1000.00'));
    h.runDays('2026-03-01', '2026-04-05');
    expect(h.alerts().filter((a) => a.kind === 'income-outside-case')).toEqual([]);
  });
});

describe('SPEC §8 new-income-relationship', () => {
  it('raised for the first statement only, in month(d), once', () => {
    const h = household();
    h.open();
    h.statement(wage('2026-02', '2026-03-02', '500.00'));
    h.runDays('2026-03-03', '2026-03-05');
    h.statement(wage('2026-03', '2026-04-02', '500.00'));
    h.runDays('2026-04-03', '2026-04-05');
    expect(h.alerts()).toEqual([{ kind: 'new-income-relationship', month: '2026-03' }]);
    expect(h.alertEvents()).toHaveLength(1);
  });

  it('two new relationships: different months → two alerts; same month → one (once per kind and month)', () => {
    const h = household();
    h.open();
    h.statement(wage('2026-02', '2026-02-25', '500.00'));
    h.statement(wage('2026-03', '2026-03-25', '300.00', { incomeRelationshipId: 'IKV-2' }));
    h.statement(
      wage('2026-03', '2026-03-28', '200.00', {
        incomeRelationshipId: 'IKV-3',
        employer: { payrollTaxNumber: '987654321L02' },
      }),
    );
    h.runDays('2026-03-29', '2026-03-31');
    expect(h.alerts()).toEqual([
      { kind: 'new-income-relationship', month: '2026-02' },
      { kind: 'new-income-relationship', month: '2026-03' },
    ]);
  });

  it('the same relationship id of another person is another relationship', () => {
    const h = household();
    h.open({
      members: [
        { bsn: A, role: 'applicant' },
        { bsn: B, role: 'partner' },
      ],
      category: 'couple',
    });
    h.statement(wage('2026-02', '2026-02-25', '500.00'));
    h.statement(wage('2026-04', '2026-04-25', '500.00', { bsn: B }));
    h.runDays('2026-04-26', '2026-04-26');
    expect(h.alerts()).toEqual([
      { kind: 'new-income-relationship', month: '2026-02' },
      { kind: 'new-income-relationship', month: '2026-04' },
    ]);
  });
});
