// A settlement worker process for the crash test: settles jobs from the queue until it is killed.
import { eventStoreConfigFromEnv, openEventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalityConfig, rulesVersionOf } from '@bijstand/platform';
import { NightlySettlement, NightlyQueue } from '../../src/index.js';

const { ctx } = loadMunicipalityConfig(process.env.MUNICIPALITY_CONFIG);
// SQLITE_PATH, or EVENTSTORE_URL for PostgreSQL.
const store = await openEventStore(
  eventStoreConfigFromEnv({
    EVENTSTORE_URL: process.env.EVENTSTORE_URL,
    SQLITE_PATH: process.env.SQLITE_PATH ?? 'data/events.sqlite',
  }),
);
const logger = createLogger('worker', { level: 'silent' });
const settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
const queue = new NightlyQueue(process.env.REDIS_URL!, settlement, logger, 5);
// Slow enough per household that the parent can kill it halfway through the night.
const slow = Number(process.env.SLOW_MS ?? 0);
const original = settlement.settleHouseholds.bind(settlement);
// DIE_AFTER_APPEND: the worst moment to die, the group's decisions stored and nothing reported yet.
const dieAfterAppend = process.env.DIE_AFTER_APPEND === '1';
settlement.settleHouseholds = async (ids, run) => {
  await new Promise((r) => setTimeout(r, slow * ids.length));
  const settled = await original(ids, run);
  if (dieAfterAppend && settled.results.some((r) => r.appended > 0)) process.kill(process.pid, 'SIGKILL');
  return settled;
};
queue.startWorker({ concurrency: 2, lockDuration: 1500, stalledInterval: 500 });
process.send?.('ready');
