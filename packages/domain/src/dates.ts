/**
 * Calendar arithmetic on ISO strings. Pure: converts to day numbers via Date.UTC, never reads a clock.
 */
export type IsoDate = string; // YYYY-MM-DD
export type YearMonth = string; // YYYY-MM
export type Instant = string; // ISO-8601 UTC, e.g. 2027-01-05T02:00:00Z

const MS_PER_DAY = 86_400_000;

export interface Period {
  start: IsoDate;
  end: IsoDate;
}

export function dayNumber(date: IsoDate): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

export function isValidIsoDate(s: string): boolean {
  if (!/^\d{4}-(0[1-9]|1[0-2])-\d{2}$/.test(s)) return false;
  const day = Number(s.slice(8, 10));
  return day >= 1 && day <= daysInMonth(s.slice(0, 7));
}

export function monthOf(date: IsoDate): YearMonth {
  return date.slice(0, 7);
}

export function yearOf(monthOrDate: string): string {
  return monthOrDate.slice(0, 4);
}

export function monthNumber(month: YearMonth): number {
  return Number(month.slice(5, 7));
}

/** Days in a month by the Gregorian calendar (arithmetic, no Date object: asked for every month of every night). */
export function daysInMonth(month: YearMonth): number {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  if (m === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export function firstDay(month: YearMonth): IsoDate {
  return `${month}-01`;
}

export function lastDay(month: YearMonth): IsoDate {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

export function monthPeriod(month: YearMonth): Period {
  return { start: firstDay(month), end: lastDay(month) };
}

export function addMonths(month: YearMonth, n: number): YearMonth {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(year).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` inclusive, ascending. */
export function monthsBetween(from: YearMonth, to: YearMonth): YearMonth[] {
  const out: YearMonth[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The same day of the month in `month`, clamped to its length (SPEC §6.2 projection). */
export function sameDayInMonth(dayOfMonth: number, month: YearMonth): IsoDate {
  const d = Math.min(dayOfMonth, daysInMonth(month));
  return `${month}-${String(d).padStart(2, '0')}`;
}

/** days(P): number of days in an inclusive period; 0 when empty. */
export function days(p: Period | null): number {
  if (!p) return 0;
  const n = dayNumber(p.end) - dayNumber(p.start) + 1;
  return n > 0 ? n : 0;
}

export function intersect(a: Period, b: Period): Period | null {
  const start = a.start > b.start ? a.start : b.start;
  const end = a.end < b.end ? a.end : b.end;
  return start <= end ? { start, end } : null;
}

export function contains(p: Period, date: IsoDate): boolean {
  return p.start <= date && date <= p.end;
}

/** Months that a period touches, ascending, with the number of its days in each. */
export function monthlyDayCounts(p: Period): Array<{ month: YearMonth; days: number }> {
  const out: Array<{ month: YearMonth; days: number }> = [];
  for (const month of monthsBetween(monthOf(p.start), monthOf(p.end))) {
    out.push({ month, days: days(intersect(p, monthPeriod(month))) });
  }
  return out;
}

export function dateOfInstant(instant: Instant): IsoDate {
  return instant.slice(0, 10);
}

/** An open-ended period is closed at this far date so that intersections stay simple. */
export const OPEN_END: IsoDate = '9999-12-31';
