import { describe, expect, it } from 'vitest';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import {
  createLogger,
  loadMunicipalities,
  NIGHTLY_RUNS_STREAM,
  RULES_ACCEPTANCES_STREAM,
  RULES_VERSIONS_STREAM,
} from '@bijstand/platform';
import {
  acceptRulesVersion,
  dryRunNight,
  MissingConfigurationError,
  NightlySettlement,
  refusedNight,
  requireRecordedConfiguration,
  UnknownRulesVersionError,
} from '../src/index.js';

const logger = createLogger('test', { level: 'silent' });
const national = loadMunicipalities(undefined);
const current = national.defaultMunicipality.rulesVersion;
/** The same tables and policy under an older engine: the one difference is the engine version. */
const previous = current.replace(/^engine-[^+]+/, 'engine-2.9.0');
const AT = '2027-11-30T09:15:00Z';

async function storeWithNight(rulesVersion: string): Promise<EventStore> {
  const store = await openEventStore({ kind: 'memory' });
  await store.append(NIGHTLY_RUNS_STREAM, [
    {
      eventId: 'run:2027-11-29',
      type: 'NightlyRunStarted',
      schemaVersion: 1,
      recordedAt: '2027-11-29T01:00:00Z',
      data: { runDate: '2027-11-29', runAt: '2027-11-29T01:00:00Z', rulesVersion },
    },
  ]);
  return store;
}

describe('acceptRulesVersion: a rules change is a decision someone takes', () => {
  it('records who, when and why with the version each municipality leaves, once', async () => {
    const store = await storeWithNight(previous);
    const request = { version: current, by: 'J. de Vries', reason: 'engine 3.0.0 (release notes)', at: AT };
    const result = await acceptRulesVersion(store, national, request, logger);
    const acceptance = {
      rulesVersion: current,
      acceptedBy: 'J. de Vries',
      reason: 'engine 3.0.0 (release notes)',
      acceptedAt: AT,
      municipalities: { default: previous },
      changes: ['engine 2.9.0 → 3.0.0'],
    };
    expect(result).toEqual({ accepted: true, acceptance, unchanged: false });
    const events = await store.readStream(RULES_ACCEPTANCES_STREAM);
    expect(events.map((e) => [e.eventId, e.type, e.recordedAt, e.data])).toEqual([
      [`accept:${current}`, 'RulesVersionAccepted', AT, acceptance],
    ]);
    const again = await acceptRulesVersion(store, national, { ...request, by: 'someone else' }, logger);
    expect(again).toEqual({ accepted: false, already: acceptance });
    expect(await store.readStream(RULES_ACCEPTANCES_STREAM)).toHaveLength(1);
  });

  it('accepts a version no night changes with all the same (unchanged), naming no municipality', async () => {
    const store = await storeWithNight(current);
    const result = await acceptRulesVersion(
      store,
      national,
      { version: current, by: 'a', reason: 'b', at: AT },
      logger,
    );
    expect(result).toEqual({
      accepted: true,
      unchanged: true,
      acceptance: {
        rulesVersion: current,
        acceptedBy: 'a',
        reason: 'b',
        acceptedAt: AT,
        municipalities: {},
        changes: [],
      },
    });
  });

  it("refuses a version the deployment's configuration does not produce, naming the ones it does", async () => {
    const store = await storeWithNight(previous);
    const request = { version: 'engine-3.0.0+rules-typo', by: 'a', reason: 'b', at: AT };
    const refused = acceptRulesVersion(store, national, request, logger);
    await expect(refused).rejects.toBeInstanceOf(UnknownRulesVersionError);
    await expect(refused).rejects.toThrow(
      `engine-3.0.0+rules-typo is not a rules version of this deployment's configuration (it has ${current})`,
    );
    expect(await store.readStream(RULES_ACCEPTANCES_STREAM)).toEqual([]);
  });
});

