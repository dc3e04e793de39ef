import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addDays,
  compareDecisions,
  decisionKey,
  DecisionComparison,
  defaultParameters,
  IncrementalLayer,
  isDecision,
  parseScenario,
  recomputeDecisions,
  simulateScenario,
  type DecisionContext,
  type Scenario,
  type SimulationOutcome,
  type StoredHouseholdEvent,
} from '@bijstand/domain';
import { generateHouseholds, type RawInput } from '@bijstand/synthetic';
import { replayShortcutsEnabled, whatIf } from '../src/index.js';

/**
 * The differential test of replay's shortcuts (nights whose new statements change nothing are not
 * re-run): replay with them on and off recomputes byte-identical decisions, and reports the same
 * differences when the rules changed, on the worked examples and on synthetic households with weekly
 * pay (the households the shortcut is for), with what the generator has too little of: withdrawals,
 * a second employer, a case closed while statements still arrive.
 */
const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const FIRST_NIGHT = '2026-11-01';
const LAST_NIGHT = '2028-01-31';

function workedExamples(): Scenario[] {
  return readdirSync(examples)
    .filter((f) => f.endsWith('.scenario.json'))
    .map((f) => parseScenario(JSON.parse(readFileSync(join(examples, f), 'utf8')), defaultParameters));
}

/** Households of the benchmark's generator with weekly or four-weekly pay, some with a twist each. */
function payrollHouseholds(): Scenario[] {
  const byHousehold = new Map<string, RawInput[]>();
  let current = '';
  for (const input of generateHouseholds({ households: 260, seed: 26, startMonth: '2027-01', months: 12 })) {
    if (input.case) current = String(input.case.householdId);
    byHousehold.set(current, [...(byHousehold.get(current) ?? []), input]);
  }
  const periodKind = (inputs: RawInput[]) =>
    (inputs.find((i) => i.statement)?.statement?.period as { kind: string } | undefined)?.kind;
  const chosen = [...byHousehold].filter(([, inputs]) => ['week', 'four-weeks'].includes(periodKind(inputs) ?? ''));
  return chosen.map(([householdId, inputs], i) => {
    const statements = inputs.filter((x) => x.statement).map((x) => x.statement!);
    const extra: RawInput[] = [];
    const s = statements[Math.floor(statements.length / 3)]!;
    if (i % 3 === 0) {
      // A statement withdrawn five weeks after it was recorded: its month is settled again.
      const recordedAt = `${addDays(String((s.period as { end: string }).end), 53)}T08:00:00Z`;
      extra.push({ recordedAt, statement: { ...s, messageId: `${String(s.messageId)}-w`, kind: 'withdrawal' } });
    } else if (i % 3 === 1) {
      // A second employer from the summer on, weekly: a new income relationship raises an alert.
      for (let start = '2027-07-05'; start < '2027-10-01'; start = addDays(start, 7)) {
        const end = addDays(start, 6);
        extra.push({
          recordedAt: `${addDays(end, 4)}T10:00:00Z`,
          statement: {
            ...s,
            messageId: `${householdId}-second-${start}`,
            incomeRelationshipId: `${householdId}-second`,
            employer: { payrollTaxNumber: '987654321L01', name: 'Tweede Werkgever' },
            period: { start, end, kind: 'week' },
            paymentDate: end,
            taxableWage: '120.00',
            withheldTax: '4.80',
            holidayAllowanceAccrued: '9.60',
          },
        });
      }
    } else {
      // Closed at the end of August, recorded in September: statements after it fall outside the case.
      extra.push({
        recordedAt: '2027-09-12T08:00:00Z',
        case: { type: 'CaseClosed', householdId, endDate: '2027-08-31' },
      });
    }
    const all = [...inputs, ...extra].sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
    return parseScenario({ inputs: all, runs: { from: FIRST_NIGHT, to: LAST_NIGHT } }, defaultParameters);
  });
}

