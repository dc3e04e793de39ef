import { euro } from '../format.js';
import { counted } from './counted.js';

/** `buffer report`: the year's totals in one line (stderr, when no --totals file is named). */
export function bufferTotalsText(
  year: string,
  municipality: string | undefined,
  totals: { households: number; drawn: string; draws: number },
): string {
  const { households, drawn, draws } = totals;
  const of = municipality ? ` (${municipality})` : '';
  const by = `${counted(households, 'household')} in ${counted(draws, 'draw')}`;
  return `bufferbudget ${year}${of}: ${euro(drawn)} drawn by ${by}\n`;
}

/** `buffer report --totals FILE`: the year's totals as JSON (with the municipality when one is named). */
export function bufferTotalsJson(
  year: string,
  municipality: string | undefined,
  totals: { households: number; drawn: string; draws: number },
): string {
  return JSON.stringify({ year, ...(municipality ? { municipality } : {}), ...totals }, null, 2) + '\n';
}
