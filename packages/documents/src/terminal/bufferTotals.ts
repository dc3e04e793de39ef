import { euro } from '../format.js';

/** `buffer report`: the year's totals in one Dutch line (stderr, when no --totals file is named). */
export function bufferTotalsText(
  year: string,
  municipality: string | undefined,
  totals: { households: number; drawn: string; draws: number },
): string {
  const { households, drawn, draws } = totals;
  const of = municipality ? ` (${municipality})` : '';
  const by = `${households} ${households === 1 ? 'huishouden' : 'huishoudens'} in ${draws} keer`;
  return `bufferbudget ${year}${of}: ${euro(drawn)} ingezet voor ${by}\n`;
}

/** `buffer report --totals FILE`: the year's totals as JSON (with the municipality when one is named). */
export function bufferTotalsJson(
  year: string,
  municipality: string | undefined,
  totals: { households: number; drawn: string; draws: number },
): string {
  return JSON.stringify({ year, ...(municipality ? { municipality } : {}), ...totals }, null, 2) + '\n';
}
