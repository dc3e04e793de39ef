import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultParameters, parseScenario, projectResult, simulateScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import {
  createLogger,
  householdStream,
  rulesVersionOf,
  toHouseholdEvent,
  SCHEMA_VERSIONS,
  NIGHTLY_RUNS_STREAM,
  RULES_VERSIONS_STREAM,
} from '@bijstand/platform';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { loadStoredHousehold, parseWhatIfInputs, replayAsOf, whatIf } from '@bijstand/replay';

const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const logger = createLogger('test', { level: 'silent' });
const raw = () => JSON.parse(readFileSync(join(examples, 'couple-correction.scenario.json'), 'utf8'));

describe('objection cases (bezwaar): replay from the event store', () => {
  it('the couple example replays identical as of several instants, and names its rules version', async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const { stored, runs } = await loadStoredHousehold(store, 'H-couple');
    const ctx = { params: scenario.parameters, policy: scenario.policy };
    for (const asOf of [
      '2027-03-01T02:00:00Z',
      '2027-05-25T02:00:00Z',
      '2027-07-04T02:00:00Z',
      '2027-07-25T02:00:00Z',
      '2027-11-30T02:00:00Z',
    ]) {
      const cmp = replayAsOf(stored, runs, asOf, ctx);
      expect(cmp.differences, asOf).toEqual([]);
      expect(Object.keys(cmp.storedRulesVersions)).toEqual([cmp.currentRulesVersion]);
    }
  });

  it("replays under the rules each night ran under (recorded then), or under today's rules on request", async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const { stored, runs, rulesByVersion } = await loadStoredHousehold(store, 'H-couple');
    expect([...rulesByVersion.keys()]).toEqual([rulesVersionOf(scenario.parameters, scenario.policy)]);
    expect(runs.every((r) => rulesByVersion.has(r.rulesVersion!))).toBe(true);
    // Since then the 2027 couple norm was corrected in the tables.
    const norms = scenario.parameters.norm;
    const today = {
      params: { ...scenario.parameters, norm: [...norms.slice(0, -1), { ...norms.at(-1)!, couple: '2050.00' }] },
      policy: scenario.policy,
    };
    const asOf = '2027-03-02T03:00:00Z';
    const then = replayAsOf(stored, runs, asOf, today, { mode: 'then', byVersion: rulesByVersion });
    expect(then.differences).toEqual([]);
    const now = replayAsOf(stored, runs, asOf, today, { mode: 'now', byVersion: rulesByVersion });
    expect(now.identical).toBe(false);
    expect(now.differences).toContainEqual({
      decision: 'settled:2027-01:v1',
      month: '2027-01',
      field: 'values.norm',
      stored: '2040.00',
      recomputed: '2050.00',
    });
    expect(now.currentRulesVersion).not.toBe(Object.keys(now.storedRulesVersions)[0]);
  });

  it('a policy change that touches no amount (alertThreshold 0.00 → 25.00) replays identical, naming both rules versions', async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const { stored, runs, rulesByVersion } = await loadStoredHousehold(store, 'H-couple');
    // The only below-minimum alert of the example is 58.22: a threshold of 25.00 still raises it.
    const today = { params: scenario.parameters, policy: { ...scenario.policy, alertThreshold: '25.00' } };
    const cmp = replayAsOf(stored, runs, '2027-11-30T02:00:00Z', today, { mode: 'now', byVersion: rulesByVersion });
    expect(cmp.differences).toEqual([]);
    expect(cmp.identical).toBe(true);
    expect(Object.keys(cmp.storedRulesVersions)).toEqual([rulesVersionOf(scenario.parameters, scenario.policy)]);
    expect(cmp.currentRulesVersion).toBe(rulesVersionOf(today.params, today.policy));
    expect(cmp.currentRulesVersion).not.toBe(Object.keys(cmp.storedRulesVersions)[0]);
    // Without night-skipping and memos (SETTLEMENT_INCREMENTAL=off) the replay says the same.
    expect(
      replayAsOf(stored, runs, '2027-11-30T02:00:00Z', today, { mode: 'now', byVersion: rulesByVersion }, undefined)
        .differences,
    ).toEqual([]);
  });

  it('a what-if with the corrected April statement gives the same amounts as running the scenario with that correction from the start', async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const { stored, runs } = await loadStoredHousehold(store, 'H-couple');
    const corrected = raw().inputs.find(
      (i: { statement?: { messageId: string } }) => i.statement?.messageId === 'm-0021',
    ).statement;
    const asOf = '2027-11-30T02:00:00Z';
    const report = whatIf(
      stored,
      runs,
      asOf,
      parseWhatIfInputs(JSON.stringify({ statement: { ...corrected, messageId: 'payslip-april' } }), stored),
      { params: scenario.parameters, policy: scenario.policy },
    );

    // The same scenario, but the correction is known when the April statement first arrived.
    const fromStart = raw();
    for (const i of fromStart.inputs) if (i.statement?.messageId === 'm-0021') i.recordedAt = '2027-05-20T12:00:00Z';
    const expected = projectResult(simulateScenario(parseScenario(fromStart, defaultParameters), 't').state, []);

    for (const m of report.months) {
      const e = expected.months[m.month];
      const p = expected.payments[m.month];
      expect(m.whatIf.assistance, m.month).toBe(e?.assistance ?? '0.00');
      expect(m.whatIf.holidayReserve, m.month).toBe(e?.holidayReserve ?? '0.00');
      expect(m.whatIf['payment.amount'], m.month).toBe(p?.amount ?? '0.00');
      expect(m.whatIf['payment.bufferDraw'], m.month).toBe(p?.bufferDraw ?? '0.00');
    }
    // Known from the start, the April advance is lower (projection) and no claim arises in July.
    const april = report.months.find((m) => m.month === '2027-04')!;
    expect(april.decided.assistance).toBe('619.14');
    expect(april.whatIf.assistance).toBe('619.14');
    expect(report.months.find((m) => m.month === '2027-07')!.decided['payment.offset']).toBe('580.38');
    expect(report.months.find((m) => m.month === '2027-07')!.whatIf['payment.offset']).toBe(
      expected.payments['2027-07']!.offset,
    );
    // Entitlement is the same either way; only when it was paid (and the buffer used) differs.
    expect(report.netOwedTotal).toBe('0.00');
  });

  it('a rejected what-if line in the middle is reported and the lines around it still run (SPEC §11)', async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const { stored, runs } = await loadStoredHousehold(store, 'H-couple');
    const corrected = raw().inputs.find(
      (i: { statement?: { messageId: string } }) => i.statement?.messageId === 'm-0021',
    ).statement;
    const good = JSON.stringify({ statement: { ...corrected, messageId: 'payslip-april' } });
    const grantWithoutTo = JSON.stringify({
      case: {
        type: 'EarningsDisregardGranted',
        householdId: 'H-couple',
        bsn: corrected.bsn,
        kind: 'work',
        from: '2027-05-01',
      },
    });
    const rejected: Array<{ line: number; reason: string }> = [];
    const extra = parseWhatIfInputs(['not json', grantWithoutTo, good].join('\n'), stored, rejected);
    expect(rejected).toEqual([
      { line: 1, reason: 'is not valid JSON' },
      {
        line: 2,
        reason: 'case.to: is required for a grant of kind work: art. 34a(1)(a) grants it for a limited period',
      },
    ]);
    expect(extra).toHaveLength(1);
    const ctx = { params: scenario.parameters, policy: scenario.policy };
    const asOf = '2027-11-30T02:00:00Z';
    expect(whatIf(stored, runs, asOf, extra, ctx)).toEqual(
      whatIf(stored, runs, asOf, parseWhatIfInputs(good, stored), ctx),
    );
  });

  it('a what-if grant is held to the run rules of art. 34a: one that takes the run past 12 months is rejected', async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const { stored, runs } = await loadStoredHousehold(store, 'H-couple');
    const grant = (from: string, to: string) =>
      JSON.stringify({
        recordedAt: '2027-03-05T09:00:00Z',
        case: { type: 'EarningsDisregardGranted', householdId: 'H-couple', bsn: '111222333', kind: 'work', from, to },
      });
    const ctx = { params: scenario.parameters, policy: scenario.policy };
    const asOf = '2027-11-30T02:00:00Z';
    const first = grant('2027-03-01', '2027-08-31');
    // Adjoining: the run from 2027-03-01 would reach 2028-03-31, 13 months.
    const report = whatIf(
      stored,
      runs,
      asOf,
      parseWhatIfInputs([first, grant('2027-09-01', '2028-03-31')].join('\n'), stored),
      ctx,
    );
    expect(report.rejectedInputs).toEqual([
      {
        recordedAt: '2027-03-05T09:00:00Z',
        reason:
          'to: the work disregard of this person runs from 2027-03-01; 13 months exceed the 12 of art. 34a(1)(a) without extension',
      },
    ]);
    const { rejectedInputs: _r, ...rest } = report;
    expect(rest).toEqual(whatIf(stored, runs, asOf, parseWhatIfInputs(first, stored), ctx));
    // Extended by the college (art. 34a(2)), the same grant is taken.
    const extended = JSON.stringify({
      ...JSON.parse(grant('2027-09-01', '2028-03-31')),
      case: { ...JSON.parse(grant('2027-09-01', '2028-03-31')).case, extension: true },
    });
    expect(
      whatIf(stored, runs, asOf, parseWhatIfInputs([first, extended].join('\n'), stored), ctx).rejectedInputs,
    ).toBeUndefined();
  });

  it('a what-if statement for someone outside the household is refused with the rule', async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const { stored } = await loadStoredHousehold(store, 'H-couple');
    const stranger = { ...raw().inputs[2].statement, bsn: '999999990', messageId: 'x' };
    expect(() => parseWhatIfInputs(JSON.stringify({ statement: stranger }), stored)).toThrow(
      'what-if line 1: statement.bsn: is not a member of this household',
    );
  });

  it("a what-if initial after its key's correction is superseded (SPEC §1.1); before it, it counts", async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const { stored } = await loadStoredHousehold(store, 'H-couple');
    const byId = (id: string) => (i: { statement?: { messageId: string } }) => i.statement?.messageId === id;
    const initial = raw().inputs.find(byId('m-0015')).statement;
    const april = { ...initial, messageId: 'late-april', taxableWage: '1200.00' };
    const afterCorrection = JSON.stringify({ recordedAt: '2027-08-01T00:00:00Z', statement: april });
    expect(() => parseWhatIfInputs(afterCorrection, stored)).toThrow(
      'what-if line 1: statement.kind: superseded: this initial statement arrived after the correction (messageId m-0021) of the same income relationship and period, which stays in force (SPEC §1.1)',
    );
    // Without recordedAt it counts from the April initial (2027-05-20), before the correction of 2027-07-03.
    const [before] = parseWhatIfInputs(JSON.stringify({ statement: april }), stored);
    expect(before!.recordedAt).toBe('2027-05-20T12:00:00Z');
  });
});

