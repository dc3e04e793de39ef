import { acknowledgeAlert, UnknownAlertError, type AlertState } from '@bijstand/alerts';
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
  store?: string;
}): Promise<void> {
  await withStore(options, 'read-only', async (store, env) => {
    const belongsTo = municipalityFilter(env, options.municipality);
    const alerts = await listAlertsWithNew(store, { ...options, ...(belongsTo ? { belongsTo } : {}) });
    process.stdout.write(alertsTableText(alerts));
  });
}

export async function alertsAckCommand(alertId: string, options: { by: string; store?: string }): Promise<void> {
  await withStore(options, 'existing', async (store) => {
    try {
      process.stdout.write(`${await acknowledgeAlert(store, alertId, options.by, nowInstant())}\n`);
    } catch (err) {
      if (err instanceof UnknownAlertError)
        throw new UsageError(`${err.message} (\`./cli alerts list\` shows the alert ids)`);
      throw err;
    }
  });
}
