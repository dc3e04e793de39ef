import type { AlertKind } from '@bijstand/domain';
import { ALERT_PRIORITY_NL, alertReasonNl } from '../alertText.js';
import { ALERT_KIND, dutchMonth } from '../dutch.js';

/** An alert as `alerts list` shows it: recorded by the alerts service, or decided and not yet handed on (`new`). */
export interface AlertRow {
  alertId: string;
  householdId: string;
  month: string;
  kind: AlertKind;
  amount?: string;
  details: Readonly<Record<string, string>>;
  raisedOn: string;
  /** Delivery: new, pending, delivered, dead-letter. */
  state: string;
  acknowledgedBy?: string;
  acknowledgementNote?: string;
}

/** What the caller decided (services/alerts alertPriority and alertHandling, the one source for CLI and web). */
export interface AlertRowView extends AlertRow {
  priority: 1 | 2 | 3;
  handling: 'open' | 'acknowledged';
}

/** `alerts list`: a row per alert in the order given, then the count; the id last, for `alerts ack`. */
export function alertsTableText(alerts: readonly AlertRowView[]): string {
  const rows = [['prioriteit', 'huishouden', 'maand', 'soort', 'reden', 'status', 'signaal']];
  for (const a of alerts)
    rows.push([
      ALERT_PRIORITY_NL[a.priority],
      a.householdId,
      dutchMonth(a.month),
      ALERT_KIND[a.kind],
      alertReasonNl(a),
      status(a),
      a.alertId,
    ]);
  return `${leftAligned(rows)}\n${alerts.length} ${alerts.length === 1 ? 'signaal' : 'signalen'}\n`;
}

/** Handled or open; an open alert no channel could deliver says so (the consultant may not have seen it). */
function status(a: AlertRowView): string {
  if (a.handling === 'acknowledged') return `afgehandeld door ${a.acknowledgedBy}${note(a.acknowledgementNote)}`;
  return a.state === 'dead-letter' ? 'open, niet bezorgd' : 'open';
}

/** A note on one line, in quotes: a table row stays one line whatever was typed. */
const note = (text: string | undefined) => (text ? ` (“${text.replace(/\s+/g, ' ')}”)` : '');

/** Every column left-aligned (text reads from the left; the shared table right-aligns for amounts). */
function leftAligned(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
