import { instant, isoDate, type Instant } from '@bijstand/domain';

const ZONE = 'Europe/Amsterdam';
const HOUR = 3_600_000;
const wall = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const wallOf = (ms: number) => {
  const p = Object.fromEntries(wall.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
};

/** The last millisecond of a calendar date in Europe/Amsterdam, as a UTC instant (CET +1, CEST +2). */
export function endOfAmsterdamDay(date: string): Instant {
  const next = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + 1);
  const nextDate = new Date(next).toISOString().slice(0, 10);
  // Midnight is never skipped or doubled in Amsterdam (the clocks change at 02:00 and 03:00): one offset fits.
  const midnight = [HOUR, 2 * HOUR].map((o) => next - o).find((ms) => wallOf(ms) === `${nextDate}T00:00`)!;
  return new Date(midnight - 1).toISOString();
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
