export * from './money.js';
export * from './frozen.js';
export * from './dates.js';
export * from './schemas.js';
export * from './parameters.js';
export * from './defaultParameters.js';
export * from './trace.js';
export * from './events.js';
export * from './household.js';
export * from './decider.js';
export * from './statementVersions.js';
export { decideCaseEvent } from './caseEvents.js';
export * from './decisions.js';
export * from './night.js';
export * from './evaluation.js';
export * from './scenario.js';
export * from './simulation.js';
export * from './result.js';
export * from './rules/netIncome.js';
export * from './rules/allocation.js';
export * from './rules/norm.js';
export * from './rules/disregard.js';
export * from './rules/entitlement.js';
export * from './rules/projection.js';
export * from './rules/buffer.js';
export * from './rules/settlement.js';
export * from './rules/payment.js';
export * from './rules/alerts.js';
export * from './rules/declaredIncome.js';
export {
  IncrementalLayer,
  IncrementalEvaluation,
  SAVED_EVALUATION_FORMAT,
  type SavedEvaluation,
  type ComputedMonth,
} from './incremental/evaluation.js';
export { dateCanChangeDecisions } from './incremental/quietNights.js';
export { StatementIndex } from './incremental/statementIndex.js';
export { ENGINE_VERSION } from './version.js';
export * from './storedEvent.js';
export * from './replay.js';
export * from './decisionComparison.js';
export * from './whatIf.js';
export * from './snapshot.js';
