import { InvalidArgumentError } from 'commander';
import { instant, isoDate, isValidIsoDate, municipalityCode } from '@bijstand/domain';
import { parseAsOf } from '@bijstand/platform';

/** The exit codes of every command (documented in `cli --help`). */
export const EXIT = {
  /** Done. */
  done: 0,
  /** Failed: a household could not be settled, a run was stopped, or an unexpected error. */
  failed: 1,
  /** Usage: a wrong command, flag or value, or a wrong environment/configuration. */
  usage: 2,
  /** Done, but some input was rejected (and stored with its reason). */
  doneWithRejectedInput: 3,
} as const;

/** A user error: reported in one line, exit code 2, never with a stack trace. */
export class UsageError extends Error {}

/** Option value parsers: each refuses a wrong value with the rule it breaks (commander names the option). */
export function dateValue(value: string): string {
  const parsed = isoDate.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]!.message} (e.g. 2027-03-01).`);
  return parsed.data;
}

export function instantValue(value: string): string {
  const parsed = instant.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]!.message}.`);
  return parsed.data;
}

/** --as-of: a UTC instant, or a date meaning the end of that day in Europe/Amsterdam (parseAsOf). */
export function asOfValue(value: string): string {
  const parsed = parseAsOf(value);
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.reason}.`);
  return parsed.value;
}

export function monthValue(value: string): string {
  if (!/^\d{4}-\d{2}$/.test(value) || !isValidIsoDate(`${value}-01`))
    throw new InvalidArgumentError('must be a calendar month YYYY-MM (e.g. 2027-03).');
  return value;
}

export function yearValue(value: string): string {
  if (!/^(19|20|21)\d{2}$/.test(value)) throw new InvalidArgumentError('must be a year YYYY (e.g. 2027).');
  return value;
}

/** HH:MM on a 24-hour clock. */
export function wallTimeValue(value: string): string {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value))
    throw new InvalidArgumentError('must be a time HH:MM on a 24-hour clock (e.g. 02:00).');
  return value;
}

export function positiveIntValue(value: string): number {
  if (!/^[1-9]\d{0,6}$/.test(value)) throw new InvalidArgumentError('must be a whole number from 1.');
  return Number(value);
}

/** Not empty, and at most `max` characters (a name or reason stored in an event is bounded). */
export function boundedText(max = Infinity): (value: string) => string {
  return (value) => {
    if (value.trim() === '') throw new InvalidArgumentError('must not be empty.');
    if (value.length > max) throw new InvalidArgumentError(`at most ${max} characters (got ${value.length}).`);
    return value;
  };
}
export const nonEmptyValue = boundedText();

/** A CBS municipality code, e.g. GM0106 (Assen). */
export function municipalityValue(value: string): string {
  const parsed = municipalityCode.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]!.message}.`);
  return parsed.data;
}
