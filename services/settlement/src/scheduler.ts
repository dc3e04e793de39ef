import type { Logger } from '@bijstand/platform';
import { amsterdamDate, toInstant } from '@bijstand/platform';
import { nextNightlyRun, nightlyInstant } from './amsterdamTime.js';
import type { NightlySettlement } from './nightlyRun.js';
import type { RunSummary } from './runSummary.js';

export interface InProcessScheduler {
  /** Stops the timer and aborts a running night between two groups; resolves once it has stopped. */
  stop(): Promise<void>;
}

export interface InProcessSchedulerOptions {
  clock?: () => number;
  /**
   * At start, (re-)run today's night when its instant has passed: finishes a night a stop interrupted
   * or one missed while the process was down. Safe: a settled household appends nothing.
   */
  catchUp?: boolean;
  /** Households per group (one commit each): a stop ends the night after the current group. */
  groupSize?: number;
  onRunFinished?: (summary: RunSummary, durationMs: number) => void;
  onRunFailed?: (err: Error) => void;
}

/**
 * Without Redis: an in-process timer runs the nightly batch at 02:00 Europe/Amsterdam, once per
 * Amsterdam date (on the spring night at 03:00, on the autumn night at the first 02:00). A night runs
 * under its planned instant, not the moment the timer fired, so a late or repeated run decides the same.
 */
export function startInProcessScheduler(
  settlement: NightlySettlement,
  logger: Logger,
  options: InProcessSchedulerOptions = {},
): InProcessScheduler {
  const clock = options.clock ?? Date.now;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const run = async (planned: number) => {
    const runDate = amsterdamDate(planned);
    const started = clock();
    try {
      const summary = await settlement.runNightly(
        { runDate, runAt: toInstant(planned) },
        { signal: abort.signal, ...(options.groupSize ? { chunkSize: options.groupSize } : {}) },
      );
      options.onRunFinished?.(summary, clock() - started);
    } catch (err) {
      if (abort.signal.aborted)
        logger.warn({ runDate }, 'nightly run stopped between two groups; the next start finishes it');
      else {
        logger.error({ runDate, err: (err as Error).message }, 'nightly run failed');
        options.onRunFailed?.(err as Error);
      }
    }
  };
  const schedule = (after: number) => {
    if (abort.signal.aborted) return;
    const next = nextNightlyRun(after);
    logger.info({ runDate: amsterdamDate(next), at: toInstant(next) }, 'next nightly run scheduled (in-process)');
    timer = setTimeout(
      () => {
        running = run(next).then(() => schedule(next));
      },
      Math.max(0, next - clock()),
    );
  };

  const now = clock();
  const today = nightlyInstant(amsterdamDate(now));
  if (options.catchUp && today <= now) {
    logger.info(
      { runDate: amsterdamDate(today) },
      'catching up the night of today (settled households append nothing)',
    );
    running = run(today).then(() => schedule(Math.max(now, today)));
  } else schedule(now);

  return {
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
