import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import {
  createLogger,
  householdStream,
  loadMunicipalities,
  NIGHTLY_RUNS_STREAM,
  readRuntimeEnv,
  RULES_ACCEPTANCES_STREAM,
} from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { NightlyQueue, NightlySettlement } from '@bijstand/settlement';
import { redisAvailable, startRedis } from '@bijstand/testkit';
import { startSettlementWorker } from '@bijstand/app-worker';
import { loadStoredHousehold, replayAsOf } from '@bijstand/replay';

// A key of its own: this test opts in to nothing implicit.
process.env.BSN_PSEUDONYM_KEY ??= randomBytes(32).toString('hex');
const logger = createLogger('test', { level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'rules-gate-worker-'));

/** Two municipalities; `tynaarloThreshold` changes only Tynaarlo's rules version. */
function deployment(name: string, tynaarloThreshold: string) {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      deployment: 'Werkplein (test)',
      defaultMunicipality: 'GM1680',
      municipalities: {
        GM1680: { name: 'Aa en Hunze', policy: { payDay: 25 } },
        GM1730: { name: 'Tynaarlo', policy: { payDay: 25, alertThreshold: tynaarloThreshold } },
      },
    }),
  );
  return loadMunicipalities(path);
}

async function openCase(store: EventStore, householdId: string, municipality: string, bsn: string) {
  const ctx = deployment('ingest', '0.00').defaultMunicipality.ctx;
  const outcome = await new Ingestor(store, ctx, logger).ingest({
    kind: 'case',
    payload: JSON.stringify({
      type: 'CaseOpened',
      householdId,
      municipality,
      members: [{ bsn, role: 'applicant' }],
      category: 'single',
      startDate: '2027-01-01',
    }),
    recordedAt: '2027-01-05T09:00:00Z',
    source: { type: 'inline', reference: 'test' },
  });
  expect(outcome).toMatchObject({ status: 'recorded' });
}

const decidedAt = async (store: EventStore, householdId: string, runAt: string) =>
  (await store.readStream(householdStream(householdId))).filter((e) => e.recordedAt === runAt).map((e) => e.type);

