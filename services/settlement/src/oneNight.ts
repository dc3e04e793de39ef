import type { Logger } from '@bijstand/platform';
import type { NightlyRun, NightlySettlement } from './nightlyRun.js';
import type { MunicipalityRunSummary, RunSummary } from './runSummary.js';
import { NightlyQueue } from './queue.js';
import { checkRedis, redisLocation } from './redisConnection.js';

export interface OneNightOptions {
  /** Through BullMQ on this Redis: this process settles too, other workers may help. */
  redisUrl?: string;
  householdsPerJob?: number;
  /** Groups this process settles at once (with a Redis). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** Stops after the current group; the same night run again finishes it. */
  signal?: AbortSignal;
}

/**
 * One night for every household, then the summary (`run-nightly`): through the queue when a Redis is
 * named, so that running workers share it, else in this process.
 */
export async function settleOneNight(
  settlement: NightlySettlement,
  run: NightlyRun,
  logger: Logger,
  options: OneNightOptions = {},
): Promise<RunSummary> {
  const { onProgress, signal } = options;
  if (!options.redisUrl) return settlement.runNightly(run, { chunkSize: options.householdsPerJob, onProgress, signal });
  // An unreachable Redis is an error naming it within seconds, before the night is recorded.
  logger.info({ redis: redisLocation(options.redisUrl) }, 'connecting to Redis');
  await checkRedis(options.redisUrl, { signal });
  const queue = new NightlyQueue(options.redisUrl, settlement, logger, { householdsPerJob: options.householdsPerJob });
  try {
    queue.startWorker({ concurrency: options.concurrency });
    await untilAborted(queue.enqueueRun(run.runDate, run.runAt), signal);
    return await queue.waitForRun(run.runDate, onProgress, 200, signal);
  } finally {
    await queue.close();
  }
}

/** `work`, or its signal's reason as soon as it is aborted (the work itself goes on until the queue closes). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
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

/** The night's figures of one municipality of a deployment (every household was settled all the same). */
export function municipalityRunSummary(
  summary: RunSummary,
  municipality: string,
): { runDate: string; municipality: string } & MunicipalityRunSummary {
  return { runDate: summary.runDate, municipality, ...summary.municipalities![municipality]! };
}

/**
 * SIGINT/SIGTERM stop a night after the current group (logged: the same date run again finishes it):
 * the signal for `settleOneNight`, and `dispose` to stop listening once the night is over.
 */
export function nightStopSignal(logger: Logger): { signal: AbortSignal; dispose: () => void } {
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, 'stopping after the current group; run the same date again to finish the night');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  return { signal: abort.signal, dispose };
}
