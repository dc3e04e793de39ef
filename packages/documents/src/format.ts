import { money } from '@bijstand/domain';

/** What people read: amounts and dates in Dutch (`€ 1.199,52`, `1 augustus 2027`). */

export function euro(amount: string): string {
  const value = money(amount);
  const [int, dec] = value.abs().toFixed(2).split('.') as [string, string];
  // Grouping by hand: Intl rounds through a JS number, money never does.
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${value.isNegative() && !value.isZero() ? '−' : ''}€ ${grouped},${dec}`;
}

/** An amount with a decimal comma and no grouping, as Dutch spreadsheets read it (`1199,52`). */
export const decimalComma = (amount: string): string => amount.replace('.', ',');

const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];

export function dutchDate(date: string): string {
  return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}
