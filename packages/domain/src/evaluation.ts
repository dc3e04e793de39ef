import type { Period, YearMonth } from './dates.js';
import { policyFor, type ParameterTables } from './parameters.js';
import type { PolisIncomeStatement, Policy } from './schemas.js';
import type { HouseholdState, RecordedStatement } from './household.js';
import { netIncomeOfStatement, type NetIncomeOfStatement } from './rules/netIncome.js';
import { settleStatement, targetMonths, mayFallOutsideCase, type StatementSettlement } from './rules/allocation.js';
import { latestStatementsByRelationship, type LatestStatements } from './rules/projection.js';

/** The parameter tables and policy a decision is taken under. */
export interface RulesInForce {
  params: ParameterTables;
  policy: Policy;
}

/**
 * How the decider gets the per-statement results it combines. `directEvaluation` computes each from
 * the state, every time: it is the definition. The incremental layer (`incremental/`) answers the same
 * questions from memos and may skip a month whose inputs did not change; the differential test holds
 * the two to byte-identical decisions.
 */
export interface Evaluation {
  netIncome(statement: PolisIncomeStatement, rules: RulesInForce): NetIncomeOfStatement;
  statementSettlement(record: RecordedStatement, K: Period, rules: RulesInForce): StatementSettlement;
  /** The statements in force whose income can land in any of these months, in recording order. */
  statementsLandingIn(state: HouseholdState, K: Period, months: ReadonlySet<YearMonth>): RecordedStatement[];
  /** The statements in force of which a part can lie outside K, in recording order. */
  statementsThatMayFallOutside(state: HouseholdState, K: Period): RecordedStatement[];
  latestByRelationship(state: HouseholdState): LatestStatements;
  /** True only when the month would compute to what its current version holds: it may be skipped. */
  monthUnchanged(state: HouseholdState, K: Period, rules: RulesInForce, month: YearMonth): boolean;
  /** Told after a month was computed (whether or not a new version came of it). */
  monthComputed(state: HouseholdState, K: Period, rules: RulesInForce, month: YearMonth): void;
}

const inRecordingOrder = (state: HouseholdState) =>
  [...state.statementsInForce.values()].sort((a, b) => a.sequence - b.sequence);

/** Everything computed from the state on every call; no month is ever skipped. */
export const directEvaluation: Evaluation = Object.freeze({
  netIncome: (statement: PolisIncomeStatement, rules: RulesInForce) => netIncomeOfStatement(statement, rules.params),
  statementSettlement: (record: RecordedStatement, K: Period, rules: RulesInForce) =>
    settleStatement(record, netIncomeOfStatement(record.statement, rules.params), K, ikbMethodOf(record, rules.policy)),
  statementsLandingIn: (state: HouseholdState, K: Period, months: ReadonlySet<YearMonth>) =>
    inRecordingOrder(state).filter((r) => targetMonths(r.statement, K).some((m) => months.has(m))),
  statementsThatMayFallOutside: (state: HouseholdState, K: Period) =>
    inRecordingOrder(state).filter((r) => mayFallOutsideCase(r.statement, K)),
  latestByRelationship: (state: HouseholdState) => latestStatementsByRelationship(state.statementsInForce.values()),
  monthUnchanged: () => false,
  monthComputed: () => undefined,
});

/** The IKB method of a statement: the policy in force in the month its period ends (a dated policy change). */
export function ikbMethodOf(record: RecordedStatement, policy: Policy): Policy['ikbMethod'] {
  return policyFor(policy, record.statement.period.end).ikbMethod;
}
