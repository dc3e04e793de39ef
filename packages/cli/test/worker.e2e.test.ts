import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, rulesVersionOf } from '@bijstand/platform';
import { NightlyQueue, NightlySettlement } from '@bijstand/settlement';
import { freeLoopbackPort, redisAvailable, startRedis } from '@bijstand/testkit';
import {
  HOUSEHOLDS,
  NIGHT,
  demoConfig as config,
  demoCtx as ctx,
  seedUnsettledNight,
} from './support/unsettledNight.js';
import { runCli, startCli, waitForStderr } from './support/cli.js';

const logger = createLogger('test', { level: 'silent' });

/** The night's decisions per household, as text: equal stores decided the same. */
async function nightByHousehold(store: EventStore): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const e of await store.readAll()) {
    if (!e.streamName.startsWith('household-')) continue;
    const list = out.get(e.streamName) ?? [];
    if (e.recordedAt === NIGHT.runAt) list.push(`${e.eventId} ${JSON.stringify(e.data)}`);
    out.set(e.streamName, list);
  }
  return out;
}

const metric = (text: string, name: string) =>
  Number(new RegExp(`^${name.replace(/[{}"=]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1]);

describe.skipIf(!redisAvailable())('the batch and the worker on a real Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const dir = mkdtempSync(join(tmpdir(), 'worker-e2e-'));
  const seedPath = join(dir, 'seed.sqlite');
  let reference: Map<string, string[]>;

  beforeAll(async () => {
    redis = await startRedis();
    await seedUnsettledNight(seedPath);
    const path = join(dir, 'reference.sqlite');
    copyFileSync(seedPath, path);
    const store = await openEventStore({ kind: 'sqlite', path });
    await new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger).runNightly(NIGHT);
    reference = await nightByHousehold(store);
    await store.close();
  }, 120_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('run-nightly with REDIS_URL settles the night, closes every connection and exits 0', async () => {
    const path = join(dir, 'run-nightly.sqlite');
    copyFileSync(seedPath, path);
    // Not exiting would time the test out: that is the failure this test exists for.
    const r = await runCli(['run-nightly', '--json', '--date', NIGHT.runDate, '--store', path], {
      REDIS_URL: redis.url,
      MUNICIPALITY_CONFIG: config,
      LOG_LEVEL: 'warn',
    });
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    // 1 April 2027 at 02:00 CEST is 00:00Z.
    expect(summary.runAt).toBe(NIGHT.runAt);
    expect(summary.households).toBe(HOUSEHOLDS);
    expect(summary.failures).toEqual([]);
    const store = await openEventStore({ kind: 'sqlite', path });
    expect(await nightByHousehold(store)).toEqual(reference);
    await store.close();
  });

  it(
    'SIGTERM during a night: the current group is finished, nothing half-written, the next start finishes the night; /metrics and /health answer',
    { timeout: 120_000 },
    async () => {
      const path = join(dir, 'worker.sqlite');
      copyFileSync(seedPath, path);
      const port = await freeLoopbackPort();
      // One household per group, one at a time: the night takes long enough to be stopped halfway.
      // Its own Redis database: the run-nightly test settled the same date.
      const redisUrl = `${redis.url}/1`;
      const env = {
        REDIS_URL: redisUrl,
        MUNICIPALITY_CONFIG: config,
        SQLITE_PATH: path,
        OPS_PORT: String(port),
        SETTLEMENT_GROUP_SIZE: '1',
        WORKER_CONCURRENCY: '1',
      };
      const first = startCli(['worker'], env);
      await waitForStderr(first, /settlement worker started/);

      const store = await openEventStore({ kind: 'sqlite', path });
      const queue = new NightlyQueue(
        redisUrl,
        new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger),
        logger,
        { householdsPerJob: 1 },
      );
      await queue.enqueueRun(NIGHT.runDate, NIGHT.runAt);
      while ((await queue.progress(NIGHT.runDate)).done < 2) await new Promise((r) => setTimeout(r, 5));
      first.child.kill('SIGTERM');
      const stopped = await first.done;
      expect(stopped.code).toBe(0);
      expect(stopped.stderr).toMatch(/"reason":"SIGTERM".*settlement worker stopping/);
      expect(stopped.stderr).toMatch(/"reason":"SIGTERM".*settlement worker stopped/);
      const doneAtStop = (await queue.progress(NIGHT.runDate)).done;
      expect(doneAtStop).toBeLessThan(HOUSEHOLDS);

      // Every household has the whole night or none of it.
      const partial = await nightByHousehold(store);
      let settled = 0;
      for (const [stream, events] of reference) {
        const got = partial.get(stream) ?? [];
        if (got.length > 0) settled++;
        expect(got.length === 0 || JSON.stringify(got) === JSON.stringify(events), stream).toBe(true);
      }
      expect(settled).toBe(doneAtStop);

      const second = startCli(['worker'], env);
      await waitForStderr(second, /settlement worker started/);
      const summary = await queue.waitForRun(NIGHT.runDate, undefined, 20);
      expect(summary.failures).toEqual([]);
      expect(await nightByHousehold(store)).toEqual(reference);

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', checks: { store: 'ok', redis: 'ok' } });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metric(metrics, 'bijstand_households_settled_total')).toBe(HOUSEHOLDS - doneAtStop);
      expect(metric(metrics, 'bijstand_household_settlement_failures_total')).toBe(0);
      expect(metric(metrics, 'bijstand_nightly_run_duration_seconds')).toBeGreaterThan(0);
      expect(metric(metrics, 'bijstand_settlement_group_duration_seconds_count')).toBe(HOUSEHOLDS - doneAtStop);
      expect(metric(metrics, 'bullmq_job_count{queue="nightly-settlement", state="waiting"}')).toBe(0);
      expect(metric(metrics, 'bijstand_nightly_queue_lag_seconds')).toBe(0);
      expect(metric(metrics, 'bijstand_ingest_rejected_messages')).toBe(0);
      expect(metrics).toMatch(/^bijstand_alerts\{state="pending"\} \d+$/m);

      second.child.kill('SIGTERM');
      expect((await second.done).code).toBe(0);
      await queue.close();
      await store.close();
    },
  );
});
