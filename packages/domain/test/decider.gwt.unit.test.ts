import { describe, it } from 'vitest';
import { caseOpenedSchema, type HouseholdEvent } from '../src/index.js';
import { validStatement } from './support/statement.js';
import { given } from './support/givenWhenThen.js';
import { A, B } from './support/household.js';

const opening = caseOpenedSchema.parse({
  type: 'CaseOpened',
  householdId: 'H-1',
  members: [{ bsn: A, role: 'applicant' }],
  category: 'single',
  startDate: '2026-01-01',
});
const caseOpened: HouseholdEvent = { type: 'CaseOpened', data: { ...opening, recordedAt: '2025-12-20T09:00:00Z' } };
const januaryWage = validStatement({
  bsn: A,
  period: { start: '2026-01-01', end: '2026-01-31', kind: 'month' },
  paymentDate: '2026-01-25',
  taxableWage: '500.00',
  withheldTax: '0.00',
});
const statementRecorded: HouseholdEvent = {
  type: 'IncomeStatementRecorded',
  data: { statement: januaryWage, recordedAt: '2026-02-10T12:00:00Z', channel: 'file' },
};
const night = (date: string) => ({
  type: 'RunNightly' as const,
  runDate: date,
  runAt: `${date}T02:00:00Z`,
  rulesVersion: 'test',
});

describe('household decider: given events, when a command, then events', () => {
  it('opens a case once; the same opening again is a re-delivery; another is refused', () => {
    given()
      .when({ type: 'RecordCaseEvent', event: opening, recordedAt: '2025-12-20T09:00:00Z' })
      .then({ type: 'CaseOpened', data: { householdId: 'H-1', startDate: '2026-01-01' } });
    given(caseOpened)
      .when({ type: 'RecordCaseEvent', event: opening, recordedAt: '2025-12-21T09:00:00Z' })
      .thenNothing();
    given(caseOpened)
      .when({
        type: 'RecordCaseEvent',
        event: { ...opening, startDate: '2026-02-01' },
        recordedAt: '2025-12-21T09:00:00Z',
      })
      .thenRejected('type: a different case is already opened for this household');
  });

  it("records a member's statement once and refuses a stranger's", () => {
    given(caseOpened)
      .when({
        type: 'RecordIncomeStatement',
        statement: januaryWage,
        recordedAt: '2026-02-10T12:00:00Z',
        channel: 'file',
      })
      .then({ type: 'IncomeStatementRecorded', data: { channel: 'file' } });
    given(caseOpened, statementRecorded)
      .when({ type: 'RecordIncomeStatement', statement: januaryWage, recordedAt: '2026-02-11T12:00:00Z' })
      .thenNothing();
    given(caseOpened)
      .when({
        type: 'RecordIncomeStatement',
        statement: { ...januaryWage, bsn: B },
        recordedAt: '2026-02-10T12:00:00Z',
      })
      .thenRejected('bsn: is not a member of this household');
  });

  it('on payday proposes the advance: the norm without holiday reserve when no income is projected', () => {
    // single 2026: 1401.50 − round(0.05 × 1401.50) = 1401.50 − 70.08 = 1331.42
    given(caseOpened).when(night('2026-01-24')).thenNothing();
    given(caseOpened)
      .when(night('2026-01-25'))
      .then({
        type: 'PaymentProposed',
        data: {
          month: '2026-01',
          normExclHoliday: '1331.42',
          projectedNet: '0.00',
          advance: '1331.42',
          offset: '0.00',
          gross: '1331.42',
        },
      });
  });

  it('the buffer decision makes a proposed payment final', () => {
    const [proposal] = given(caseOpened).when(night('2026-01-25')).then({ type: 'PaymentProposed' });
    given(caseOpened, proposal!)
      .when({ type: 'DecideBuffer', month: '2026-01', runDate: '2026-01-25', rulesVersion: 'test' })
      .then(
        { type: 'BufferNotDrawn', data: { reason: 'no-claim-offset' } },
        { type: 'PaymentMade', data: { month: '2026-01', advance: '1331.42', bufferDraw: '0.00', amount: '1331.42' } },
      );
  });

  it('settles a paid month when its lag has passed: ΔA = A − advance goes to the ledger', () => {
    const [proposal] = given(caseOpened).when(night('2026-01-25')).then({ type: 'PaymentProposed' });
    const [, paid] = given(caseOpened, proposal!)
      .when({ type: 'DecideBuffer', month: '2026-01', runDate: '2026-01-25', rulesVersion: 'test' })
      .then({ type: 'BufferNotDrawn' }, { type: 'PaymentMade' });
    const newRelationship = {
      type: 'AlertRaised' as const,
      data: { kind: 'new-income-relationship', month: '2026-01' },
    };
    // 2026-02-28: January is not due yet (M + 1 + lag 1 = March); February is proposed on the projected 500.00.
    given(caseOpened, proposal!, paid!, statementRecorded)
      .when(night('2026-02-28'))
      .then(
        { type: 'PaymentProposed', data: { month: '2026-02', projectedNet: '500.00', advance: '831.42' } },
        newRelationship,
      );
    // A = 1331.42 − 500.00 = 831.42; ΔA = 831.42 − 1331.42 = −500.00; R = 70.08 (no accrual, no excess).
    given(caseOpened, proposal!, paid!, statementRecorded)
      .when(night('2026-03-01'))
      .then(
        {
          type: 'MonthSettled',
          data: {
            month: '2026-01',
            version: 1,
            values: { income: '500.00', assistance: '831.42', holidayReserve: '70.08' },
            assistanceChange: '-500.00',
            reserveChange: '70.08',
            ledgerBalanceAfter: '-500.00',
          },
        },
        newRelationship,
      );
  });
});
