import type { IsoDate } from '@bijstand/domain';
import { amsterdamDate, amsterdamInstant } from '@bijstand/platform';

/** The nightly batch's wall-clock time in Europe/Amsterdam. */
export const NIGHTLY_WALL_TIME = '02:00';

/** The instant of the nightly run of a date: 02:00 in Amsterdam (03:00 on the night the clocks go forward). */
export function nightlyInstant(date: IsoDate): number {
  return amsterdamInstant(date, NIGHTLY_WALL_TIME);
}

/** The first nightly run strictly after `epochMillis`: exactly one per Amsterdam date, DST nights included. */
export function nextNightlyRun(epochMillis: number): number {
  const today = amsterdamDate(epochMillis);
  const candidate = nightlyInstant(today);
  if (candidate > epochMillis) return candidate;
  const y = Number(today.slice(0, 4));
  const mo = Number(today.slice(5, 7));
  const d = Number(today.slice(8, 10));
  return nightlyInstant(new Date(Date.UTC(y, mo - 1, d + 1)).toISOString().slice(0, 10));
}
