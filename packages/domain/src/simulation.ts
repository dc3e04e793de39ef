import type { Instant, IsoDate } from './dates.js';
import type { PolisIncomeStatement } from './schemas.js';
import { decide, CommandRejected, type DecisionContext, type HouseholdCommand } from './decider.js';
import { decideNight } from './night.js';
import { evolve, initialHouseholdState, type HouseholdState } from './household.js';
import { snapshotOf, stateFromSnapshot } from './snapshot.js';
import type { HouseholdEvent } from './events.js';
import { inputsInRecordingOrder, instantMillis, runInstants, type Scenario, type ScenarioInput } from './scenario.js';
import type { IncrementalLayer } from './incremental/evaluation.js';
import { statementVersionVerdict } from './statementVersions.js';

/*
 * A pure, in-memory simulation of a scenario: the reference driver of the decider. The services run
 * the same commands through the event store; tests compare the two.
 */

export interface SimulationOutcome {
  events: HouseholdEvent[];
  /** Every event with the instant it was recorded: inputs at their recordedAt, decisions at their run. */
  stored: Array<{ event: HouseholdEvent; recordedAt: Instant }>;
  runs: Array<{ runDate: IsoDate; runAt: Instant }>;
  rejected: Array<{ recordedAt: Instant; reason: string }>;
  state: ReturnType<typeof initialHouseholdState>;
}

/**
 * `incremental`: decide with the incremental-evaluation layer (default: compute everything). `cold`: as a
 * worker that does not hold the household, every night starts from the snapshot (state and memos, through
 * JSON) taken after the night before, with what was recorded since folded on top.
 */
export function simulateScenario(
  scenario: Scenario,
  rulesVersion: string,
  options: { incremental?: IncrementalLayer; cold?: boolean } = {},
): SimulationOutcome {
  let state: HouseholdState = initialHouseholdState();
  const events: HouseholdEvent[] = [];
  const stored: SimulationOutcome['stored'] = [];
  const runs: SimulationOutcome['runs'] = [];
  const rejected: SimulationOutcome['rejected'] = [];
  let evaluation = options.incremental?.forHousehold();
  const ctx: DecisionContext = { params: scenario.parameters, policy: scenario.policy, evaluation };
  let now: Instant = '';
  const apply = (command: HouseholdCommand) => {
    for (const e of decide(command, state, ctx)) {
      events.push(e);
      stored.push({ event: e, recordedAt: now });
      evolve(state, e);
    }
  };
  const pending = inputsInRecordingOrder(scenario.inputs);
  // Statements that arrive before their case is opened wait for it (parked), as in ingest.
  let parked: Array<Extract<ScenarioInput, { statement: PolisIncomeStatement }>> = [];
  let next = 0;
  const record = (input: ScenarioInput) => {
    try {
      now = input.recordedAt;
      if (input.invalid !== undefined) throw new CommandRejected(input.invalid);
      if (input.statement) {
        if (state.householdId === null) {
          parked.push(input as Extract<ScenarioInput, { statement: PolisIncomeStatement }>);
          return;
        }
        // SPEC §1.1 as ingest applies it: an initial after its key's correction or withdrawal is superseded.
        const verdict = statementVersionVerdict(state, input.statement);
        if (verdict.kind === 'superseded') throw new CommandRejected(verdict.reason);
        apply({
          type: 'RecordIncomeStatement',
          statement: input.statement,
          recordedAt: input.recordedAt,
          channel: 'inline',
        });
      } else {
        apply({ type: 'RecordCaseEvent', event: input.case!, recordedAt: input.recordedAt });
        if (state.householdId !== null && parked.length > 0) {
          const waiting = parked;
          parked = [];
          for (const p of waiting) record(p);
        }
      }
    } catch (err) {
      if (!(err instanceof CommandRejected)) throw err;
      rejected.push({ recordedAt: input.recordedAt, reason: err.reason });
    }
  };
  let snapshot: { text: string; events: number } | null = null;
  for (const run of runInstants(scenario.runs)) {
    const until = instantMillis(run.at);
    while (next < pending.length && instantMillis(pending[next]!.recordedAt) <= until) record(pending[next++]!);
    if (options.cold && snapshot) {
      const saved = JSON.parse(snapshot.text);
      state = stateFromSnapshot(saved.household)!;
      for (const e of events.slice(snapshot.events)) evolve(state, e);
      ctx.evaluation = evaluation = options.incremental?.forHousehold(saved.evaluation);
    }
    now = run.at;
    runs.push({ runDate: run.date, runAt: run.at });
    for (const e of decideNight({ type: 'RunNightly', runDate: run.date, runAt: run.at, rulesVersion }, state, ctx)) {
      events.push(e);
      stored.push({ event: e, recordedAt: now });
      evolve(state, e);
    }
    if (options.cold)
      snapshot = {
        text: JSON.stringify({ household: snapshotOf(state), evaluation: evaluation?.save() }),
        events: events.length,
      };
  }
  return { events, stored, runs, rejected, state };
}
