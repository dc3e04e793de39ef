import { createLogger, readRuntimeEnv } from '@bijstand/platform';
import {
  NightlyQueue,
  NightlySettlement,
  amsterdamInstant,
  checkRedis,
  redisLocation,
  toInstant,
  type RunSummary,
} from '@bijstand/settlement';
import { EXIT, UsageError } from '../args.js';
import { progressBar } from '@bijstand/terminal';
import { deploymentConfig, withStore } from './shared.js';

/**
 * `run-nightly`: one night for every household, then exit. With REDIS_URL through BullMQ (this process
 * settles too, other workers may help); SIGINT/SIGTERM stops after the current group. An unreachable
 * Redis is an error naming it within seconds, before the night is recorded.
 */
export async function runNightlyCommand(options: {
  date: string;
  at: string;
  municipality?: string;
  store?: string;
}): Promise<void> {
  const env = readRuntimeEnv();
  const runAt = toInstant(amsterdamInstant(options.date, options.at));
  // Each household under its own municipality's rules (a deployment of several), else the one municipality's.
  const municipalities = deploymentConfig(env, 'the night is settled under the national tables and default policy');
  if (options.municipality !== undefined && !municipalities.byCode.has(options.municipality))
    throw new UsageError(
      municipalities.mode === 'multi'
        ? `--municipality: ${options.municipality} is not a municipality of this deployment (MUNICIPALITY_CONFIG has ${municipalities.codes.join(', ')})`
        : '--municipality: the summary per municipality needs a MUNICIPALITY_CONFIG with several municipalities',
    );
  const logger = createLogger('settlement', { level: env.LOG_LEVEL });
  const { ctx, rulesVersion } = municipalities.defaultMunicipality;
  await withStore(options, 'existing', async (store) => {
    const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, {
      cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS,
      municipalities,
    });
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
        logger.info({ redis: redisLocation(env.REDIS_URL) }, 'connecting to Redis');
        await checkRedis(env.REDIS_URL, { signal: abort.signal });
        const queue = new NightlyQueue(env.REDIS_URL, settlement, logger, {
          householdsPerJob: env.SETTLEMENT_GROUP_SIZE,
        });
        try {
          queue.startWorker({ concurrency: env.WORKER_CONCURRENCY });
          await untilAborted(queue.enqueueRun(options.date, runAt), abort.signal);
          summary = await queue.waitForRun(options.date, (d, t) => bar.update(d, t), 200, abort.signal);
        } finally {
          await queue.close();
        }
      } else {
        summary = await settlement.runNightly(
          { runDate: options.date, runAt },
          { chunkSize: env.SETTLEMENT_GROUP_SIZE, onProgress: (d, t) => bar.update(d, t), signal: abort.signal },
        );
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
    // With --municipality only that municipality's figures (every household was settled all the same).
    const shown =
      options.municipality !== undefined
        ? {
            runDate: summary.runDate,
            municipality: options.municipality,
            ...summary.municipalities![options.municipality]!,
          }
        : summary;
    process.stdout.write(`${JSON.stringify({ ...shown, runAt }, null, 2)}\n`);
    // A store without households settles nothing: say so, naming the store (a wrong --store or SQLITE_PATH?).
    if (summary.households === 0)
      process.stderr.write(
        `warning: the event store ${store.name} holds no households: nothing was settled (is --store or SQLITE_PATH the store you meant?)\n`,
      );
    if (summary.failures.length > 0) process.exitCode = EXIT.failed;
  });
}

/** `work`, or its signal's reason as soon as it is aborted (the work itself goes on until the queue closes). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
    work.catch(() => {});
  }
}
