import { describe, expect, it } from 'vitest';
import {
  CommandRejected,
  decide,
  defaultParameters,
  defaultPolicy,
  foldHousehold,
  monthsToSettle,
  parseScenario,
  policySchema,
  projectResult,
  ScenarioInvalid,
  simulateScenario,
  type HouseholdEvent,
  type MonthSettled,
  type PolicyInput,
} from '../src/index.js';
import { polisStatement } from '@bijstand/testkit/statements';
import { A, B, testHousehold } from './support/household.js';
import { decideLikeTheServices } from './support/drive.js';

const ctx = (policy: PolicyInput = {}) => ({ params: defaultParameters, policy: policySchema.parse(policy) });

function household(policy: PolicyInput = {}) {
  return testHousehold({
    policy,
    statementAt: '2026-01-26T09:00:00Z',
    statementDefaults: { period: { start: '2026-01-01', end: '2026-01-31', kind: 'month' }, paymentDate: '2026-01-25' },
  });
}

const settledRows = (es: HouseholdEvent[]) =>
  es
    .filter((e): e is MonthSettled => e.type === 'MonthSettled')
    .map((e) => [
      e.data.month,
      e.data.version,
      e.data.values.income,
      e.data.values.assistance,
      e.data.values.holidayReserve,
      e.data.assistanceChange,
      e.data.reserveChange,
      e.data.ledgerBalanceAfter,
    ]);

describe('SPEC §1.1 / §6.1 corrections, withdrawals and re-delivery', () => {
  /**
   * Single 2026, full-norm (advance 1331.42). January wage 1000.00 (m-1).
   * 1 March: January v1: I 1000.00, A 331.42, ΔA = 331.42 − 1331.42 = −1000.00, L −1000.00, R 70.08.
   */
  function withJanuaryWage() {
    const h = household({ advance: 'full-norm' });
    h.open();
    h.runDays('2026-01-01', '2026-01-25');
    h.statement({ messageId: 'm-1', taxableWage: '1000.00' });
    h.runDays('2026-01-26', '2026-03-09');
    return h;
  }

  it('version 1 on first settlement', () => {
    expect(settledRows(withJanuaryWage().events).filter((r) => r[0] === '2026-01')).toEqual([
      ['2026-01', 1, '1000.00', '331.42', '70.08', '-1000.00', '70.08', '-1000.00'],
    ]);
  });

  it('a correction replaces the statement for the same key → new MonthSettled version', () => {
    const h = withJanuaryWage();
    h.statement({ messageId: 'm-2', kind: 'correction', taxableWage: '800.00' });
    // I = 800.00 (not 1800.00), A = 531.42, ΔA = 531.42 − 331.42 = 200.00, L = −800.00
    expect(settledRows(h.run('2026-03-10'))).toEqual([
      ['2026-01', 2, '800.00', '531.42', '70.08', '200.00', '0.00', '-800.00'],
    ]);
  });

  it('a withdrawal makes the statement count no more; re-delivery of an old message is a no-op', () => {
    const h = withJanuaryWage();
    h.statement({ messageId: 'm-2', kind: 'correction', taxableWage: '800.00' });
    h.run('2026-03-10');
    h.statement({ messageId: 'm-3', kind: 'withdrawal', taxableWage: undefined, withheldTax: undefined });
    // I = 0, A = 1331.42, ΔA = 1331.42 − 531.42 = 800.00, L = 0.00
    expect(settledRows(h.run('2026-03-11'))).toEqual([
      ['2026-01', 3, '0.00', '1331.42', '70.08', '800.00', '0.00', '0.00'],
    ]);
    // m-1 delivered again: nothing recorded, nothing re-settled
    expect(h.statement({ messageId: 'm-1', taxableWage: '1000.00' })).toEqual([]);
    expect(settledRows(h.run('2026-03-12'))).toEqual([]);
    expect(h.state.ledgerBalance.toFixed(2)).toBe('0.00');
  });

  it('re-delivery with the same messageId but other content is still a no-op', () => {
    const h = withJanuaryWage();
    const count = h.state.statementCount;
    expect(h.statement({ messageId: 'm-1', taxableWage: '5.00' })).toEqual([]);
    expect(h.state.statementCount).toBe(count);
    expect(settledRows(h.run('2026-03-10'))).toEqual([]);
  });

  it('a correction with the same amounts gives no new version', () => {
    const h = withJanuaryWage();
    h.statement({ messageId: 'm-2', kind: 'correction', taxableWage: '1000.00' });
    expect(settledRows(h.run('2026-03-10'))).toEqual([]);
  });

  it('a correction that changes only R gives a new version with ΔA 0', () => {
    const h = withJanuaryWage();
    // holiday accrual 30.00 → R = 70.08 − 30.00 = 40.08; ΔR = −30.00
    h.statement({ messageId: 'm-2', kind: 'correction', taxableWage: '1000.00', holidayAllowanceAccrued: '30.00' });
    expect(settledRows(h.run('2026-03-10'))).toEqual([
      ['2026-01', 2, '1000.00', '331.42', '40.08', '0.00', '-30.00', '-1000.00'],
    ]);
  });

  it('a correction for another period is another statement, not a replacement', () => {
    const h = withJanuaryWage();
    h.statement({
      messageId: 'm-2',
      kind: 'correction',
      period: { start: '2026-01-01', end: '2026-01-30', kind: 'month' },
      taxableWage: '100.00',
    });
    // I = 1000.00 + 100.00 = 1100.00; A = 231.42; ΔA = −100.00
    expect(settledRows(h.run('2026-03-10'))).toEqual([
      ['2026-01', 2, '1100.00', '231.42', '70.08', '-100.00', '0.00', '-1100.00'],
    ]);
  });
});

