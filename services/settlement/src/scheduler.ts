import type { Instant, IsoDate } from '@bijstand/domain';
import type { Logger } from '@bijstand/platform';
import { amsterdamDate } from './queue.js';
import type { NightlySettlement } from './nightlyRun.js';

/** Milliseconds until the next 02:00 in Europe/Amsterdam after `now` (DST-safe: checks by formatting). */
export function millisUntilNextRun(now: number): number {
  const minute = 60_000;
  // Walk forward minute by minute from the next whole minute; at most ~25 h of steps, once a day.
  let t = Math.ceil((now + 1) / minute) * minute;
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (let i = 0; i < 26 * 60; i++, t += minute) if (fmt.format(new Date(t)) === '02:00') return t - now;
  throw new Error('no 02:00 Europe/Amsterdam within 26 hours');
}

/** Without Redis: an in-process timer runs the nightly batch at 02:00 Europe/Amsterdam. */
export function startInProcessScheduler(settlement: NightlySettlement, logger: Logger, clock: () => number = Date.now): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const wait = millisUntilNextRun(clock());
    logger.info({ inMinutes: Math.round(wait / 60_000) }, 'next nightly run scheduled (in-process)');
    timer = setTimeout(async () => {
      const now = clock();
      const runDate: IsoDate = amsterdamDate(now);
      const runAt: Instant = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      try {
        await settlement.runNightly({ runDate, runAt });
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'nightly run failed');
      }
      schedule();
    }, wait);
  };
  schedule();
  return { stop: () => timer && clearTimeout(timer) };
}
