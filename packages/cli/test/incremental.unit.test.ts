import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareDecisions,
  defaultParameters,
  IncrementalEvaluation,
  IncrementalLayer,
  isDecision,
  parseScenario,
  recomputeDecisions,
  simulateScenario,
  type Scenario,
  type SimulationOutcome,
} from '@bijstand/domain';
import { mulberry32 } from '@bijstand/testkit';
import { generateHouseholds, type RawInput } from '@bijstand/testkit';

/**
 * The differential test of the incremental-evaluation layer (memos, month fingerprints, skipped
 * months, skipped quiet nights): the benchmark's synthetic population, night by night, decides
 * byte-identical events with the layer on and off.
 */
const HOUSEHOLDS = 160;
const FIRST_NIGHT = '2026-11-01';
const LAST_NIGHT = '2027-12-31';

/** The generator's population, plus what it has too little of: withdrawals, late closures, late household changes. */
function population(): Scenario[] {
  const rand = mulberry32(20270101);
  const byHousehold = new Map<string, RawInput[]>();
  let current = '';
  for (const input of generateHouseholds({ households: HOUSEHOLDS, seed: 11, startMonth: '2027-01', months: 10 })) {
    if (input.case) current = String(input.case.householdId);
    byHousehold.set(current, [...(byHousehold.get(current) ?? []), input]);
  }
  return [...byHousehold].map(([householdId, inputs]) => {
    const extra: RawInput[] = [];
    const statements = inputs.filter((i) => i.statement);
    const r = rand();
    if (statements.length > 3 && r < 0.25) {
      // A statement withdrawn two months after it was recorded.
      const s = statements[1 + Math.floor(rand() * (statements.length - 2))]!;
      extra.push({ recordedAt: addDays(s.recordedAt.slice(0, 10), 60) + 'T08:00:00Z', statement: { ...s.statement, messageId: `${String(s.statement!.messageId)}-w`, kind: 'withdrawal' } });
    } else if (r < 0.35) {
      // A closure recorded late: months already paid are settled back.
      extra.push({ recordedAt: '2027-07-10T08:00:00Z', case: { type: 'CaseClosed', householdId, endDate: '2027-05-31' } });
    } else if (r < 0.45) {
      extra.push({ recordedAt: '2027-06-03T08:00:00Z', case: { type: 'HouseholdChanged', householdId, effectiveDate: '2027-04-01', category: 'single', costSharers: 2 } });
    }
    const raw = { inputs: [...inputs, ...extra].sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt)), runs: { from: FIRST_NIGHT, to: LAST_NIGHT } };
    return parseScenario(raw, defaultParameters);
  });
}

const decisionsText = (o: SimulationOutcome) => o.events.filter(isDecision).map((e) => JSON.stringify(e));

describe('incremental evaluation on and off decide the same, byte for byte', () => {
  const scenarios = population();
  const withoutLayer = new Map<Scenario, string[]>();
  const decidedWithoutLayer = (scenario: Scenario) => {
    let text = withoutLayer.get(scenario);
    if (!text) withoutLayer.set(scenario, (text = decisionsText(simulateScenario(scenario, 'v-test'))));
    return text;
  };

  it('the synthetic population, night by night', () => {
    let decisions = 0;
    let paid = 0;
    for (const scenario of scenarios) {
      const on = simulateScenario(scenario, 'v-test', { incremental: new IncrementalLayer() });
      expect(on.rejected).toEqual([]);
      const off = decidedWithoutLayer(scenario);
      expect(decisionsText(on)).toEqual(off);
      decisions += off.length;
      paid += off.filter((e) => e.includes('"type":"PaymentMade"')).length;
    }
    // Every household is paid every month of its case; the mix settles and re-settles thousands of months.
    expect(scenarios.length).toBe(HOUSEHOLDS);
    expect(paid).toBeGreaterThan(HOUSEHOLDS * 10);
    expect(decisions).toBeGreaterThan(HOUSEHOLDS * 25);
  });

  it('replay with quiet nights skipped equals replay of every night', () => {
    for (const scenario of scenarios.filter((_, i) => i % 8 === 0)) {
      const sim = simulateScenario(scenario, 'v-test', { incremental: new IncrementalLayer() });
      const ctx = { params: scenario.parameters, policy: scenario.policy };
      for (const asOf of ['2027-03-26T02:00:00Z', `${LAST_NIGHT}T02:00:00Z`]) {
        const every = recomputeDecisions(sim.stored, sim.runs, asOf, ctx, 'v-test');
        const skipping = recomputeDecisions(sim.stored, sim.runs, asOf, ctx, 'v-test', undefined, { incremental: new IncrementalLayer() });
        expect(skipping.decisions.map((d) => JSON.stringify(d))).toEqual(every.decisions.map((d) => JSON.stringify(d)));
        const stored = sim.stored.filter((s) => isDecision(s.event) && Date.parse(s.recordedAt) <= Date.parse(asOf));
        expect(compareDecisions(stored, skipping.decisions, 'v-test').differences).toEqual([]);
      }
    }
  });

  it('fails when a memo is broken: a layer that never notices a new statement decides differently', () => {
    // Broken on purpose: a month once computed counts as unchanged for ever (the fingerprint check is gone).
    class StaleEvaluation extends IncrementalEvaluation {
      private readonly seen = new Set<string>();
      override monthUnchanged(state: Parameters<IncrementalEvaluation['monthUnchanged']>[0], _K: unknown, _rules: unknown, month: string) {
        return this.seen.has(month) && state.months.has(month);
      }
      override monthComputed(_state: unknown, _K: unknown, _rules: unknown, month: string) {
        this.seen.add(month);
      }
    }
    class StaleLayer extends IncrementalLayer {
      override forHousehold() {
        return new StaleEvaluation(this, new Map());
      }
    }
    const differing = scenarios.filter((scenario) => {
      const stale = simulateScenario(scenario, 'v-test', { incremental: new StaleLayer() });
      return JSON.stringify(decisionsText(stale)) !== JSON.stringify(decidedWithoutLayer(scenario));
    });
    // Every household whose statements come after its months were first settled (late payslips, corrections).
    expect(differing.length).toBeGreaterThan(5);
  });
});