const texts = (decisions: Array<{ event: unknown; recordedAt: string }>) => decisions.map((d) => JSON.stringify(d));
/** The decisions up to T as the store gives them back: with their text, compared without parsing. */
const storedUpTo = (sim: SimulationOutcome, asOf: string): StoredHouseholdEvent[] =>
  sim.stored
    .filter((s) => isDecision(s.event) && Date.parse(s.recordedAt) <= Date.parse(asOf))
    .map((s) => ({
      ...s,
      stored: { type: s.event.type, eventId: decisionKey(s.event), dataText: JSON.stringify(s.event.data) },
    }));

function replayBothWays(sim: SimulationOutcome, asOf: string, ctx: DecisionContext, rulesVersion = 'v-test') {
  const stored = storedUpTo(sim, asOf);
  const replay = (skipQuietStatements: boolean, comparison?: DecisionComparison) =>
    recomputeDecisions(sim.stored, sim.runs, asOf, ctx, rulesVersion, undefined, {
      incremental: new IncrementalLayer(),
      skipQuietStatements,
      comparison,
    });
  const on = replay(true);
  const off = replay(false);
  // Compared as recomputed (only what differs is kept) and compared at the end: the same report.
  const comparison = new DecisionComparison(stored);
  const differing = replay(true, comparison).decisions;
  const report = comparison.result(rulesVersion);
  expect(report).toEqual(compareDecisions(stored, off.decisions, rulesVersion));
  expect(JSON.stringify(report)).toBe(JSON.stringify(compareDecisions(stored, off.decisions, rulesVersion)));
  expect(differing.length).toBeLessThanOrEqual(report.differences.length);
  return { on, off, report };
}

