import { describe, expect, it } from 'vitest';
import {
  defaultParameters,
  evolve,
  initialHouseholdState,
  parseScenario,
  simulateScenario,
  statementVersionVerdict,
  type PolisIncomeStatement,
} from '../src/index.js';
import { polisStatement } from '@bijstand/testkit/statements';
import { validStatement } from './support/statement.js';

const statement = (over: Partial<PolisIncomeStatement>): PolisIncomeStatement => validStatement(over);

function stateWith(...statements: PolisIncomeStatement[]) {
  const state = initialHouseholdState();
  for (const s of statements)
    evolve(state, {
      type: 'IncomeStatementRecorded',
      data: { statement: s, recordedAt: '2027-02-01T00:00:00Z', channel: 'inline' },
    });
  return state;
}

describe('statementVersionVerdict: versions of one key in any order', () => {
  it('an initial for a new key, or a correction of a known key, is recorded', () => {
    expect(statementVersionVerdict(stateWith(), statement({}))).toEqual({ kind: 'record' });
    expect(
      statementVersionVerdict(stateWith(statement({})), statement({ messageId: 'm-2', kind: 'correction' })),
    ).toEqual({ kind: 'record' });
  });

  it('a correction or withdrawal of a key never seen is recorded and flagged', () => {
    expect(statementVersionVerdict(stateWith(), statement({ kind: 'correction' }))).toEqual({
      kind: 'record-flagged',
      flag: 'correction-without-initial',
    });
    expect(statementVersionVerdict(stateWith(), statement({ kind: 'withdrawal' }))).toEqual({
      kind: 'record-flagged',
      flag: 'withdrawal-without-initial',
    });
  });

  it('an initial after a correction of the same key and source is superseded; from a payslip it is not', () => {
    const corrected = stateWith(statement({ messageId: 'm-2', kind: 'correction' }));
    expect(statementVersionVerdict(corrected, statement({}))).toEqual({
      kind: 'superseded',
      reason:
        'kind: superseded: this initial statement arrived after the correction (messageId m-2) of the same income relationship and period, which stays in force (SPEC §1.1)',
    });
    expect(statementVersionVerdict(corrected, statement({ messageId: 'p-1', source: 'payslip' }))).toEqual({
      kind: 'record',
    });
  });

  it('a re-delivery of a recorded statement is left to the decider (a no-op)', () => {
    const s = statement({ messageId: 'm-2', kind: 'correction' });
    expect(statementVersionVerdict(stateWith(s), s)).toEqual({ kind: 'record' });
  });
});

describe('the scenario driver applies the same rule as ingest', () => {
  it('an initial arriving after the correction of its key is rejected; the correction stays in force', () => {
    const january = { start: '2027-01-01', end: '2027-01-31', kind: 'month' };
    const scenario = parseScenario(
      {
        inputs: [
          {
            recordedAt: '2027-01-02T09:00:00Z',
            case: {
              type: 'CaseOpened',
              householdId: 'H-1',
              members: [{ bsn: '111222333', role: 'applicant' }],
              category: 'single',
              startDate: '2027-01-01',
            },
          },
          {
            recordedAt: '2027-02-05T09:00:00Z',
            statement: polisStatement({ messageId: 'm-2', kind: 'correction', period: january, taxableWage: '950.00' }),
          },
          { recordedAt: '2027-02-06T09:00:00Z', statement: polisStatement({ messageId: 'm-1', period: january }) },
        ],
        runs: { from: '2027-02-07', to: '2027-02-07' },
      },
      defaultParameters,
    );
    const out = simulateScenario(scenario, 'test');
    expect(out.rejected).toEqual([
      {
        recordedAt: '2027-02-06T09:00:00Z',
        reason:
          'kind: superseded: this initial statement arrived after the correction (messageId m-2) of the same income relationship and period, which stays in force (SPEC §1.1)',
      },
    ]);
    const inForce = [...out.state.statementsInForce.values()].map((r) => [
      r.statement.messageId,
      r.statement.taxableWage,
    ]);
    expect(inForce).toEqual([['m-2', '950.00']]);
  });
});
