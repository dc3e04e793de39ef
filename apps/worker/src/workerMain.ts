// A settlement worker process: takes nightly jobs from BullMQ until SIGTERM/SIGINT. Configured by the
// environment (REDIS_URL, SQLITE_PATH, EVENTSTORE_URL or EVENTSTORE_CONNECTION_STRING, MUNICIPALITY_CONFIG,
// WORKER_CONCURRENCY, SETTLEMENT_GROUP_SIZE). Several of them on several machines partition the
// households of a night. `cli worker` is the full worker (scheduler, alerts, /health, /metrics).
import { eventStoreConfigFromEnv, openEventStore } from '@bijstand/event-store';
import { createLogger, guardStoreKey, loadMunicipalities, readRuntimeEnv } from '@bijstand/platform';
import { NightlyQueue, NightlySettlement, checkRedis, requireRecordedConfiguration } from '@bijstand/settlement';

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
// One key per store (platform/storeKey.ts): a worker started with another key stops before it settles anything.
try {
  await guardStoreKey(store, process.env, { record: false, at: new Date().toISOString() });
} catch (err) {
  logger.fatal({ err }, (err as Error).message);
  await store.close();
  process.exit(2);
}
// Missing configuration in production is an error: the store's nights ran under a municipality's rules.
try {
  await requireRecordedConfiguration(store, { configured: Boolean(env.MUNICIPALITY_CONFIG) });
} catch (err) {
  logger.fatal({ err }, (err as Error).message);
  await store.close();
  process.exit(2);
}
const { ctx, rulesVersion } = municipalities.defaultMunicipality;
const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, {
  cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS,
  municipalities,
  // A municipality whose rules changed waits for acceptance; the others are settled.
  onRulesChange: 'hold',
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
