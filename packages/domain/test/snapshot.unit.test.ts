import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decideNight,
  defaultParameters,
  evolve,
  initialHouseholdState,
  instantMillis,
  parseScenario,
  simulateScenario,
  snapshotOf,
  stateFromSnapshot,
  SNAPSHOT_FORMAT,
  type HouseholdState,
} from '../src/index.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const load = (name: string) =>
  parseScenario(JSON.parse(readFileSync(join(examples, `${name}.scenario.json`), 'utf8')), defaultParameters);
const throughJson = (state: HouseholdState) => stateFromSnapshot(JSON.parse(JSON.stringify(snapshotOf(state))))!;

describe('household snapshots: a worker may start from one instead of folding the stream', () => {
  for (const name of ['couple-correction', 'ferd-four-weekly', 'ikb-december', 'job-ends-rule-c']) {
    it(`${name}: every night decides the same from the snapshot as from the folded stream`, () => {
      const scenario = load(name);
      const ctx = { params: scenario.parameters, policy: scenario.policy };
      const sim = simulateScenario(scenario, 'v-test');
      let decisions = 0;
      for (const run of sim.runs) {
        // The state as the night found it: everything recorded before the run's instant.
        const folded = initialHouseholdState();
        for (const s of sim.stored) if (instantMillis(s.recordedAt) < instantMillis(run.runAt)) evolve(folded, s.event);
        const restored = throughJson(folded);
        expect(snapshotOf(restored)).toEqual(snapshotOf(folded));
        const cmd = { type: 'RunNightly' as const, runDate: run.runDate, runAt: run.runAt, rulesVersion: 'v-test' };
        const fromFold = decideNight(cmd, folded, ctx);
        expect(JSON.stringify(decideNight(cmd, restored, ctx))).toBe(JSON.stringify(fromFold));
        decisions += fromFold.length;
      }
      // The nights decided something: the comparison was not between two empty lists.
      expect(decisions).toBeGreaterThan(5);
    });
  }

  it('keeps balances exactly, also beyond cents', () => {
    const state = initialHouseholdState();
    state.ledgerBalance = state.ledgerBalance.plus('-1288.475');
    expect(throughJson(state).ledgerBalance.toString()).toBe('-1288.475');
  });

  it('a snapshot made by another engine or format is not used', () => {
    const snapshot = snapshotOf(initialHouseholdState());
    expect(snapshot.format).toBe(SNAPSHOT_FORMAT);
    expect(stateFromSnapshot({ ...snapshot, format: 'household-state/1+engine-0.9.0' })).toBeNull();
  });
});
