import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import pg from 'pg';
import { addDays, inputsInRecordingOrder, instantMillis } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalityConfig, rulesVersionOf } from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { postgresAvailable, redisAvailable, startPostgres, startRedis } from '@bijstand/testkit';
import { generateHouseholds } from '@bijstand/synthetic';
import { householdEvents, startWorker } from './support/workers.js';
import { NightlyQueue, NightlySettlement } from '../src/index.js';

/**
 * Issue: two worker processes settle one night in parallel on PostgreSQL, one is killed mid-run:
 * every household is settled once, and the events are those of a single-process run.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const config = join(root, 'infra', 'config', 'demo-municipality.json');
const { ctx } = loadMunicipalityConfig(config);
const logger = createLogger('test', { level: 'silent' });
const HOUSEHOLDS = 120;
const NIGHT = { runDate: '2027-04-25', runAt: '2027-04-25T02:00:00Z' };
const rulesVersion = rulesVersionOf(ctx.params, ctx.policy);

/** Synthetic households ingested and settled every night up to the night before NIGHT, in memory. */
async function seeded(): Promise<EventStore> {
  const store = await openEventStore({ kind: 'memory' });
  const ingestor = new Ingestor(store, ctx, logger);
  const settlement = new NightlySettlement(store, ctx, rulesVersion, logger);
  const inputs = inputsInRecordingOrder(
    generateHouseholds({ households: HOUSEHOLDS, seed: 23, startMonth: '2027-01', months: 4 }),
  );
  let next = 0;
  for (let day = '2027-01-01'; day < NIGHT.runDate; day = addDays(day, 1)) {
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
    await settlement.runNightly({ runDate: day, runAt });
  }
  return store;
}

/** The same events, stream by stream, in a PostgreSQL database. */
async function copyTo(source: EventStore, target: EventStore): Promise<void> {
  const byStream = new Map<string, Awaited<ReturnType<EventStore['readAll']>>>();
  for (const e of await source.readAll()) byStream.set(e.streamName, [...(byStream.get(e.streamName) ?? []), e]);
  await target.appendMany(
    [...byStream].map(([streamName, events]) => ({
      streamName,
      events: events.map(({ eventId, type, schemaVersion, recordedAt, data, metadata }) => ({
        eventId,
        type,
        schemaVersion,
        recordedAt,
        data,
        ...(metadata ? { metadata } : {}),
      })),
    })),
  );
}

describe.skipIf(!redisAvailable() || !postgresAvailable())('a night on PostgreSQL with two worker processes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let server: Awaited<ReturnType<typeof startPostgres>>;
  let admin: pg.Pool;
  beforeAll(async () => {
    [redis, server] = await Promise.all([startRedis(), startPostgres()]);
    admin = new pg.Pool({ connectionString: server.url, max: 2 });
    admin.on('error', () => {}); // an idle connection ended by the server's shutdown is no failure
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await Promise.all([redis?.stop(), server?.stop()]);
  });

  it(
    'one killed mid-run: every household settled once, the events those of a single-process run',
    { timeout: 180_000 },
    async () => {
      const seed = await seeded();
      for (const name of ['reference', 'parallel']) await admin.query(`CREATE DATABASE ${name}`);
      const reference = await openEventStore({ kind: 'postgres', connectionString: server.urlOf('reference') });
      const parallel = await openEventStore({ kind: 'postgres', connectionString: server.urlOf('parallel') });
      await copyTo(seed, reference);
      await copyTo(seed, parallel);

      const single = await new NightlySettlement(reference, ctx, rulesVersion, logger).runNightly(NIGHT);
      expect(single.households).toBe(HOUSEHOLDS);
      expect(single.failures).toEqual([]);
      // 25 April: the payday of April, every household with an open case is paid.
      expect(single.paymentsMade).toBeGreaterThan(HOUSEHOLDS * 0.9);

      const env = { REDIS_URL: redis.url, EVENTSTORE_URL: server.urlOf('parallel'), MUNICIPALITY_CONFIG: config };
      const queue = new NightlyQueue(redis.url, new NightlySettlement(parallel, ctx, rulesVersion, logger), logger, 5);
      const [doomed, survivor] = await Promise.all([
        startWorker({ ...env, SLOW_MS: '20' }),
        startWorker({ ...env, SLOW_MS: '20' }),
      ]);
      await queue.enqueueRun(NIGHT.runDate, NIGHT.runAt);
      while ((await queue.progress(NIGHT.runDate)).done < HOUSEHOLDS / 3) await new Promise((r) => setTimeout(r, 20));
      doomed.kill('SIGKILL');
      expect((await queue.progress(NIGHT.runDate)).done).toBeLessThan(HOUSEHOLDS);

      const result = await queue.waitForRun(NIGHT.runDate);
      survivor.kill('SIGTERM');
      expect(result.households).toBe(HOUSEHOLDS);
      expect(result.failures).toEqual([]);
      expect(result.paymentsMade).toBe(single.paymentsMade);
      expect(result.paid).toBe(single.paid);

      const got = await householdEvents(parallel);
      expect(got).toEqual(await householdEvents(reference));
      // Settled once: one payment per household for April, no event id twice.
      expect(got.filter((line) => line.includes(' payment:2027-04 '))).toHaveLength(single.paymentsMade);
      expect(new Set(got.map((line) => line.split(' ').slice(0, 3).join(' '))).size).toBe(got.length);
      await queue.close();
      await Promise.all([reference.close(), parallel.close()]);
    },
  );
});
