import { readFileSync } from 'node:fs';
import { defaultParameters, parseScenario, projectResult, simulateScenario, ScenarioInvalid } from '@bijstand/domain';
import { rulesVersionOf } from './rulesVersion.js';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function scenarioCommand(file: string | undefined): void {
  if (!file) fail('usage: cli scenario FILE');
  let scenario;
  try {
    scenario = parseScenario(readJson(file), defaultParameters);
  } catch (err) {
    if (err instanceof ScenarioInvalid) fail(`${file}: ${err.reason}`);
    throw err;
  }
  const outcome = simulateScenario(scenario, rulesVersionOf(scenario.parameters, scenario.policy));
  for (const r of outcome.rejected) process.stderr.write(`rejected input recorded at ${r.recordedAt}: ${r.reason}\n`);
  process.stdout.write(`${JSON.stringify(projectResult(outcome.state, outcome.events), null, 2)}\n`);
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'scenario':
    scenarioCommand(args[0]);
    break;
  default:
    fail(`unknown command ${command ?? '(none)'}; commands: scenario FILE`);
}
