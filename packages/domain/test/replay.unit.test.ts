import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareDecisions,
  dateCanChangeDecisions,
  defaultParameters,
  defaultPolicy,
  IncrementalLayer,
  isDecision,
  parseScenario,
  recomputeDecisions,
  simulateScenario,
  instantMillis,
} from '../src/index.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const load = (name: string) =>
  parseScenario(JSON.parse(readFileSync(join(examples, `${name}.scenario.json`), 'utf8')), defaultParameters);

describe('replay (SPEC §10): rebuilding from the events recorded up to T reproduces the decisions taken at T', () => {
  const names = readdirSync(examples)
    .filter((f) => f.endsWith('.scenario.json'))
    .map((f) => f.replace('.scenario.json', ''));
  it('covers the ten worked examples', () => expect(names).toHaveLength(10));
  for (const name of names) {
    it(`${name}: identical as of every nightly-run instant`, () => {
      const scenario = load(name);
      const ctx = { params: scenario.parameters, policy: scenario.policy };
      const incremental = new IncrementalLayer();
      const sim = simulateScenario(scenario, 'v-test', { incremental });
      // Each prefix is recomputed from scratch: the replay must not lean on any later knowledge.
      let checked = 0;
      for (const run of sim.runs) {
        const limit = instantMillis(run.runAt);
        const storedUpToT = sim.stored.filter((s) => isDecision(s.event) && instantMillis(s.recordedAt) <= limit);
        const { decisions } = recomputeDecisions(sim.stored, sim.runs, run.runAt, ctx, 'v-test', undefined, {
          incremental,
        });
        const cmp = compareDecisions(storedUpToT, decisions, 'v-test');
        expect(cmp.differences).toEqual([]);
        checked++;
      }
      expect(checked).toBe(sim.runs.length);
    });
  }

  it('reports a changed rule as a difference naming the month, field, stored and recomputed value', () => {
    const scenario = load('couple-correction');
    const sim = simulateScenario(scenario, 'v-old');
    const changedNorm = {
      ...scenario.parameters,
      norm: [...scenario.parameters.norm.slice(0, -1), { ...scenario.parameters.norm.at(-1)!, couple: '2050.00' }],
    };
    const asOf = '2027-03-02T03:00:00Z';
    const { decisions } = recomputeDecisions(
      sim.stored,
      sim.runs,
      asOf,
      { params: changedNorm, policy: scenario.policy },
      'v-new',
    );
    const stored = sim.stored.filter((s) => isDecision(s.event) && instantMillis(s.recordedAt) <= instantMillis(asOf));
    const cmp = compareDecisions(stored, decisions, 'v-new');
    expect(cmp.identical).toBe(false);
    // January settled, and two payments (January, February), each proposed and then made.
    expect(cmp.storedRulesVersions).toEqual({ 'v-old': 5 });
    expect(cmp.differences).toContainEqual({
      decision: 'settled:2027-01:v1',
      month: '2027-01',
      field: 'values.norm',
      stored: '2040.00',
      recomputed: '2050.00',
    });
  });

  it.each([
    ['2027-03-02', '2027-03-24', false, 'same month, before the payday'],
    ['2027-03-24', '2027-03-25', true, 'the payday comes'],
    ['2027-03-20', '2027-03-27', true, 'the payday passed in between'],
    ['2027-03-25', '2027-03-31', false, 'same month, after the payday'],
    ['2027-03-31', '2027-04-01', true, 'a new month: another month becomes eligible'],
  ])('a night after %s on %s can change decisions: %s (%s)', (previous, runDate, expected) => {
    // payDay 25 (default policy): replay skips the nights for which this is false and nothing new was recorded.
    expect(defaultPolicy.payDay).toBe(25);
    expect(dateCanChangeDecisions(previous, runDate, defaultPolicy)).toBe(expected);
  });
});
