import { acknowledgeAlert, listAlerts, UnknownAlertError } from '@bijstand/buffer';
import { UsageError } from '../args.js';
import { euro } from '../format.js';
import { table } from '../table.js';
import { nowInstant, withStore } from './shared.js';

export const ALERT_KINDS = ['below-minimum', 'buffer-exhausted', 'large-claim', 'income-outside-case', 'new-income-relationship'] as const;

export async function alertsListCommand(options: { since?: string; kind?: string; household?: string; store?: string }): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const alerts = (await listAlerts(store, { ...(options.since ? { since: options.since } : {}), ...(options.kind ? { kind: options.kind } : {}) })).filter((a) => !options.household || a.householdId === options.household);
    const rows = [['alert', 'household', 'month', 'kind', 'amount', 'raised', 'delivered', 'acknowledged', 'why']];
    for (const a of alerts) rows.push([a.alertId, a.householdId, a.month, a.kind, a.amount ? euro(a.amount) : '', a.raisedOn, a.deliveredVia.join(',') || '-', a.acknowledgedBy ?? '-', a.reason]);
    process.stdout.write(`${table(rows)}\n${alerts.length} alert${alerts.length === 1 ? '' : 's'}\n`);
  });
}

export async function alertsAckCommand(alertId: string, options: { by: string; store?: string }): Promise<void> {
  await withStore(options, 'existing', async (store) => {
    try {
      process.stdout.write(`${await acknowledgeAlert(store, alertId, options.by, nowInstant())}\n`);
    } catch (err) {
      if (err instanceof UnknownAlertError) throw new UsageError(`${err.message} (\`./cli alerts list\` shows the alert ids)`);
      throw err;
    }
  });
}