describe('commands the history does not allow', () => {
  it('a statement before the case is opened', () => {
    const h = household();
    expect(() => h.statement({ messageId: 'm-1', taxableWage: '1.00' })).toThrow(CommandRejected);
  });

  it('a statement for someone who is not a member', () => {
    const h = household();
    h.open();
    expect(() => h.statement({ messageId: 'm-1', bsn: B, taxableWage: '1.00' })).toThrow(/bsn: is not a member/);
  });

  it('CaseOpened again: same → no-op, different start → rejected', () => {
    const h = household();
    h.open();
    expect(h.open()).toEqual([]);
    expect(() => h.open({ startDate: '2026-02-01' })).toThrow(/already opened/);
  });

  it('CaseClosed before the start is rejected; on the start date accepted', () => {
    const h = household();
    h.open({ startDate: '2026-03-01' });
    expect(() => h.caseEvent({ type: 'CaseClosed', endDate: '2026-02-28' })).toThrow(
      /endDate: must not be before the case start/,
    );
    expect(h.caseEvent({ type: 'CaseClosed', endDate: '2026-03-01' })).toHaveLength(1);
  });

  it('a disregard grant for a non-member and an event of another household are rejected', () => {
    const h = household();
    h.open();
    expect(() =>
      h.caseEvent({ type: 'EarningsDisregardGranted', bsn: B, from: '2026-01-01', to: '2026-12-31' }),
    ).toThrow(CommandRejected);
    expect(() => h.caseEvent({ type: 'CaseClosed', householdId: 'H-2', endDate: '2026-05-31' })).toThrow(
      /is not this household/,
    );
  });
});

describe('decide is pure', () => {
  it('a nightly run does not change the state it is given', () => {
    const h = household();
    h.open();
    const events = decide(
      { type: 'RunNightly', runDate: '2026-03-25', runAt: '2026-03-25T02:00:00Z', rulesVersion: 't' },
      h.state,
      ctx(),
    );
    expect(events.some((e) => e.type === 'MonthSettled')).toBe(true);
    // The nightly run proposes the payment; the buffer decision makes it final (decideLikeTheServices).
    expect(events.some((e) => e.type === 'PaymentProposed')).toBe(true);
    expect(h.state.months.size).toBe(0);
    expect(h.state.payments.size).toBe(0);
    expect(h.state.ledgerBalance.toFixed(2)).toBe('0.00');
  });

  it('monthsToSettle: M is due from the first day of M + 1 + lag', () => {
    const h = household();
    h.open({ startDate: '2025-12-15' });
    expect(monthsToSettle(h.state, '2026-02-28', 1)).toEqual(['2025-12']);
    expect(monthsToSettle(h.state, '2026-03-01', 1)).toEqual(['2025-12', '2026-01']);
    expect(monthsToSettle(h.state, '2026-03-01', 0)).toEqual(['2025-12', '2026-01', '2026-02']);
  });

  it('SPEC §10: folding the stored events again reproduces the same result', () => {
    const h = household();
    h.open();
    h.runDays('2026-01-01', '2026-01-25');
    h.statement({ messageId: 'm-1', taxableWage: '1000.00' });
    h.runDays('2026-01-26', '2026-04-01');
    const replayed = foldHousehold(h.events);
    expect(projectResult(replayed, h.events)).toEqual(projectResult(h.state, h.events));
  });
});