describe('replay shortcuts on and off recompute the same, byte for byte', () => {
  it('the worked examples, as of every nightly run', () => {
    let checked = 0;
    for (const scenario of workedExamples()) {
      const ctx = { params: scenario.parameters, policy: scenario.policy };
      const sim = simulateScenario(scenario, 'v-test', { incremental: new IncrementalLayer() });
      for (const run of sim.runs.filter((_, i) => i % 20 === 0 || i === sim.runs.length - 1)) {
        const { on, off } = replayBothWays(sim, run.runAt, ctx);
        expect(texts(on.decisions)).toEqual(texts(off.decisions));
        expect(compareDecisions(storedUpTo(sim, run.runAt), on.decisions, 'v-test').differences).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  const households = payrollHouseholds();

  it('synthetic households with weekly and four-weekly pay, with withdrawals, a second employer, a closure', () => {
    let skipped = 0;
    let nights = 0;
    for (const scenario of households) {
      const ctx = { params: scenario.parameters, policy: scenario.policy };
      const sim = simulateScenario(scenario, 'v-test', { incremental: new IncrementalLayer() });
      for (const asOf of ['2027-07-26T02:00:00Z', '2027-10-03T02:00:00Z', `${LAST_NIGHT}T02:00:00Z`]) {
        const { on, off } = replayBothWays(sim, asOf, ctx);
        expect(texts(on.decisions)).toEqual(texts(off.decisions));
        expect(compareDecisions(storedUpTo(sim, asOf), on.decisions, 'v-test').differences).toEqual([]);
        skipped += off.nightsRun - on.nightsRun;
        nights += off.nightsRun;
      }
    }
    // The mix the shortcut is for is there, and the shortcut skips most of the nights with a statement.
    const weekly = households.filter((s) => s.rawInputs.some((i) => /"kind":"week"/.test(JSON.stringify(i))));
    expect(weekly.length).toBeGreaterThan(4);
    expect(households.length - weekly.length).toBeGreaterThan(4);
    expect(skipped).toBeGreaterThan(nights / 3);
  }, 120_000);

  it('a household whose stored decisions differ is reported with the same differences either way', () => {
    const fields: string[] = [];
    for (const scenario of households.slice(0, 6)) {
      const sim = simulateScenario(scenario, 'v-old', { incremental: new IncrementalLayer() });
      const norm = scenario.parameters.norm;
      const changedNorm = { ...scenario.parameters, norm: norm.map((row) => ({ ...row, single: '1500.00' })) };
      const asOf = `${LAST_NIGHT}T02:00:00Z`;
      const { on, off, report } = replayBothWays(sim, asOf, { params: changedNorm, policy: scenario.policy }, 'v-new');
      const stored = storedUpTo(sim, asOf);
      const withShortcut = compareDecisions(stored, on.decisions, 'v-new');
      expect(withShortcut.identical).toBe(false);
      expect(withShortcut).toEqual(compareDecisions(stored, off.decisions, 'v-new'));
      // The changed norm shows in the amounts, month by month, the same either way.
      fields.push(...report.differences.map((d) => d.field));
      const versioned = stored.filter((d) => 'rulesVersion' in d.event.data).length;
      expect(report.storedRulesVersions).toEqual({ 'v-old': versioned });
    }
    expect(fields).toContain('values.norm');
    expect(fields).toContain('explanation');
  });

  it('a decision recomputed twice under one key is compared as the last one, as at the end', () => {
    const [scenario] = households;
    const sim = simulateScenario(scenario!, 'v-test', { incremental: new IncrementalLayer() });
    const stored = storedUpTo(sim, `${LAST_NIGHT}T02:00:00Z`);
    const first = stored[0]!;
    const data = { ...first.event.data, runDate: '2099-01-01' };
    const changed = { event: { ...first.event, data }, recordedAt: first.recordedAt } as StoredHouseholdEvent;
    for (const order of [
      [first, changed],
      [changed, first],
    ]) {
      const comparison = new DecisionComparison(stored);
      for (const d of [...order, ...stored.slice(1)]) comparison.offer(d);
      expect(comparison.result('v-test')).toEqual(compareDecisions(stored, [...order, ...stored.slice(1)], 'v-test'));
    }
  });

  it('what-if with corrected weekly statements: the same outcome either way', () => {
    const scenario = households.find((s) => s.rawInputs.some((i) => /"kind":"week"/.test(JSON.stringify(i))))!;
    const ctx = { params: scenario.parameters, policy: scenario.policy };
    const sim = simulateScenario(scenario, 'v-test', { incremental: new IncrementalLayer() });
    // Every fifth statement corrected to a lower wage, recorded when the statement was.
    const extra = sim.stored
      .filter((s) => s.event.type === 'IncomeStatementRecorded')
      .filter((_, i) => i % 5 === 0)
      .map((s): StoredHouseholdEvent => {
        const { statement } = (s.event as Extract<typeof s.event, { type: 'IncomeStatementRecorded' }>).data;
        const corrected = { ...statement, messageId: `${statement.messageId}-c`, kind: 'correction' as const };
        const data = {
          statement: { ...corrected, taxableWage: '50.00', withheldTax: '2.00' },
          channel: 'inline' as const,
        };
        return {
          event: { type: 'IncomeStatementRecorded', data: { ...data, recordedAt: s.recordedAt } },
          recordedAt: s.recordedAt,
        };
      });
    const asOf = `${LAST_NIGHT}T02:00:00Z`;
    const on = whatIf(sim.stored, sim.runs, asOf, extra, ctx, undefined, new IncrementalLayer(), true);
    const off = whatIf(sim.stored, sim.runs, asOf, extra, ctx, undefined, new IncrementalLayer(), false);
    expect(on).toEqual(off);
    expect(on.netOwedTotal).not.toBe('0.00');
  });

  it('REPLAY_SHORTCUTS switches them, on by default; anything else is refused', () => {
    expect(replayShortcutsEnabled({})).toBe(true);
    expect(replayShortcutsEnabled({ REPLAY_SHORTCUTS: 'off' })).toBe(false);
    expect(() => replayShortcutsEnabled({ REPLAY_SHORTCUTS: 'no' })).toThrow(/REPLAY_SHORTCUTS: must be "on" or "off"/);
  });
});
