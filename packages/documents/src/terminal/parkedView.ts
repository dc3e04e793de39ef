import { table } from '@bijstand/terminal/table';
import { counted } from './counted.js';

/** A message still waiting for its case, as ingest lists it. */
export interface ParkedRow {
  parkedAt: string;
  kind: string;
  reference: string;
  member: string | null;
  householdId: string | null;
  days: number;
  overdue: boolean;
}

/** `parked list`: a row per parked message (stdout). */
export function parkedTableText(items: readonly ParkedRow[], alertAfterDays: number): string {
  const rows = [['parked', 'kind', 'message', 'member', 'household', 'days', 'alert']];
  for (const p of items)
    rows.push([
      p.parkedAt,
      p.kind,
      p.reference,
      p.member ?? '-',
      p.householdId ?? '-',
      String(p.days),
      p.overdue ? `parked more than ${alertAfterDays} days` : '-',
    ]);
  return `${table(rows)}\n`;
}

/** `parked list`: how many are parked and overdue, and what to do about those (stderr). */
export function parkedSummaryText(items: readonly ParkedRow[], alertAfterDays: number): string {
  const overdue = items.filter((p) => p.overdue).length;
  const todo = overdue > 0 ? ' (`./cli parked alert` raises an alert for them)' : '';
  return `${counted(items.length, 'parked message')}, ${overdue} parked more than ${alertAfterDays} days${todo}\n`;
}
