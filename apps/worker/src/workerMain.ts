// A settlement worker process: takes nightly jobs from BullMQ until SIGTERM/SIGINT. Configured by the
// environment (REDIS_URL, SQLITE_PATH, EVENTSTORE_URL or EVENTSTORE_CONNECTION_STRING, MUNICIPALITY_CONFIG,
// WORKER_CONCURRENCY, SETTLEMENT_GROUP_SIZE). Several of them on several machines partition the
// households of a night. `cli worker` is the full worker (scheduler, alerts, /health, /metrics).
import { eventStoreConfigFromEnv, openEventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalities, readRuntimeEnv } from '@bijstand/platform';
import { NightlyQueue, NightlySettlement, checkRedis } from '@bijstand/settlement';

const env = readRuntimeEnv();
const logger = createLogger('settlement-worker', { level: env.LOG_LEVEL });
if (!env.REDIS_URL) {
  logger.fatal('REDIS_URL is required for a settlement worker process');
  process.exit(2);
}
// An unreachable Redis ends the process naming it (within seconds), before anything is opened.
await checkRedis(env.REDIS_URL);
// Every municipality of the deployment: each household is settled under its own (MUNICIPALITY_CONFIG).
const municipalities = loadMunicipalities(env.MUNICIPALITY_CONFIG);
const store = await openEventStore(eventStoreConfigFromEnv(env));
const { ctx, rulesVersion } = municipalities.defaultMunicipality;
const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, {
  cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS,
  municipalities,
});
const queue = new NightlyQueue(env.REDIS_URL, settlement, logger, { householdsPerJob: env.SETTLEMENT_GROUP_SIZE });
queue.startWorker({ concurrency: env.WORKER_CONCURRENCY });
process.send?.('ready');
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'settlement worker stopping: finishing the current group');
  await queue.close();
  await store.close();
  logger.info({ signal }, 'settlement worker stopped');
  process.exit(0);
};
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
