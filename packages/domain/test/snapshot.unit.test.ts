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

  it('packs months and payments, and reads back the same values under the same keys in the same order', () => {
    const sim = simulateScenario(load('couple-correction'), 'v-test');
    const folded = sim.state;
    // A month as an older event wrote it (upcast MonthSettled v2: another key order) is kept as it is.
    const [oldMonth, oldSettled] = [...folded.months][0]!;
    const { measureReduction, incomeFromWork, partnerIncomeCounted, ...rest } = oldSettled.values;
    folded.months.set(oldMonth, {
      version: oldSettled.version,
      values: { measureReduction, incomeFromWork, partnerIncomeCounted, ...rest },
    });
    const snapshot = JSON.parse(JSON.stringify(snapshotOf(folded)));
    expect(snapshot.state.months.filter((m: unknown[]) => m.length === 3).length).toBe(folded.months.size - 1);
    expect(snapshot.state.payments.every((p: unknown[]) => typeof p[1] === 'string')).toBe(true);
    expect(folded.payments.size).toBeGreaterThan(3);
    const restored = stateFromSnapshot(snapshot)!;
    expect(JSON.stringify([...restored.months])).toBe(JSON.stringify([...folded.months]));
    expect(JSON.stringify([...restored.payments])).toBe(JSON.stringify([...folded.payments]));
    expect(restored.months.get('2027-02')?.values.assistance).toBe(folded.months.get('2027-02')?.values.assistance);
    // A relationship's first statement is its key's record itself, as in the folded state, not a copy.
    expect(folded.firstStatementOfRelationship.size).toBeGreaterThan(0);
    const records = [...restored.statementsByKey.values()].flatMap((of) => [of.polis, of.payslip]);
    for (const [rel, first] of restored.firstStatementOfRelationship) {
      expect(JSON.stringify(first)).toBe(JSON.stringify(folded.firstStatementOfRelationship.get(rel)));
      expect(records.includes(first)).toBe(records.some((r) => r?.sequence === first.sequence));
    }
  });

  it('keeps balances exactly, also beyond cents', () => {
    const state = initialHouseholdState();
    state.ledgerBalance = state.ledgerBalance.plus('-1288.475');
    expect(throughJson(state).ledgerBalance.toString()).toBe('-1288.475');
  });

  it('a snapshot made by another engine or format is not used', () => {
    const snapshot = snapshotOf(initialHouseholdState());
    expect(snapshot.format).toBe(SNAPSHOT_FORMAT);
    expect(stateFromSnapshot({ ...snapshot, format: 'household-state/1+engine-0.9.0' })).toBeNull();
    // Format 2 (months and payments unpacked) of this very engine: ignored too, the stream is folded.
    expect(
      stateFromSnapshot({ ...snapshot, format: SNAPSHOT_FORMAT.replace('household-state/3', 'household-state/2') }),
    ).toBeNull();
  });
});
