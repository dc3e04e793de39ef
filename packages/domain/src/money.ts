import { Decimal } from 'decimal.js';

/**
 * Money arithmetic for the whole domain. SPEC §0: exact decimals, ratios with at least
 * 28 significant digits, one round half-up (away from zero) to cents where the SPEC says.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export const ZERO: Money = new Money(0);

/** An amount as Money. An instance of Money is returned as it is: decimals are immutable. */
export function money(value: string | number | Decimal): Money {
  return value instanceof Money ? value : new Money(value);
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
