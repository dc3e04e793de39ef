import { acknowledgeAlert, listAlerts, UnknownAlertError, type AlertState } from '@bijstand/alerts';
import { UsageError } from '../args.js';
import { alertsTableText } from '@bijstand/documents';
import { municipalityFilter, nowInstant, withStore } from './shared.js';
import { readInbox } from '@bijstand/workplace/inbox';

export async function alertsListCommand(options: {
  since?: string;
  kind?: string;
  household?: string;
  state?: AlertState | 'new';
  municipality?: string;
  store?: string;
}): Promise<void> {
  await withStore(options, 'read-only', async (store, env) => {
    const belongs = municipalityFilter(env, options.municipality);
    const state = options.state === 'new' ? undefined : options.state;
    const filter = {
      ...(options.since ? { since: options.since } : {}),
      ...(options.kind ? { kind: options.kind } : {}),
      ...(state ? { state } : {}),
    };
    const known = options.state === 'new' ? [] : await listAlerts(store, filter);
    // Alerts are stored when the nightly run decides them (in the household streams): those no worker
    // has handed to a notifier yet are listed too, as `new`.
    const recorded = new Set((await listAlerts(store, {})).map((a) => a.alertId));
    const inbox = await readInbox(store);
    const decided = state
      ? []
      : inbox.alerts.filter(
          (a) =>
            !recorded.has(a.alertId) &&
            (!options.since || a.raisedOn >= options.since) &&
            (!options.kind || a.kind === options.kind),
        );
    const all = [...known, ...decided.map((a) => ({ ...a, state: 'new', deliveries: [] }))]
      .filter((a) => !options.household || a.householdId === options.household)
      // The household's municipality as its stream says (an alert recorded before it was copied along has none).
      .filter((a) => !belongs || belongs(inbox.municipalityOf.get(a.householdId) ?? a.municipality ?? null));
    process.stdout.write(alertsTableText(all));
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
