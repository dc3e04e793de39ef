import { table } from '@bijstand/terminal/table';
import { euro } from '../format.js';

/** An alert as `alerts list` shows it: recorded by the alerts service, or decided and not yet handed on (`new`). */
export interface AlertRow {
  alertId: string;
  householdId: string;
  month: string;
  kind: string;
  amount?: string;
  raisedOn: string;
  state: string;
  deliveries: ReadonlyArray<{ channel: string; attempts: number }>;
  deliveredVia: readonly string[];
  acknowledgedBy?: string;
  reason: string;
}

/** `alerts list`: a row per alert, then the count. */
export function alertsTableText(alerts: readonly AlertRow[]): string {
  const rows = [
    ['alert', 'household', 'month', 'kind', 'amount', 'raised', 'state', 'tries', 'delivered', 'acknowledged', 'why'],
  ];
  for (const a of alerts)
    rows.push([
      a.alertId,
      a.householdId,
      a.month,
      a.kind,
      a.amount ? euro(a.amount) : '',
      a.raisedOn,
      a.state,
      tries(a),
      a.deliveredVia.join(',') || '-',
      a.acknowledgedBy ?? '-',
      a.reason,
    ]);
  return `${table(rows)}\n${alerts.length} alert${alerts.length === 1 ? '' : 's'}\n`;
}

/** Tries per channel, e.g. `log:1 webhook:10`; the last error stays in the store (the events), not the table. */
function tries(alert: AlertRow): string {
  return alert.deliveries.map((d) => `${d.channel}:${d.attempts}`).join(' ') || '-';
}
