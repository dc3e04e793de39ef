import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultParameters, householdIdOfCaseInputs, parseScenario, type Scenario } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';

export const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
export const examplesDir = join(repoRoot, 'test', 'fixtures', 'examples');
export const goldenDir = join(repoRoot, 'test', 'fixtures', 'golden');

export const exampleNames = (): string[] =>
  readdirSync(examplesDir)
    .filter((f) => f.endsWith('.scenario.json'))
    .map((f) => f.replace('.scenario.json', ''))
    .sort();

export interface RunExample {
  name: string;
  scenario: Scenario;
  householdId: string;
  /** The instant of the example's last nightly run: its reference result is the household then. */
  asOf: string;
  store: EventStore;
}

/** A worked example run through the services into a fresh memory store. */
export async function runExample(name: string): Promise<RunExample> {
  const scenario = parseScenario(
    JSON.parse(readFileSync(join(examplesDir, `${name}.scenario.json`), 'utf8')),
    defaultParameters,
  );
  const store = await openEventStore({ kind: 'memory' });
  await runScenarioThroughPipeline(scenario, store, createLogger('test', { level: 'silent' }));
  return {
    name,
    scenario,
    householdId: householdIdOfCaseInputs(scenario.inputs)!,
    asOf: `${scenario.runs.to}T${scenario.runs.at}:00Z`,
    store,
  };
}
