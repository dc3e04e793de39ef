import {
  acknowledgeAlert,
  alertHandling,
  alertPriority,
  InvalidAcknowledgementError,
  sortAlerts,
  UnknownAlertError,
  type AlertSort,
  type AlertState,
} from '@bijstand/alerts';
import { UsageError } from '../args.js';
import { alertsTableText } from '@bijstand/documents';
import { municipalityFilter, nowInstant, withStore } from './shared.js';
import { listAlertsWithNew } from '@bijstand/workplace/inbox';

export async function alertsListCommand(options: {
  since?: string;
  kind?: string;
  household?: string;
  state?: AlertState | 'new';
  municipality?: string;
  sort?: AlertSort;
  json?: boolean;
  store?: string;
}): Promise<void> {
  await withStore(options, 'read-only', async (store, env) => {
    const belongsTo = municipalityFilter(env, options.municipality);
    const listed = await listAlertsWithNew(store, { ...options, ...(belongsTo ? { belongsTo } : {}) });
    const alerts = sortAlerts(listed, options.sort ?? 'priority');
    if (options.json) {
      process.stdout.write(`${JSON.stringify(alerts, null, 2)}\n`);
      return;
    }
    const rows = alerts.map((a) => ({ ...a, priority: alertPriority(a), handling: alertHandling(a) }));
    process.stdout.write(alertsTableText(rows));
  });
}

const ACK_OUTCOME_NL = { acknowledged: 'afgehandeld', 'already-acknowledged': 'was al afgehandeld' } as const;

export async function alertsAckCommand(
  alertId: string,
  options: { by: string; note?: string; store?: string },
): Promise<void> {
  await withStore(options, 'existing', async (store) => {
    try {
      const outcome = await acknowledgeAlert(store, alertId, options.by, nowInstant(), { note: options.note });
      process.stdout.write(`${alertId}: ${ACK_OUTCOME_NL[outcome]}\n`);
    } catch (err) {
      if (err instanceof UnknownAlertError)
        throw new UsageError(`geen signaal met id ${alertId} (\`./cli alerts list\` toont de ids)`);
      if (err instanceof InvalidAcknowledgementError) throw new UsageError(`--${err.message}`);
      throw err;
    }
  });
}
