import { createLogger, readRuntimeEnv, rulesVersionOf } from '@bijstand/platform';
import { NightlyQueue, NightlySettlement, amsterdamInstant, toInstant, type RunSummary } from '@bijstand/settlement';
import { EXIT } from '../args.js';
import { progressBar } from '../progress.js';
import { municipalityConfig, withStore } from './shared.js';

/**
 * `run-nightly`: one night for every household, then exit. With REDIS_URL through BullMQ (this process
 * settles too, other workers may help); SIGINT/SIGTERM stops after the current group.
 */
export async function runNightlyCommand(options: { date: string; at: string; store?: string }): Promise<void> {
  const env = readRuntimeEnv();
  const runAt = toInstant(amsterdamInstant(options.date, options.at));
  const { ctx } = municipalityConfig(env, 'the night is settled under the national tables and default policy');
  const logger = createLogger('settlement', { level: env.LOG_LEVEL });
  await withStore(options, 'existing', async (store) => {
    const settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger, { cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS });
    const bar = progressBar(`nightly ${options.date}`);
    const abort = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      logger.warn({ signal }, 'stopping after the current group; run the same date again to finish the night');
      abort.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let summary: RunSummary;
    try {
      if (env.REDIS_URL) {
        const queue = new NightlyQueue(env.REDIS_URL, settlement, logger, { householdsPerJob: env.SETTLEMENT_GROUP_SIZE });
        try {
          queue.startWorker({ concurrency: env.WORKER_CONCURRENCY });
          await queue.enqueueRun(options.date, runAt);
          summary = await queue.waitForRun(options.date, (d, t) => bar.update(d, t), 200, abort.signal);
        } finally {
          await queue.close();
        }
      } else {
        summary = await settlement.runNightly({ runDate: options.date, runAt }, { onProgress: (d, t) => bar.update(d, t), signal: abort.signal });
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
      bar.finish();
      process.stderr.write(`night of ${options.date} stopped before the end\n`);
      process.exitCode = EXIT.failed;
      return;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    bar.finish();
    process.stdout.write(`${JSON.stringify({ ...summary, runAt }, null, 2)}\n`);
    // A store without households settles nothing: say so, naming the store (a wrong --store or SQLITE_PATH?).
    if (summary.households === 0) process.stderr.write(`warning: the event store ${store.name} holds no households: nothing was settled (is --store or SQLITE_PATH the store you meant?)\n`);
    if (summary.failures.length > 0) process.exitCode = EXIT.failed;
  });
}
