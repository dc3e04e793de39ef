import { maskBsnRuns } from '@bijstand/platform';

/** An alert ingest raised for the consultant (identity conflict, version without its initial, parked too long). */
export interface IngestAlertLine {
  kind: string;
  householdId: string | null;
  member: string | null;
  reference: string;
  reason: string;
  raisedAt: string;
}

/** `parked alert`: one raised now, by its message and member (or household). */
export const parkedAlertLine = (a: IngestAlertLine): string =>
  `${a.raisedAt} ${a.kind} ${a.reference} ${a.member ?? a.householdId ?? ''}: ${a.reason}\n`;

/** `rejected alerts`: household, member, message, why; the reference and reason come from other systems (masked). */
export function ingestAlertLine(a: IngestAlertLine): string {
  const about = `${a.householdId ?? '-'} ${a.member ?? '-'} ${maskBsnRuns(a.reference)}`;
  return `${a.raisedAt} ${a.kind} ${about}: ${maskBsnRuns(a.reason)}\n`;
}

/** `rejected list`: a rejected message as stored (its source and reason masked: they come from other systems). */
export function rejectedMessageLine(recordedAt: string, data: unknown): string {
  const d = data as { kind: string; reason: string; source: unknown };
  return `${recordedAt} ${d.kind} ${maskBsnRuns(JSON.stringify(d.source))}: ${maskBsnRuns(d.reason)}\n`;
}

/**
 * `ingest`: a message refused as the file or stdin was read: where (its line), why in Dutch with what to
 * do, and the rule's own detail (naming the field and the article; it comes from other systems: masked).
 */
export function rejectedInputLines(line: number | null, reasonNl: string, detail: string): string {
  return `${line === null ? 'bericht' : `regel ${line}`}: afgewezen. ${reasonNl}\n  (${maskBsnRuns(detail)})\n`;
}

/** `ingest`: how many of the messages were rejected, and where to read why (stderr). */
export function rejectedSummaryText(counts: Readonly<Record<string, number>>): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const messages = total === 1 ? 'bericht' : 'berichten';
  return `${counts.rejected} van de ${total} ${messages} afgewezen; de redenen: \`./cli rejected list\`\n`;
}
