import { acknowledgeAlert, listAlerts, UnknownAlertError, type AlertState, type AlertView } from '@bijstand/buffer';
import { UsageError } from '../args.js';
import { euro } from '../format.js';
import { table } from '../table.js';
import { nowInstant, withStore } from './shared.js';

export const ALERT_KINDS = ['below-minimum', 'buffer-exhausted', 'large-claim', 'income-outside-case', 'new-income-relationship'] as const;

export async function alertsListCommand(options: { since?: string; kind?: string; household?: string; state?: AlertState; store?: string }): Promise<void> {
  await withStore(options, async (store) => {
    const filter = { ...(options.since ? { since: options.since } : {}), ...(options.kind ? { kind: options.kind } : {}), ...(options.state ? { state: options.state } : {}) };
    const alerts = (await listAlerts(store, filter)).filter((a) => !options.household || a.householdId === options.household);
    const rows = [['alert', 'household', 'month', 'kind', 'amount', 'raised', 'state', 'tries', 'delivered', 'acknowledged', 'why']];
    for (const a of alerts) rows.push([a.alertId, a.householdId, a.month, a.kind, a.amount ? euro(a.amount) : '', a.raisedOn, a.state, tries(a), a.deliveredVia.join(',') || '-', a.acknowledgedBy ?? '-', a.reason]);
    process.stdout.write(`${table(rows)}\n${alerts.length} alert${alerts.length === 1 ? '' : 's'}\n`);
  });
}

/** Tries per channel, e.g. `log:1 webhook:10`; the last error stays in the store (the events), not the table. */
function tries(alert: AlertView): string {
  return alert.deliveries.map((d) => `${d.channel}:${d.attempts}`).join(' ') || '-';
}

export async function alertsAckCommand(alertId: string, options: { by: string; store?: string }): Promise<void> {
  await withStore(options, async (store) => {
    try {
      process.stdout.write(`${await acknowledgeAlert(store, alertId, options.by, nowInstant())}\n`);
    } catch (err) {
      if (err instanceof UnknownAlertError) throw new UsageError(`${err.message} (\`./cli alerts list\` shows the alert ids)`);
      throw err;
    }
  });
}