describe('SPEC §11 scenario driver', () => {
  const raw = {
    inputs: [
      {
        // recorded before the case exists: parked, then recorded when the case opens
        recordedAt: '2026-01-26T09:00:00Z',
        statement: polisStatement({
          bsn: A,
          period: { start: '2026-01-01', end: '2026-01-31', kind: 'month' },
          paymentDate: '2026-01-25',
          taxableWage: '1000.00',
          withheldTax: '0.00',
        }),
      },
      {
        recordedAt: '2026-02-10T09:00:00Z',
        case: {
          type: 'CaseOpened',
          householdId: 'H-1',
          members: [{ bsn: A, role: 'applicant' }],
          category: 'single',
          startDate: '2026-01-01',
        },
      },
    ],
    runs: { from: '2026-02-10', to: '2026-03-01' },
  };

  it('runs the scenario and projects the SPEC §11 result', () => {
    const scenario = parseScenario(raw, defaultParameters);
    expect(scenario.policy).toEqual(defaultPolicy);
    const out = simulateScenario(scenario, 'test');
    expect(out.rejected).toEqual([]);
    // February: projected 1000.00 (payday 25 Feb from d = 25 Jan) → advance 331.42.
    // 1 March: January settled with no advance paid: A = 331.42 → ΔA = +331.42 = L; R = 70.08.
    expect(projectResult(out.state, out.events)).toEqual({
      months: {
        '2026-01': {
          norm: '1401.50',
          measureReduction: '0.00',
          holidayReserveFull: '70.08',
          normExclHoliday: '1331.42',
          income: '1000.00',
          disregard: '0.00',
          partnerIncomeCounted: '0.00',
          countableIncome: '1000.00',
          assistance: '331.42',
          holidayAccrued: '0.00',
          holidayReserve: '70.08',
          version: 1,
        },
      },
      payments: {
        '2026-02': {
          advance: '331.42',
          holidayPayout: '0.00',
          offset: '0.00',
          bufferDraw: '0.00',
          amount: '331.42',
          payees: { applicant: '331.42' },
        },
      },
      buffer: {},
      ledgerBalance: '331.42',
      reserveBalance: '70.08',
      alerts: [{ kind: 'new-income-relationship', month: '2026-01' }],
    });
  });

  it('an invalid scenario file is refused with the path of the wrong field', () => {
    const bad = structuredClone(raw) as unknown as { runs: { from: string; to: string } };
    bad.runs.to = '2026-01-01';
    expect(() => parseScenario(bad, defaultParameters)).toThrow(ScenarioInvalid);
    expect(() => parseScenario(bad, defaultParameters)).toThrow(/runs\.to: must not be before from/);
  });

  it('a schema-invalid input is recorded as rejected with its reason and the rest runs (SPEC §11, §12.13)', () => {
    const bad = structuredClone(raw);
    bad.inputs[0]!.statement!.bsn = '111222334';
    const out = simulateScenario(parseScenario(bad, defaultParameters), 'test');
    expect(out.rejected).toEqual([{ recordedAt: '2026-01-26T09:00:00Z', reason: 'bsn: fails the elfproef' }]);
    // Without the statement, January is settled on the norm alone: A = NormEx = 1401.50 − 70.08 = 1331.42.
    expect(projectResult(out.state, out.events).months['2026-01']).toMatchObject({
      income: '0.00',
      assistance: '1331.42',
    });
  });
});
