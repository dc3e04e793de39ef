import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, inputsInRecordingOrder, instantMillis } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalityConfig, rulesVersionOf } from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { redisAvailable, startRedis } from '@bijstand/testkit';
import { generateHouseholds } from '@bijstand/synthetic';
import { householdEvents, startWorker } from './support/workers.js';
import { NightlyQueue, NightlySettlement, settleJobId } from '../src/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const config = join(root, 'infra', 'config', 'demo-municipality.json');
const { ctx } = loadMunicipalityConfig(config);
const logger = createLogger('test', { level: 'silent' });
const HOUSEHOLDS = 120;
const NIGHT = { runDate: '2027-04-01', runAt: '2027-04-01T02:00:00Z' };

/** A store with synthetic households, settled every night up to the night before NIGHT. */
async function seed(path: string): Promise<void> {
  const store = await openEventStore({ kind: 'sqlite', path });
  const ingestor = new Ingestor(store, ctx, logger);
  const settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
  const inputs = inputsInRecordingOrder(
    generateHouseholds({ households: HOUSEHOLDS, seed: 11, startMonth: '2027-01', months: 4 }),
  );
  let next = 0;
  for (let day = '2027-01-01'; day <= NIGHT.runDate; day = addDays(day, 1)) {
    const runAt = `${day}T02:00:00Z`;
    while (next < inputs.length && instantMillis(inputs[next]!.recordedAt) <= instantMillis(runAt)) {
      const i = inputs[next++]!;
      await ingestor.ingest({
        kind: i.statement ? 'statement' : 'case',
        payload: JSON.stringify(i.statement ?? i.case),
        recordedAt: i.recordedAt,
        source: { type: 'inline', reference: 'seed' },
      });
    }
    if (day < NIGHT.runDate) await settlement.runNightly({ runDate: day, runAt });
  }
  await store.close();
}

describe.skipIf(!redisAvailable())('nightly run on BullMQ with a real Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const dir = mkdtempSync(join(tmpdir(), 'bullmq-'));
  beforeAll(async () => {
    redis = await startRedis();
    await seed(join(dir, 'seed.sqlite'));
  }, 120_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it(
    'a worker killed mid-run and a new one started give the same events as an uninterrupted run; re-enqueueing the date adds nothing',
    { timeout: 120_000 },
    async () => {
      const uninterruptedPath = join(dir, 'uninterrupted.sqlite');
      const crashedPath = join(dir, 'crashed.sqlite');
      copyFileSync(join(dir, 'seed.sqlite'), uninterruptedPath);
      copyFileSync(join(dir, 'seed.sqlite'), crashedPath);

      const reference = await openEventStore({ kind: 'sqlite', path: uninterruptedPath });
      const summary = await new NightlySettlement(
        reference,
        ctx,
        rulesVersionOf(ctx.params, ctx.policy),
        logger,
      ).runNightly(NIGHT);
      expect(summary.households).toBe(HOUSEHOLDS);

      const env = { REDIS_URL: redis.url, SQLITE_PATH: crashedPath, MUNICIPALITY_CONFIG: config, SLOW_MS: '15' };
      const store = await openEventStore({ kind: 'sqlite', path: crashedPath });
      const queue = new NightlyQueue(
        redis.url,
        new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger),
        logger,
        5,
      );
      const first = await startWorker(env);
      await queue.enqueueRun(NIGHT.runDate, NIGHT.runAt);
      for (;;) {
        const { done } = await queue.progress(NIGHT.runDate);
        if (done >= HOUSEHOLDS / 3) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      first.kill('SIGKILL');
      const killedAfter = (await queue.progress(NIGHT.runDate)).done;
      expect(killedAfter).toBeLessThan(HOUSEHOLDS);

      const second = await startWorker({ ...env, SLOW_MS: '0' });
      const result = await queue.waitForRun(NIGHT.runDate);
      second.kill('SIGTERM');
      expect(result.households).toBe(HOUSEHOLDS);
      expect(result.failures).toEqual([]);
      // 1 April settles February for every household (no payday): the same months, the same claims.
      expect(summary.monthsSettled).toBeGreaterThan(HOUSEHOLDS / 2);
      expect(result.monthsSettled).toBe(summary.monthsSettled);
      expect(result.openClaims).toBe(summary.openClaims);

      expect(await householdEvents(store)).toEqual(await householdEvents(reference));

      // The same date again: jobs are deduplicated by id, and a forced re-run decides nothing new.
      const before = (await store.readAll()).length;
      await queue.enqueueRun(NIGHT.runDate, NIGHT.runAt);
      const firstGroup = (
        await new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger).listHouseholds()
      ).slice(0, 5);
      expect(await queue.queue.getJob(settleJobId(NIGHT.runDate, firstGroup))).toBeDefined();
      expect(await queue.queue.count()).toBe(0);
      const again = await new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger).runNightly(
        NIGHT,
      );
      expect(again.paymentsMade).toBe(0);
      expect((await store.readAll()).length).toBe(before);
      await queue.close();
      await store.close();
      await reference.close();
    },
  );
  it(
    "a worker that dies after its append but before it reports: the night's figures still count those households once",
    { timeout: 120_000 },
    async () => {
      const referencePath = join(dir, 'reference-after-append.sqlite');
      const crashedPath = join(dir, 'crashed-after-append.sqlite');
      copyFileSync(join(dir, 'seed.sqlite'), referencePath);
      copyFileSync(join(dir, 'seed.sqlite'), crashedPath);
      const reference = await openEventStore({ kind: 'sqlite', path: referencePath });
      const summary = await new NightlySettlement(
        reference,
        ctx,
        rulesVersionOf(ctx.params, ctx.policy),
        logger,
      ).runNightly(NIGHT);

      // A Redis database of its own: the test above already ran this night's jobs (deduplicated by id).
      const env = { REDIS_URL: `${redis.url}/1`, SQLITE_PATH: crashedPath, MUNICIPALITY_CONFIG: config };
      const store = await openEventStore({ kind: 'sqlite', path: crashedPath });
      const queue = new NightlyQueue(
        env.REDIS_URL,
        new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger),
        logger,
        5,
      );
      const doomed = await startWorker({ ...env, DIE_AFTER_APPEND: '1' });
      const died = new Promise((resolve) => doomed.once('exit', resolve));
      await queue.enqueueRun(NIGHT.runDate, NIGHT.runAt);
      await died;
      const survivor = await startWorker(env);
      const result = await queue.waitForRun(NIGHT.runDate);
      survivor.kill('SIGTERM');
      // Without counting the dead worker's stored decisions the taken-over groups would count 0 months.
      expect(summary.monthsSettled).toBeGreaterThan(HOUSEHOLDS / 2);
      expect(result.monthsSettled).toBe(summary.monthsSettled);
      expect(result.eventsAppended).toBe(summary.eventsAppended);
      expect(result.alerts).toBe(summary.alerts);
      expect(result.openClaims).toBe(summary.openClaims);
      expect(await householdEvents(store)).toEqual(await householdEvents(reference));
      await queue.close();
      await store.close();
      await reference.close();
    },
  );
});
