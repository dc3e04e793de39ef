import {
  householdIdOfCaseInputs,
  initialHouseholdState,
  inputsInRecordingOrder,
  instantMillis,
  projectResult,
  runInstants,
  type Scenario,
  type ScenarioResult,
} from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { loadHousehold, rulesVersionOf, type Logger } from '@bijstand/platform';
import { Ingestor, type IngestOutcome } from '@bijstand/ingest';
import { NightlySettlement } from '@bijstand/settlement';

export interface PipelineOutcome {
  result: ScenarioResult;
  rejected: Array<{ index: number; reason: string }>;
}

/**
 * Runs a scenario through the services: every input is ingested as a raw message when the virtual
 * clock passes its recordedAt, then the nightly run settles the household. Same output as the domain
 * simulation, now read back from the event store.
 */
export async function runScenarioThroughPipeline(
  scenario: Scenario,
  store: EventStore,
  logger: Logger,
): Promise<PipelineOutcome> {
  const ctx = { params: scenario.parameters, policy: scenario.policy };
  const ingestor = new Ingestor(store, ctx, logger);
  const settlement = new NightlySettlement(store, ctx, rulesVersionOf(scenario.parameters, scenario.policy), logger);
  const inputs = inputsInRecordingOrder(scenario.rawInputs.map((raw, index) => ({ ...raw, index })));
  const rejected: PipelineOutcome['rejected'] = [];
  let next = 0;
  for (const run of runInstants(scenario.runs)) {
    const until = instantMillis(run.at);
    while (next < inputs.length && instantMillis(inputs[next]!.recordedAt) <= until) {
      const input = inputs[next++]!;
      const outcome: IngestOutcome = await ingestor.ingest({
        kind: input.statement !== undefined ? 'statement' : 'case',
        payload: JSON.stringify(input.statement ?? input.case),
        recordedAt: input.recordedAt,
        source: { type: 'inline', reference: `inputs[${input.index}]` },
      });
      if (outcome.status === 'rejected') rejected.push({ index: input.index, reason: outcome.reason });
    }
    await settlement.runNightly({ runDate: run.date, runAt: run.at });
  }
  const householdId = householdIdOfCaseInputs(scenario.inputs);
  const household = householdId ? await loadHousehold(store, householdId) : null;
  const result = household
    ? projectResult(household.state, household.events)
    : projectResult(initialHouseholdState(), []);
  return { result, rejected };
}
