import { table } from '@bijstand/terminal/table';

/** A message still waiting for its case, as ingest lists it. */
export interface ParkedRow {
  id: string;
  parkedAt: string;
  kind: string;
  reference: string;
  member: string | null;
  householdId: string | null;
  days: number;
  overdue: boolean;
  reasonNl: string;
}

/** `parked list`: a row per parked message with its id (for `parked retry|dismiss`) and what it waits for (stdout). */
export function parkedTableText(items: readonly ParkedRow[], alertAfterDays: number): string {
  if (items.length === 0) return 'Geen geparkeerde berichten.\n';
  const rows = [['id', 'geparkeerd op', 'soort', 'bericht', 'lid', 'huishouden', 'dagen', 'signaal', 'reden']];
  for (const p of items)
    rows.push([
      p.id,
      p.parkedAt,
      p.kind === 'statement' ? 'loonopgave' : 'zaakgebeurtenis',
      p.reference,
      p.member ?? '-',
      p.householdId ?? '-',
      String(p.days),
      p.overdue ? `langer dan ${alertAfterDays} dagen` : '-',
      p.reasonNl,
    ]);
  return `${table(rows)}\n`;
}

/** `parked list`: how many are parked and overdue, and what to do about those (stderr). */
export function parkedSummaryText(items: readonly ParkedRow[], alertAfterDays: number): string {
  const overdue = items.filter((p) => p.overdue).length;
  const todo = overdue > 0 ? ' (`./cli parked alert` maakt er een signaal van)' : '';
  const messages = items.length === 1 ? 'geparkeerd bericht' : 'geparkeerde berichten';
  return `${items.length} ${messages}, ${overdue} langer dan ${alertAfterDays} dagen${todo}\n`;
}
