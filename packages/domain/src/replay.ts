import type { DecisionContext } from './decider.js';
import { decideNight } from './night.js';
import { decisionKey, isDecisionType } from './decisions.js';
import { dateCanChangeDecisions } from './incremental/quietNights.js';
import type { IncrementalLayer } from './incremental/evaluation.js';
import { casePeriod, evolve, initialHouseholdState, statementKey, type HouseholdState } from './household.js';
import type { HouseholdEvent } from './events.js';
import { addMonths, monthOf, type Instant, type IsoDate } from './dates.js';
import { policyFor } from './parameters.js';
import { mayFallOutsideCase, targetMonths } from './rules/allocation.js';
import { instantMillis } from './scenario.js';
import { CommandRejected, decideCaseEvent } from './caseEvents.js';
import type { CaseEvent, PolisIncomeStatement } from './schemas.js';
import type { DecisionComparison } from './decisionComparison.js';
import { isStoredDecision, type StoredHouseholdEvent } from './storedEvent.js';

export interface RunInstant {
  runDate: IsoDate;
  runAt: Instant;
  /** The rules version the night ran under, where it was recorded. */
  rulesVersion?: string;
}

/** The rules to re-run a night under: by default the given ones; `rulesOfRun` may give those of then. */
export type RulesOfRun = (run: RunInstant) => { ctx: DecisionContext; rulesVersion: string } | undefined;

/**
 * Re-run the household's nights up to `asOf` from its inputs alone (SPEC §10): before each run, the
 * inputs recorded up to that instant; then the decider. Pure: the same events give the same decisions.
 * With `incremental`, the nights decide through that layer and nights on which nothing can change are
 * skipped; without it every night is decided from scratch.
 */
export function recomputeDecisions(
  stored: readonly StoredHouseholdEvent[],
  runs: readonly RunInstant[],
  asOf: Instant,
  ctx: DecisionContext,
  rulesVersion: string,
  rulesOfRun?: RulesOfRun,
  options: {
    incremental?: IncrementalLayer | undefined;
    /** Inputs never decided before (what-if case events): through the case-event rules, rejected ones left out. */
    undecided?: ReadonlySet<StoredHouseholdEvent>;
    rejected?: Array<{ recordedAt: Instant; reason: string }>;
    /**
     * Also skip a night whose new inputs are statements that can change nothing that night (see
     * `statementsChangeNothing`); default on, with `incremental` only. Off: every night with an input runs.
     */
    skipQuietStatements?: boolean;
    /**
     * Compare each decision with the stored ones as it is recomputed: `decisions` then holds only those
     * that differ (the comparison has them all). Without, `decisions` holds every recomputed decision.
     */
    comparison?: DecisionComparison;
  } = {},
): { decisions: StoredHouseholdEvent[]; state: HouseholdState; nightsRun: number } {
  const evaluation = options.incremental?.forHousehold();
  const limit = instantMillis(asOf);
  const inputs = stored
    .filter((s) => !isStoredDecision(s))
    .map((s) => ({ s, at: instantMillis(s.recordedAt) }))
    .filter(({ at }) => at <= limit);
  // Each instant parsed once (five years of daily nights: sorting with a parsing comparator parsed ~40,000 times).
  const nights = runs
    .map((run) => ({ run, at: instantMillis(run.runAt) }))
    .filter((n) => n.at <= limit)
    .sort((a, b) => a.at - b.at);
  const state = initialHouseholdState();
  const decisions: StoredHouseholdEvent[] = [];
  let next = 0;
  let nightsRun = 0;
  let previous: { runDate: IsoDate; ctx: DecisionContext } | undefined;
  const skipStatements = evaluation !== undefined && options.skipQuietStatements !== false;
  // Since the last night: whether every input was a statement, and the statements that entered or left force.
  let onlyStatements = true;
  const changed: PolisIncomeStatement[] = [];
  const record = (s: StoredHouseholdEvent) => {
    const e = s.event;
    if (e.type === 'IncomeStatementRecorded') {
      if (!skipStatements) return evolve(state, e);
      const key = statementKey(e.data.statement);
      const before = state.statementsInForce.get(key);
      evolve(state, e);
      const after = state.statementsInForce.get(key);
      if (before !== after) {
        if (before) changed.push(before.statement);
        if (after) changed.push(after.statement);
      }
      return;
    }
    onlyStatements = false;
    if (!options.undecided?.has(s) || !isCaseEvent(s.event)) return evolve(state, s.event);
    // A what-if grant is held to the same rules as one that arrives (e.g. the run rules of art. 34a).
    const { recordedAt, ...event } = s.event.data as CaseEvent & { recordedAt: Instant };
    try {
      for (const e of decideCaseEvent(event as CaseEvent, recordedAt, state, ctx.params)) evolve(state, e);
    } catch (err) {
      if (!(err instanceof CommandRejected)) throw err;
      options.rejected?.push({ recordedAt: s.recordedAt, reason: err.reason });
    }
  };
  for (const { run, at } of nights) {
    const before = next;
    const relationships = state.firstStatementOfRelationship.size;
    onlyStatements = true;
    changed.length = 0;
    while (next < inputs.length && inputs[next]!.at <= at) record(inputs[next++]!.s);
    const rules = rulesOfRun?.(run) ?? { ctx, rulesVersion };
    // Nights run daily; most have nothing new to decide. Skipping them is what keeps a five-year replay fast.
    const quiet =
      evaluation &&
      previous &&
      previous.ctx === rules.ctx &&
      !dateCanChangeDecisions(previous.runDate, run.runDate, rules.ctx.policy) &&
      (next === before ||
        (skipStatements &&
          onlyStatements &&
          state.firstStatementOfRelationship.size === relationships &&
          statementsChangeNothing(changed, state, run.runDate, rules.ctx)));
    if (quiet) continue;
    nightsRun++;
    for (const e of decideNight(
      { type: 'RunNightly', runDate: run.runDate, runAt: run.runAt, rulesVersion: rules.rulesVersion },
      state,
      { ...rules.ctx, evaluation },
    )) {
      evolve(state, e);
      const decision = { event: e, recordedAt: run.runAt };
      if (!options.comparison?.offer(decision)) decisions.push(decision);
    }
    previous = { runDate: run.runDate, ctx: rules.ctx };
  }
  while (next < inputs.length) record(inputs[next++]!.s);
  return { decisions, state, nightsRun };
}