describe('the worker and a rules change of one municipality', () => {
  it('keeps settling the unchanged municipality, holds the changed one back and tells the backoffice; after acceptance it runs', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await openCase(store, 'H-aa', 'GM1680', '200000007');
    await openCase(store, 'H-tyn', 'GM1730', '200000020');
    const before = deployment('before', '0.00');
    const first = before.defaultMunicipality;
    await new NightlySettlement(store, first.ctx, first.rulesVersion, logger, { municipalities: before }).runNightly({
      runDate: '2027-03-25',
      runAt: '2027-03-25T01:00:00Z',
    });
    expect(await decidedAt(store, 'H-tyn', '2027-03-25T01:00:00Z')).toContain('PaymentMade');

    // Tynaarlo's alert threshold changes; the worker starts after 02:00 on 25 April and catches that night up.
    const after = deployment('after', '25.00');
    const night = '2027-04-25T00:00:00Z'; // 02:00 CEST
    const worker = await startSettlementWorker({
      env: readRuntimeEnv({ ...process.env, OPS_PORT: '0', REDIS_URL: '', LOG_LEVEL: 'silent' }),
      store,
      ctx: after.defaultMunicipality.ctx,
      municipality: after.deployment,
      municipalities: after,
      logger,
      clock: () => Date.parse('2027-04-25T01:30:00Z'),
    });
    const deadline = Date.now() + 30_000;
    while ((await decidedAt(store, 'H-aa', night)).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await worker.stop('test');

    expect(await decidedAt(store, 'H-aa', night)).toEqual([
      'MonthSettled',
      'PaymentProposed',
      'BufferNotDrawn',
      'PaymentMade',
    ]);
    expect(await decidedAt(store, 'H-tyn', night)).toEqual([]);
    const waiting = (await store.readStream(RULES_ACCEPTANCES_STREAM)).map((e) => ({
      type: e.type,
      ...(e.data as object),
    }));
    const tynaarlo = after.byCode.get('GM1730')!.rulesVersion;
    expect(waiting).toEqual([
      expect.objectContaining({
        type: 'RulesChangeWaiting',
        municipality: 'GM1730',
        name: 'Tynaarlo',
        previous: before.byCode.get('GM1730')!.rulesVersion,
        current: tynaarlo,
        changes: [
          'policy.alertThreshold: 0.00 → 25.00 (undated: every month settled again gets it; a change from a month on goes under policy.changes with its validFrom)',
        ],
        runDate: '2027-04-25',
      }),
    ]);
    const nights = (await store.readStream(NIGHTLY_RUNS_STREAM)).map(
      (e) => e.data as { runDate: string; held?: string[] },
    );
    expect(nights.map((n) => [n.runDate, n.held])).toEqual([
      ['2027-03-25', undefined],
      ['2027-04-25', ['GM1730']],
    ]);

    // Accepted: the same night run again settles Tynaarlo too, under its new rules.
    await store.append(RULES_ACCEPTANCES_STREAM, [
      {
        eventId: `accept:${tynaarlo}`,
        type: 'RulesVersionAccepted',
        schemaVersion: 1,
        recordedAt: '2027-04-25T07:00:00Z',
        data: {
          rulesVersion: tynaarlo,
          acceptedBy: 'J. Bakker',
          reason: 'alerts from € 25 below the norm',
          acceptedAt: '2027-04-25T07:00:00Z',
          municipalities: { GM1730: null },
          changes: [],
        },
      },
    ]);
    const summary = await new NightlySettlement(
      store,
      after.defaultMunicipality.ctx,
      after.defaultMunicipality.rulesVersion,
      logger,
      {
        municipalities: after,
        onRulesChange: 'hold',
      },
    ).runNightly({ runDate: '2027-04-25', runAt: night });
    expect(summary.held).toBeUndefined();
    expect(summary.municipalities!.GM1730).toMatchObject({ households: 1, paymentsMade: 1, rulesVersion: tynaarlo });
    expect(summary.municipalities!.GM1680).toMatchObject({ households: 1, paymentsMade: 0, eventsAppended: 0 });
    expect(await decidedAt(store, 'H-tyn', night)).toContain('PaymentMade');
    // Replay re-runs each household's nights as they ran: Tynaarlo's held night is not one of its nights.
    for (const [id, code] of [
      ['H-aa', 'GM1680'],
      ['H-tyn', 'GM1730'],
    ] as const) {
      const { stored, runs, rulesByVersion } = await loadStoredHousehold(store, id);
      const comparison = replayAsOf(stored, runs, '2027-05-01T00:00:00Z', after.byCode.get(code)!.ctx, {
        mode: 'then',
        byVersion: rulesByVersion,
      });
      expect(comparison.differences, id).toEqual([]);
      expect(comparison.identical, id).toBe(true);
    }
    await store.close();
  });
});

describe.skipIf(!redisAvailable())('the rules gate on BullMQ (the fan-out of a worker with REDIS_URL)', () => {
  it('the fan-out holds the changed municipality back and the settle jobs leave its households alone', async () => {
    const redis = await startRedis();
    const store = await openEventStore({ kind: 'memory' });
    try {
      await openCase(store, 'H-aa', 'GM1680', '200000007');
      await openCase(store, 'H-tyn', 'GM1730', '200000020');
      const before = deployment('before-queue', '0.00');
      await new NightlySettlement(
        store,
        before.defaultMunicipality.ctx,
        before.defaultMunicipality.rulesVersion,
        logger,
        {
          municipalities: before,
        },
      ).runNightly({ runDate: '2027-03-25', runAt: '2027-03-25T01:00:00Z' });
      const after = deployment('after-queue', '25.00');
      const settlement = new NightlySettlement(
        store,
        after.defaultMunicipality.ctx,
        after.defaultMunicipality.rulesVersion,
        logger,
        {
          municipalities: after,
          onRulesChange: 'hold',
        },
      );
      const queue = new NightlyQueue(redis.url, settlement, logger, { householdsPerJob: 1 });
      try {
        queue.startWorker({ concurrency: 1 });
        const night = '2027-04-25T00:00:00Z';
        await queue.enqueueRun('2027-04-25', night);
        const summary = await queue.waitForRun('2027-04-25', undefined, 50);
        expect(summary).toMatchObject({ households: 1, paymentsMade: 1, failures: [] });
        expect(summary.municipalities!.GM1730).toMatchObject({ households: 0, paymentsMade: 0 });
        expect(await decidedAt(store, 'H-aa', night)).toContain('PaymentMade');
        expect(await decidedAt(store, 'H-tyn', night)).toEqual([]);
      } finally {
        await queue.close();
      }
      expect((await store.readStream(RULES_ACCEPTANCES_STREAM)).map((e) => e.type)).toEqual(['RulesChangeWaiting']);
    } finally {
      await store.close();
      await redis.stop();
    }
  }, 60_000);
});
