import { dismissRejected, listIngestAlerts, listRejected, retryRejected } from '@bijstand/ingest';
import {
  counted,
  dismissedText,
  ingestAlertLine,
  rejectedCountText,
  rejectedListText,
  retryOutcomeText,
} from '@bijstand/documents';
import { EXIT } from '../args.js';
import { backofficeAction, backofficeIngestor, withStore, type ActionOptions } from './shared.js';

/** Open rejected messages (`--all`: every one, with what became of it), Dutch for people, `--json` for machines. */
export async function rejectedListCommand(options: { store?: string; all?: boolean; json?: boolean }): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const all = await listRejected(store, { open: false });
    const shown = options.all ? all : all.filter((r) => r.status === 'open');
    process.stdout.write(options.json ? `${JSON.stringify(shown, null, 2)}\n` : rejectedListText(shown, !!options.all));
    process.stderr.write(rejectedCountText(all.filter((r) => r.status === 'open').length, all.length));
  });
}

/** The stored payload through ingest as it is now; rejected again: exit 3, as `ingest` (the new reason is recorded). */
export async function rejectedRetryCommand(id: string, options: ActionOptions): Promise<void> {
  await withStore(options, 'existing', async (store, env) => {
    const { item, outcome } = await retryRejected(
      store,
      await backofficeIngestor(store, env),
      id,
      backofficeAction(options),
    );
    process.stdout.write(retryOutcomeText(item.id, outcome, item.reasonNl));
    if (outcome.status === 'rejected') process.exitCode = EXIT.doneWithRejectedInput;
  });
}

export async function rejectedDismissCommand(id: string, options: ActionOptions): Promise<void> {
  await withStore(options, 'existing', async (store) => {
    process.stdout.write(dismissedText((await dismissRejected(store, id, backofficeAction(options))).id));
  });
}

/** What ingest handed to the consultant: identity conflicts, versions without their initial, messages parked too long. */
export async function rejectedAlertsCommand(options: { store?: string }): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const alerts = await listIngestAlerts(store);
    for (const a of alerts) process.stdout.write(ingestAlertLine(a));
    process.stderr.write(`${counted(alerts.length, 'ingest alert')}\n`);
  });
}
