import { Decimal } from 'decimal.js';

/**
 * Money arithmetic for the whole domain. SPEC §0: exact decimals, ratios with at least
 * 28 significant digits, one round half-up (away from zero) to cents where the SPEC says.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export const ZERO: Money = new Money(0);

/**
 * Decimals are immutable: an instance of Money is returned as it is, never copied, and the value of a
 * money string is parsed once and shared (the same few thousand amounts recur in every household).
 */
const parsedAmounts = new Map<string, Money>();
export function money(value: string | number | Decimal): Money {
  if (value instanceof Money) return value;
  if (typeof value !== 'string') return new Money(value);
  let parsed = parsedAmounts.get(value);
  if (parsed === undefined) {
    parsed = new Money(value);
    if (parsedAmounts.size >= 100_000) parsedAmounts.clear();
    parsedAmounts.set(value, parsed);
  }
  return parsed;
}

/** SPEC §0 round(x): half-up, away from zero, to 2 decimals. */
export function round(x: Decimal): Money {
  return money(x).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** `X × a / b` computed in full precision, rounded once (SPEC §0). */
export function ratio(x: Decimal, a: Decimal.Value, b: Decimal.Value): Money {
  return round(money(x).times(a).dividedBy(b));
}

export function max(a: Decimal, b: Decimal): Money {
  return money(a.greaterThanOrEqualTo(b) ? a : b);
}

export function min(a: Decimal, b: Decimal): Money {
  return money(a.lessThanOrEqualTo(b) ? a : b);
}

export function sum(values: Iterable<Decimal>): Money {
  let total: Decimal = ZERO;
  for (const v of values) total = total.plus(v);
  return money(total);
}

/** Money travels as strings with 2 decimals in every external format (SPEC §0). */
export function fmt(x: Decimal): string {
  const s = money(x).toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}
