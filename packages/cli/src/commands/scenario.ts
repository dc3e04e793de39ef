import { randomBytes } from 'node:crypto';
import { defaultParameters, parseScenario, projectResult, simulateScenario, ScenarioInvalid } from '@bijstand/domain';
import { createLogger, readRuntimeEnv, rulesVersionOf, storeFromEnv } from '@bijstand/platform';
import { UsageError } from '../args.js';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { readJsonFile, requirePseudonymKey } from './shared.js';

export async function scenarioCommand(
  file: string,
  options: { engine: 'pipeline' | 'domain'; store?: string },
): Promise<void> {
  let scenario;
  try {
    scenario = parseScenario(readJsonFile(file), defaultParameters);
  } catch (err) {
    if (err instanceof ScenarioInvalid) throw new UsageError(`${file}: ${err.reason}`);
    throw err;
  }
  const logger = createLogger('scenario', { level: process.env.LOG_LEVEL ?? 'silent' });
  let result;
  if (options.engine === 'domain') {
    const outcome = simulateScenario(scenario, rulesVersionOf(scenario.parameters, scenario.policy));
    for (const r of outcome.rejected) process.stderr.write(`rejected input recorded at ${r.recordedAt}: ${r.reason}\n`);
    result = projectResult(outcome.state, outcome.events);
  } else {
    const storeName = options.store ?? 'memory';
    // In memory no pseudonym leaves the process: a key of its own will do. A file keeps them: the real key.
    if (storeName === 'memory') process.env.BSN_PSEUDONYM_KEY ||= randomBytes(32).toString('hex');
    else requirePseudonymKey();
    const store = await storeFromEnv(readRuntimeEnv(), storeName);
    try {
      const outcome = await runScenarioThroughPipeline(scenario, store, logger);
      for (const r of outcome.rejected) process.stderr.write(`rejected inputs[${r.index}]: ${r.reason}\n`);
      result = outcome.result;
    } finally {
      await store.close();
    }
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