describe('requireRecordedConfiguration: missing configuration in production is an error', () => {
  const recordRules = async (store: EventStore, rulesVersion: string) =>
    store.append(RULES_VERSIONS_STREAM, [
      {
        eventId: `rules:${rulesVersion}`,
        type: 'RulesVersionRecorded',
        schemaVersion: 1,
        recordedAt: AT,
        data: { rulesVersion },
      },
    ]);

  it("refuses a store whose nights ran under a municipality's tables, unless configured or on purpose", async () => {
    const store = await openEventStore({ kind: 'memory' });
    await recordRules(store, 'engine-3.0.0+rules-0123456789ab');
    const refused = requireRecordedConfiguration(store, { configured: false });
    await expect(refused).rejects.toBeInstanceOf(MissingConfigurationError);
    await expect(refused).rejects.toThrow(
      "MUNICIPALITY_CONFIG is not set, but this store's nights ran under a municipality's configuration " +
        "(rules version engine-3.0.0+rules-0123456789ab): set MUNICIPALITY_CONFIG to the deployment's file, " +
        'or pass --national-defaults to use the national tables and default policy on purpose',
    );
    await expect(requireRecordedConfiguration(store, { configured: true })).resolves.toBeUndefined();
    await expect(requireRecordedConfiguration(store, { configured: false, nationalDefaults: true })).resolves.toBe(
      undefined,
    );
  });

  it('lets a new store, or one that only ever ran under the national tables, through', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await expect(requireRecordedConfiguration(store, { configured: false })).resolves.toBeUndefined();
    await recordRules(store, previous);
    await expect(requireRecordedConfiguration(store, { configured: false })).resolves.toBeUndefined();
  });
});

describe('dryRunNight and refusedNight: the reports run-nightly prints', () => {
  const run = { runDate: '2027-11-30', runAt: '2027-11-30T01:00:00Z' };
  const empty = {
    runDate: '2027-11-30',
    households: 0,
    monthsSettled: 0,
    paymentsMade: 0,
    paid: '0.00',
    householdsWithClaim: 0,
    openClaims: '0.00',
    alerts: 0,
    eventsAppended: 0,
    failures: [],
  };

  it('a dry run: the summary, runAt, dryRun, the rules changes and what they would settle again', async () => {
    const store = await storeWithNight(previous);
    const { ctx, rulesVersion } = national.defaultMunicipality;
    const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, { municipalities: national });
    const dry = await dryRunNight(settlement, run, undefined);
    expect(dry.changes.map((c) => [c.municipality, c.previous, c.current, c.changes])).toEqual([
      ['default', previous, current, ['engine 2.9.0 → 3.0.0']],
    ]);
    expect(Object.keys(dry.report)).toEqual([...Object.keys(empty), 'runAt', 'dryRun', 'rulesChanges', 'resettled']);
    const resettled = {
      default: { rulesVersion: current, households: 0, months: 0, backPayments: '0.00', claims: '0.00' },
    };
    expect(dry.report).toEqual({ ...empty, runAt: run.runAt, dryRun: true, rulesChanges: dry.changes, resettled });
    const stored = await store.readStream(NIGHTLY_RUNS_STREAM);
    expect(stored).toHaveLength(1);
  });

  it('a refused night: what changed, nothing written, and the preview of the night once accepted', async () => {
    const store = await storeWithNight(previous);
    const { ctx, rulesVersion } = national.defaultMunicipality;
    const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, { municipalities: national });
    const changes = await settlement.rulesChanges();
    const refused = await refusedNight(settlement, run, changes);
    const resettled = {
      default: { rulesVersion: current, households: 0, months: 0, backPayments: '0.00', claims: '0.00' },
    };
    expect(refused.resettled).toEqual(resettled);
    expect(refused.report).toEqual({
      runDate: '2027-11-30',
      runAt: '2027-11-30T01:00:00Z',
      refused: 'rules change not accepted',
      rulesChanges: changes,
      preview: { ...empty, resettled },
    });
    expect(refused.changes).toBe(changes);
  });
});
