import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEventStore } from '@bijstand/event-store';
import {
  NIGHTLY_RUNS_STREAM,
  createLogger,
  loadMunicipalityConfig,
  rulesVersionOf,
  toInstant,
} from '@bijstand/platform';
import { redisAvailable, startRedis } from '@bijstand/testkit';
import { NightlyQueue, NightlySettlement } from '../src/index.js';

const logger = createLogger('test', { level: 'silent' });
const { ctx } = loadMunicipalityConfig(undefined);

describe.skipIf(!redisAvailable())("BullMQ's job scheduler on a fake clock across both DST nights of 2027", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    vi.useRealTimers();
    await redis?.stop();
  });

  it('fires the fan-out once per Amsterdam date, for the night it was planned for', { timeout: 60_000 }, async () => {
    // Only Date is faked: BullMQ and ioredis keep their real timers; the scheduler reads the clock.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2027-03-27T12:00:00Z') });
    const store = await openEventStore({ kind: 'memory' });
    const queue = new NightlyQueue(
      redis.url,
      new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger),
      logger,
    );
    await queue.scheduleDaily();
    queue.startWorker({ concurrency: 1 });
    const next = async () => toInstant((await queue.nextScheduledRun())!);
    const runs = async () =>
      (await store.readStream(NIGHTLY_RUNS_STREAM)).map(
        (e) => `${(e.data as { runDate: string }).runDate} ${e.recordedAt}`,
      );
    /** Move the clock past the planned instant; wake the worker (blocked on Redis in real time) and wait for the run. */
    const fireAt = async (iso: string) => {
      const before = (await runs()).length;
      vi.setSystemTime(Date.parse(iso));
      await queue.queue.promoteJobs();
      while ((await runs()).length === before) await new Promise((r) => setTimeout(r, 20));
      // The next iteration is stored when the fired one starts; wait until it is there.
      while (
        (await queue.nextScheduledRun()) === undefined ||
        (await queue.nextScheduledRun())! <= Date.parse(iso) - 60_000
      )
        await new Promise((r) => setTimeout(r, 20));
    };

    expect(await next()).toBe('2027-03-28T01:00:00Z');
    await fireAt('2027-03-28T01:00:05Z');
    expect(await next()).toBe('2027-03-29T00:00:00Z');
    await fireAt('2027-03-29T00:00:05Z');
    expect(await next()).toBe('2027-03-30T00:00:00Z');
    // Months later (the worker was down): the late job runs for its own night, the next is after now.
    await fireAt('2027-10-30T12:00:00Z');
    expect(await next()).toBe('2027-10-31T00:00:00Z');
    await fireAt('2027-10-31T00:00:05Z');
    // The second 02:00 of 31 October (01:00Z) is not a new night.
    expect(await next()).toBe('2027-11-01T01:00:00Z');
    await fireAt('2027-11-01T01:00:05Z');
    expect(await next()).toBe('2027-11-02T01:00:00Z');

    expect(await runs()).toEqual([
      '2027-03-28 2027-03-28T01:00:00Z',
      '2027-03-29 2027-03-29T00:00:00Z',
      '2027-03-30 2027-03-30T00:00:00Z',
      '2027-10-31 2027-10-31T00:00:00Z',
      '2027-11-01 2027-11-01T01:00:00Z',
    ]);
    await queue.close();
    await store.close();
  });
});
