import { euro } from '../format.js';

/** `buffer report`: the year's totals in one line (stderr, when no --totals file is named). */
export function bufferTotalsText(
  year: string,
  municipality: string | undefined,
  totals: { households: number; drawn: string; draws: number },
): string {
  const { households, drawn, draws } = totals;
  const of = municipality ? ` (${municipality})` : '';
  return `bufferbudget ${year}${of}: ${euro(drawn)} drawn by ${households} household${households === 1 ? '' : 's'} in ${draws} draw${draws === 1 ? '' : 's'}\n`;
}
