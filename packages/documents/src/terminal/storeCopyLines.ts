import { dutchInteger } from '../dutch.js';
import { dutchSeconds } from './demoReport.js';

/** What `store copy` copied (its summary: port.ts CopySummary). */
export interface CopiedCounts {
  events: number;
  streams: number;
  snapshots: number;
  claims: number;
}

/** `1 snapshot`, `2 snapshots`, `1.100.212 gebeurtenissen`. */
const count = (n: number, one: string, many: string) => `${dutchInteger(n)} ${n === 1 ? one : many}`;
const events = (n: number) => count(n, 'gebeurtenis', 'gebeurtenissen');
const streams = (n: number) => count(n, 'stream', 'streams');

/** `store copy`, every few seconds on stderr: how far it got. */
export const copyProgressLine = (eventCount: number, streamCount: number): string =>
  `  ${events(eventCount)} van ${streams(streamCount)} gekopieerd\n`;

/** `store copy`: what was copied, from where to where (locations without passwords), and how long it took. */
export function copySummaryLine(c: CopiedCounts, source: string, target: string, seconds: number): string {
  const what = `${events(c.events)} van ${streams(c.streams)}, ${count(c.snapshots, 'snapshot', 'snapshots')} en ${count(c.claims, 'berichtclaim', 'berichtclaims')}`;
  return `${what} gekopieerd van ${source} naar ${target} in ${dutchSeconds(seconds)}\n`;
}

/** `store copy --verify`: every stream, event, snapshot and message claim compared, and found the same. */
export const copyVerifiedLine = (streamCount: number): string =>
  `gecontroleerd: ${streams(streamCount)}; de JSON-tekst van elke gebeurtenis, elke snapshot en elke berichtclaim zijn gelijk\n`;
