// A settlement worker process: takes nightly jobs from BullMQ until SIGTERM. Configured by the
// environment (REDIS_URL, SQLITE_PATH or EVENTSTORE_CONNECTION_STRING, MUNICIPALITY_CONFIG,
// WORKER_CONCURRENCY). Several of them on several machines partition the households of a night.
import { openEventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalityConfig, readRuntimeEnv, rulesVersionOf } from '@bijstand/platform';
import { NightlySettlement } from './nightlyRun.js';
import { NightlyQueue } from './queue.js';

const env = readRuntimeEnv();
if (!env.REDIS_URL) throw new Error('REDIS_URL is required for a settlement worker process');
const { ctx } = loadMunicipalityConfig(env.MUNICIPALITY_CONFIG);
const store = env.EVENTSTORE_CONNECTION_STRING
  ? await openEventStore({ kind: 'eventstoredb', connectionString: env.EVENTSTORE_CONNECTION_STRING })
  : await openEventStore({ kind: 'sqlite', path: env.SQLITE_PATH });
const logger = createLogger('settlement-worker', { level: env.LOG_LEVEL });
const settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger, { cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS });
const queue = new NightlyQueue(env.REDIS_URL, settlement, logger);
const worker = queue.startWorker({ concurrency: Number(process.env.WORKER_CONCURRENCY ?? 4) });
process.send?.('ready');
const stop = async () => {
  await worker.close();
  await queue.close();
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
