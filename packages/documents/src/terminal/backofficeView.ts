import { table } from '@bijstand/terminal/table';
import { dutchInstant, euro } from '../dutch.js';

/** The backoffice's views of rejected messages, the actions on them and the run history, in Dutch. */

export interface RejectedRow {
  id: string;
  kind: string;
  rejectedAt: string;
  source: string;
  householdId: string | null;
  messageId: string | null;
  reasonNl: string;
  status: 'open' | 'processed' | 'dismissed';
  handling: ReadonlyArray<{ action: string; by: string; reason: string; at: string; outcome?: string }>;
}

const KIND: Record<string, string> = { statement: 'loonopgave', case: 'zaakgebeurtenis' };
const STATUS: Record<RejectedRow['status'], string> = {
  open: 'open',
  processed: 'verwerkt',
  dismissed: 'terzijde gelegd',
};
const OUTCOME: Record<string, string> = {
  recorded: 'vastgelegd',
  duplicate: 'was al vastgelegd',
  parked: 'geparkeerd (wacht op de zaak)',
  rejected: 'opnieuw afgekeurd',
  waiting: 'wacht nog',
};

/**
 * `rejected list`: a block per message with what the backoffice needs to act (the id to type, household,
 * message id, source and the Dutch reason); `--all` adds its status and what was done with it, by whom.
 */
export function rejectedListText(items: readonly RejectedRow[], all: boolean): string {
  if (items.length === 0) return all ? 'Geen afgekeurde berichten.\n' : 'Geen open afgekeurde berichten.\n';
  const blocks = items.map((r) => {
    const status = all ? `  [${STATUS[r.status]}]` : '';
    const head = `${r.id}  ${KIND[r.kind] ?? r.kind}, afgekeurd op ${dutchInstant(r.rejectedAt)}${status}`;
    const about = `  huishouden ${r.householdId ?? '-'} · bericht ${r.messageId ?? '-'} · bron: ${r.source}`;
    const done = all ? r.handling.map((h) => `  ${actionLine(h)}`) : [];
    return [head, about, `  reden: ${r.reasonNl}`, ...done].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

function actionLine(h: RejectedRow['handling'][number]): string {
  const what =
    h.action === 'dismissed' ? 'terzijde gelegd' : `opnieuw verwerkt, ${OUTCOME[h.outcome ?? ''] ?? h.outcome}`;
  return `${what} door ${h.by} op ${dutchInstant(h.at)}: ${h.reason}`;
}

/** `rejected list` on stderr: how many are open, and how to act on them. */
export function rejectedCountText(open: number, total: number): string {
  const act = open > 0 ? '; `./cli rejected retry ID --by NAAM --reason TEKST` of `dismiss`' : '';
  return `${open} van ${total} afgekeurde berichten open${act}\n`;
}

/** What a retry did (rejected or parked message), in one line. */
export function retryOutcomeText(
  id: string,
  outcome: { status: string; householdId?: string; reason?: string },
  reasonNl?: string,
): string {
  const where = outcome.householdId ? ` in huishouden ${outcome.householdId}` : '';
  const why = outcome.status === 'rejected' && reasonNl ? `: ${reasonNl}` : '';
  return `Bericht ${id} opnieuw verwerkt: ${OUTCOME[outcome.status] ?? outcome.status}${where}${why}\n`;
}

export const dismissedText = (id: string): string => `Bericht ${id} terzijde gelegd; het wordt niet verwerkt.\n`;

export interface RunHistoryRow {
  runDate: string;
  runAt: string;
  rulesVersion: string;
  held: readonly string[];
  result: {
    households: number;
    monthsSettled: number;
    paymentsMade: number;
    paid: string;
    alerts: number;
    failures: ReadonlyArray<{ householdId: string; reason: string }>;
  } | null;
}

/** `runs`: a row per night, then each failed household with its reason. */
export function runHistoryText(entries: readonly RunHistoryRow[]): string {
  if (entries.length === 0) return 'Nog geen nachtruns vastgelegd.\n';
  const rows = [['nacht', 'tijdstip', 'huishoudens', 'maanden', 'betalingen', 'betaald', 'signalen', 'mislukt']];
  for (const e of entries) {
    const r = e.result;
    rows.push([
      e.runDate,
      dutchInstant(e.runAt),
      ...(r
        ? [r.households, r.monthsSettled, r.paymentsMade].map(String).concat(euro(r.paid), String(r.alerts))
        : ['-', '-', '-', '-', '-']),
      r ? String(r.failures.length) : 'niet vastgelegd',
    ]);
  }
  const lines = [table(rows)];
  for (const e of entries) {
    if (e.held.length > 0) lines.push(`${e.runDate}: niet afgerekend voor ${e.held.join(', ')} (regelwijziging wacht)`);
    for (const f of e.result?.failures ?? []) lines.push(`${e.runDate}: mislukt ${f.householdId}: ${f.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
