import type { Instant, IsoDate } from '@bijstand/domain';

/**
 * Wall-clock time in Europe/Amsterdam: where the nightly batch is planned and where an "as of" date ends.
 * Pure: every function takes the instant it reasons about; none reads a clock.
 */
export const ZONE = 'Europe/Amsterdam';

const HOUR = 3_600_000;
const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The Amsterdam date and HH:MM of an instant. */
export function amsterdamWallClock(epochMillis: number): { date: IsoDate; time: string } {
  const p = Object.fromEntries(parts.formatToParts(new Date(epochMillis)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The calendar date in Amsterdam of an instant. */
export function amsterdamDate(epochMillis: number): IsoDate {
  return amsterdamWallClock(epochMillis).date;
}

export const toInstant = (epochMillis: number): Instant =>
  new Date(epochMillis).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The instant of an Amsterdam wall-clock time (HH:MM) on a date. Amsterdam is UTC+1 or UTC+2, so one
 * of those two offsets gives the wall time back. Clock changes are resolved as Temporal's
 * 'compatible' disambiguation does: a time the spring change skips (02:00–02:59 on the last Sunday of
 * March) is taken an hour later, and a time the autumn change repeats is taken at its first occurrence.
 */
export function amsterdamInstant(date: IsoDate, time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), h, m);
  const matches = [2, 1]
    .map((offset) => wall - offset * HOUR)
    .filter((t) => {
      const c = amsterdamWallClock(t);
      return c.date === date && c.time === time;
    });
  // Earliest first: on the autumn night both offsets match and the first occurrence (UTC+2) wins.
  if (matches.length > 0) return matches[0]!;
  // In the spring gap: the same wall time read with the offset of before the change (UTC+1) lands an
  // hour later on the clock (02:30 → 03:30).
  return wall - 1 * HOUR;
}