describe('event schema evolution', () => {
  /** The household's events as the rules-v1 engine wrote them: schema version 1 of every type v2 changed. */
  function asRulesV1<E extends { type: string; schemaVersion: number; data: unknown }>(e: E): E {
    const d = structuredClone(e.data) as Record<string, any>;
    switch (e.type) {
      case 'CaseOpened':
        d.members = d.members.map(({ entitled: _e, ...m }: Record<string, unknown>) => m);
        delete d.jointPaymentTo;
        return { ...e, schemaVersion: 1, data: d };
      case 'EarningsDisregardGranted':
        delete d.kind;
        return { ...e, schemaVersion: 1, data: d };
      case 'IncomeStatementRecorded': {
        const { incomeKind: _k, source: _s, ...statement } = d.statement;
        return { ...e, schemaVersion: 1, data: { statement, recordedAt: d.recordedAt } };
      }
      case 'MonthSettled': {
        const { measureReduction: _m, incomeFromWork: _w, partnerIncomeCounted: _p, ...values } = d.values;
        const { explanation, ...rest } = d;
        return {
          ...e,
          schemaVersion: 1,
          data: {
            ...rest,
            values,
            rulesVersion: 'engine-1.0.0+rules-abc',
            inputsFingerprint: '0123456789abcdef',
            explanation,
          },
        };
      }
      case 'PaymentProposed':
      case 'PaymentMade':
        delete d.projectedWorkIncome;
        delete d.projectedPartnerIncomeCounted;
        delete d.payees;
        return { ...e, schemaVersion: 1, data: d };
      default:
        return e;
    }
  }

  it('rules-v1 events (no entitled, channel, incomeKind, source, payees; a MonthSettled with the cache key inputsFingerprint) replay identical with the v1 defaults', async () => {
    expect([
      SCHEMA_VERSIONS.CaseOpened,
      SCHEMA_VERSIONS.IncomeStatementRecorded,
      SCHEMA_VERSIONS.MonthSettled,
      SCHEMA_VERSIONS.PaymentMade,
    ]).toEqual([2, 3, 3, 2]);
    // A single person: the v1 defaults (everyone entitled, wage from the polis, paid to the applicant) hold.
    const ferd = JSON.parse(readFileSync(join(examples, 'ferd-four-weekly.scenario.json'), 'utf8'));
    const scenario = parseScenario(ferd, defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const household = ferd.inputs.find((i: { case?: { householdId: string } }) => i.case)!.case.householdId as string;
    const old = await openEventStore({ kind: 'memory' });
    for (const e of await store.readStream(householdStream(household)))
      await old.append(householdStream(household), [asRulesV1(e)]);

    const read = (await old.readStream(householdStream(household))).map(toHouseholdEvent);
    const statements = read.filter((e) => e.type === 'IncomeStatementRecorded');
    expect(statements.length).toBeGreaterThan(5);
    expect(
      statements.every(
        (e) =>
          e.type === 'IncomeStatementRecorded' &&
          e.data.channel === 'unknown' &&
          e.data.statement.incomeKind === 'employment' &&
          e.data.statement.source === 'polis',
      ),
    ).toBe(true);
    expect(
      read
        .filter((e) => e.type === 'MonthSettled')
        .every(
          (e) =>
            !('inputsFingerprint' in e.data) &&
            e.type === 'MonthSettled' &&
            e.data.values.partnerIncomeCounted === '0.00',
        ),
    ).toBe(true);

    const { runs } = await loadStoredHousehold(store, household);
    const { stored } = await loadStoredHousehold(old, household);
    const cmp = replayAsOf(stored, runs, '2027-11-30T02:00:00Z', {
      params: scenario.parameters,
      policy: scenario.policy,
    });
    expect(cmp.differences).toEqual([]);
    expect(Object.keys(cmp.storedRulesVersions).sort()).toEqual(
      ['engine-1.0.0+rules-abc', cmp.currentRulesVersion].sort(),
    );
  });

  it('nights under rules v2 (tables with aloNoPartnerRate, engine 2.0.0) still read, and the replay names the v2 version', async () => {
    const scenario = parseScenario(raw(), defaultParameters);
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(scenario, store, logger);
    const v3 = rulesVersionOf(scenario.parameters, scenario.policy);
    const v2 = 'engine-2.0.0+rules-23027d61ef41';
    const asV2 = (text: string) => JSON.parse(text.split(v3).join(v2));
    // The store as the v2 engine left it: its rules version on every decision and night, its tables' shape.
    const old = await openEventStore({ kind: 'memory' });
    for (const e of await store.readStream(householdStream('H-couple'))) {
      await old.append(householdStream('H-couple'), [{ ...e, data: asV2(JSON.stringify(e.data)) }]);
    }
    for (const e of await store.readStream(NIGHTLY_RUNS_STREAM))
      await old.append(NIGHTLY_RUNS_STREAM, [{ ...e, data: asV2(JSON.stringify(e.data)) }]);
    const { aloSupplementPerYear: _v3Only, ...tables } = structuredClone(scenario.parameters) as unknown as Record<
      string,
      unknown
    >;
    const v2Tables = {
      ...tables,
      aloNoPartnerRate: [{ validFrom: '2027-01-01', value: '0.90', source: 'PIB maatregel 6b' }],
    };
    const data = { rulesVersion: v2, engineVersion: '2.0.0', params: v2Tables, policy: scenario.policy };
    await old.append(RULES_VERSIONS_STREAM, [
      {
        eventId: `rules:${v2}`,
        type: 'RulesVersionRecorded',
        schemaVersion: 1,
        recordedAt: '2026-12-01T02:00:00Z',
        data,
      },
    ]);

    const { stored, runs, rulesByVersion } = await loadStoredHousehold(old, 'H-couple');
    expect([...rulesByVersion.keys()]).toEqual([v2]);
    // Read in the v3 shape: the national art. 24a row, no aloNoPartnerRate.
    expect(rulesByVersion.get(v2)!.params.aloSupplementPerYear.map((r) => r.value)).toEqual(['3416.00']);
    expect('aloNoPartnerRate' in rulesByVersion.get(v2)!.params).toBe(false);
    const cmp = replayAsOf(
      stored,
      runs,
      '2027-11-30T02:00:00Z',
      { params: scenario.parameters, policy: scenario.policy },
      { mode: 'then', byVersion: rulesByVersion },
    );
    // A couple with both entitled: v3 changes none of its amounts; the decisions name v2, the recomputation v3.
    expect(cmp.differences).toEqual([]);
    expect(Object.keys(cmp.storedRulesVersions)).toEqual([v2]);
    expect(cmp.currentRulesVersion).toMatch(/^engine-3\.0\.0\+rules-/);
  });
});