/**
 * Whether statements that entered or left force since the last night decided (and nothing else new:
 * no case event, no new income relationship) leave tonight's decisions as they were, on a night whose
 * date changes nothing either (`dateCanChangeDecisions`). The nightly run reads statements only
 * through the months they can land in (`targetMonths`, dates alone), the income-outside-case alert and
 * the projection of a payment. So it decides nothing new when: none of them lands in a month due
 * tonight (every month they land in is after the last eligible one, SPEC §6.1), none can fall outside
 * the case, no payment is pending, and the payment of the month is not due (it was proposed the night
 * before, or its payday has not come: unchanged, since the payday was not crossed). A weekly-paid
 * household's statement for the current month is the usual case: it waits for next month's settlement.
 */
function statementsChangeNothing(
  changed: readonly PolisIncomeStatement[],
  state: HouseholdState,
  runDate: IsoDate,
  ctx: DecisionContext,
): boolean {
  const K = casePeriod(state);
  if (!K || state.householdId === null || state.pendingPayments.size > 0) return false;
  const lastEligible = addMonths(monthOf(runDate), -(1 + policyFor(ctx.policy, runDate).settlementLagMonths));
  return changed.every((s) => !mayFallOutsideCase(s, K) && targetMonths(s, K).every((month) => month > lastEligible));
}

const isCaseEvent = (e: HouseholdEvent) => e.type !== 'IncomeStatementRecorded' && !isDecisionType(e.type);

/** The state the stored events up to T give (what was actually decided). */
export function stateAsOf(stored: readonly StoredHouseholdEvent[], asOf: Instant): HouseholdState {
  const limit = instantMillis(asOf);
  const state = initialHouseholdState();
  for (const s of stored) if (instantMillis(s.recordedAt) <= limit) evolve(state, s.event);
  return state;
}
