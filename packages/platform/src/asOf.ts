import { instant, isoDate, type Instant } from '@bijstand/domain';
import { amsterdamInstant } from './amsterdamTime.js';

/** The last millisecond of a calendar date in Europe/Amsterdam, as a UTC instant (CET +1, CEST +2). */
export function endOfAmsterdamDay(date: string): Instant {
  const next = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + 1);
  // Midnight is never skipped or doubled in Amsterdam (the clocks change at 02:00 and 03:00).
  return new Date(amsterdamInstant(new Date(next).toISOString().slice(0, 10), '00:00') - 1).toISOString();
}

/**
 * An "as of" of the CLI and the workplace: a full UTC instant (`2027-08-01T00:00:00Z`), or a date
 * (`2027-07-31`), which means the end of that day in Europe/Amsterdam (everything recorded on it counts).
 * A wrong value gets the rule it breaks, never a guess.
 */
export function parseAsOf(value: string): { ok: true; value: Instant } | { ok: false; reason: string } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = isoDate.safeParse(value);
    return d.success
      ? { ok: true, value: endOfAmsterdamDay(d.data) }
      : { ok: false, reason: d.error.issues[0]!.message };
  }
  const i = instant.safeParse(value);
  if (i.success) return { ok: true, value: i.data };
  return {
    ok: false,
    reason:
      'must be a date YYYY-MM-DD (the end of that day, Europe/Amsterdam) or a UTC instant like 2027-08-01T00:00:00Z',
  };
}
