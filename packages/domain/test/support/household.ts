import {
  addDays,
  caseEventSchema,
  defaultParameters,
  evolve,
  initialHouseholdState,
  policySchema,
  projectResult,
  type HouseholdCommand,
  type HouseholdEvent,
  type MonthSettled,
  type ParameterTables,
  type Evaluation,
  type PaymentMade,
  type PolicyInput,
} from '../../src/index.js';
import { validStatement } from './statement.js';
import { decideLikeTheServices } from './drive.js';

export const A = '111222333';
export const B = '123456782';

export interface DriverOptions {
  policy?: PolicyInput;
  params?: ParameterTables;
  /** When case events are recorded, unless a call says otherwise. */
  caseEventAt?: string;
  /** When statements are recorded, unless a call says otherwise. */
  statementAt?: string;
  /** Fields every statement has unless a call overrides them (a messageId m-1, m-2, … is added when none is given). */
  statementDefaults?: Record<string, unknown>;
  /** The incremental layer's evaluation for this household (default: none, everything computed). */
  evaluation?: Evaluation;
}

/**
 * A household driven the way simulateScenario drives one: each command through the decider (with the
 * buffer decision on the same state, as a night does), each event folded with evolve.
 */
export function testHousehold(options: DriverOptions = {}) {
  const state = initialHouseholdState();
  const events: HouseholdEvent[] = [];
  const ctx = {
    params: options.params ?? defaultParameters,
    policy: policySchema.parse(options.policy ?? {}),
    evaluation: options.evaluation,
  };
  let n = 0;
  const apply = (cmd: HouseholdCommand) => {
    const out = decideLikeTheServices(cmd, state, ctx);
    for (const e of out) {
      events.push(e);
      evolve(state, e);
    }
    return out;
  };
  const h = {
    state,
    events,
    ctx,
    apply,
    caseEvent: (raw: Record<string, unknown>, at = options.caseEventAt ?? '2026-01-01T00:30:00Z') =>
      apply({ type: 'RecordCaseEvent', event: caseEventSchema.parse({ householdId: 'H-1', ...raw }), recordedAt: at }),
    open: (fields: Record<string, unknown> = {}, at?: string) =>
      h.caseEvent(
        {
          type: 'CaseOpened',
          members: [{ bsn: A, role: 'applicant' }],
          category: 'single',
          startDate: '2026-01-01',
          ...fields,
        },
        at,
      ),
    statement: (fields: Record<string, unknown>, at = options.statementAt ?? '2026-01-01T12:00:00Z') =>
      apply({
        type: 'RecordIncomeStatement',
        statement: validStatement({
          messageId: `m-${++n}`,
          bsn: A,
          withheldTax: '0.00',
          ...options.statementDefaults,
          ...fields,
        }),
        recordedAt: at,
      }),
    run: (date: string) =>
      apply({ type: 'RunNightly', runDate: date, runAt: `${date}T02:00:00Z`, rulesVersion: 'test' }),
    runDays: (from: string, to: string) => {
      const out: HouseholdEvent[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) out.push(...h.run(d));
      return out;
    },
    result: () => projectResult(state, events),
    payment: (month: string) =>
      events.filter((e): e is PaymentMade => e.type === 'PaymentMade' && e.data.month === month).map((e) => e.data)[0],
    settled: (month: string) =>
      events.filter((e): e is MonthSettled => e.type === 'MonthSettled' && e.data.month === month).map((e) => e.data),
  };
  return h;
}
