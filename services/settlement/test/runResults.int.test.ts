import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultParameters, policySchema } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, NIGHTLY_RUN_RESULTS_STREAM, rulesVersionOf } from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { redisAvailable, startRedis } from '@bijstand/testkit';
import { NightlyQueue, NightlySettlement, runHistory } from '../src/index.js';

/**
 * Issue #24: the backoffice saw "niet vastgelegd (zie log)" for every night's failures. A night records the
 * households it could not settle, each with a short reason (no BSN), in-process and on BullMQ.
 */
const logger = createLogger('test', { level: 'silent' });
const ctx = { params: defaultParameters, policy: policySchema.parse({}) };
const rulesVersion = rulesVersionOf(ctx.params, ctx.policy);
const NIGHT = { runDate: '2027-01-25', runAt: '2027-01-25T02:00:00Z' };

/** Three households opened in January; H-broken holds an event from a newer engine, which no night can read. */
async function households(): Promise<EventStore> {
  const store = await openEventStore({ kind: 'memory' });
  const ingestor = new Ingestor(store, ctx, logger);
  const bsns = ['111222333', '123456782', '100000009'];
  for (const [k, householdId] of ['H-a', 'H-broken', 'H-c'].entries())
    await ingestor.ingest({
      kind: 'case',
      payload: JSON.stringify({
        type: 'CaseOpened',
        householdId,
        members: [{ bsn: bsns[k], role: 'applicant' }],
        category: 'single',
        startDate: '2027-01-01',
      }),
      recordedAt: '2027-01-02T09:00:00Z',
      source: { type: 'inline', reference: 'test' },
    });
  await store.append('household-H-broken', [
    {
      eventId: 'future',
      type: 'SomethingFromTheFuture',
      schemaVersion: 1,
      recordedAt: '2027-01-03T09:00:00Z',
      data: {},
    },
  ]);
  return store;
}

describe('the run history shows the households a night could not settle', () => {
  it('in-process: the failed household with its reason and the figures; an idle re-run adds none', async () => {
    const store = await households();
    const settlement = new NightlySettlement(store, ctx, rulesVersion, logger);
    const summary = await settlement.runNightly(NIGHT);
    expect(summary.failures.map((f) => f.householdId)).toEqual(['H-broken']);
    const [entry] = await runHistory(store);
    expect(entry).toEqual({
      ...NIGHT,
      rulesVersion,
      held: [],
      result: {
        ...NIGHT,
        households: 3,
        monthsSettled: 0,
        paymentsMade: 2,
        paid: '2696.98',
        alerts: 0,
        eventsAppended: 6,
        failures: [{ householdId: 'H-broken', reason: summary.failures[0]!.error }],
      },
    });
    expect(summary.failures[0]!.error).toMatch(/SomethingFromTheFuture/);
    expect(summary.paid).toBe('2696.98');

    await settlement.runNightly(NIGHT);
    expect((await store.readStream(NIGHTLY_RUN_RESULTS_STREAM)).length).toBe(1);
    expect((await runHistory(store))[0]!.result!.paid).toBe('2696.98');
  });
});

describe.skipIf(!redisAvailable())('on BullMQ, a group job that fails for good', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it(
    'records its households as failed, with the job error as their reason, in the run history',
    { timeout: 60_000 },
    async () => {
      const store = await households();
      const settlement = new NightlySettlement(store, ctx, rulesVersion, logger);
      // The group of H-c cannot be settled at all (its store connection gone): the job fails three times.
      const settle = settlement.settleHouseholds.bind(settlement);
      settlement.settleHouseholds = async (ids, run) => {
        if (ids.includes('H-c')) throw new Error('connection to the store reset (ECONNRESET)');
        return settle(ids, run);
      };
      const queue = new NightlyQueue(redis.url, settlement, logger, { householdsPerJob: 2 });
      try {
        queue.startWorker({ concurrency: 1 });
        await queue.enqueueRun(NIGHT.runDate, NIGHT.runAt);
        const summary = await queue.waitForRun(NIGHT.runDate);
        expect(summary.failures.map((f) => f.householdId)).toEqual(['H-broken', 'H-c']);
        const [entry] = await runHistory(store);
        expect(entry!.result!.failures).toEqual([
          { householdId: 'H-broken', reason: summary.failures[0]!.error },
          { householdId: 'H-c', reason: 'connection to the store reset (ECONNRESET)' },
        ]);
        expect(entry!.result).toMatchObject({ households: 3, paymentsMade: 1, paid: '1348.49' });
      } finally {
        await queue.close();
      }
    },
  );
});
