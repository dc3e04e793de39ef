import {
  alertOverdueParked,
  DEFAULT_PARKED_ALERT_DAYS,
  dismissParked,
  listParked,
  retryParked,
} from '@bijstand/ingest';
import type { Instant } from '@bijstand/domain';
import {
  counted,
  dismissedText,
  parkedAlertLine,
  parkedSummaryText,
  parkedTableText,
  retryOutcomeText,
} from '@bijstand/documents';
import { backofficeAction, backofficeIngestor, nowInstant, withStore, type ActionOptions } from './shared.js';

export interface ParkedOptions {
  alertAfterDays?: number;
  now?: Instant;
  store?: string;
  json?: boolean;
}

/** Messages still waiting for their case: statements of a BSN without a case, case events before their CaseOpened. */
export async function parkedListCommand(options: ParkedOptions): Promise<void> {
  const days = options.alertAfterDays ?? DEFAULT_PARKED_ALERT_DAYS;
  await withStore(options, 'read-only', async (store) => {
    const items = await listParked(store, options.now ?? nowInstant(), days);
    process.stdout.write(options.json ? `${JSON.stringify(items, null, 2)}\n` : parkedTableText(items, days));
    process.stderr.write(parkedSummaryText(items, days));
  });
}

/** An ingest alert (once) for every message parked longer than N days; prints those raised now. */
export async function parkedAlertCommand(options: ParkedOptions): Promise<void> {
  await withStore(options, 'existing', async (store) => {
    const raised = await alertOverdueParked(
      store,
      options.now ?? nowInstant(),
      options.alertAfterDays ?? DEFAULT_PARKED_ALERT_DAYS,
    );
    for (const a of raised) process.stdout.write(parkedAlertLine(a));
    process.stderr.write(`${counted(raised.length, 'alert')} raised\n`);
  });
}

/** Places a parked message now that its case is open; still waiting: exit 1 (the attempt is recorded). */
export async function parkedRetryCommand(id: string, options: ActionOptions): Promise<void> {
  await withStore(options, 'existing', async (store, env) => {
    const result = await retryParked(store, await backofficeIngestor(store, env), id, backofficeAction(options));
    process.stdout.write(retryOutcomeText(result.id, result.outcome));
  });
}

export async function parkedDismissCommand(id: string, options: ActionOptions): Promise<void> {
  await withStore(options, 'existing', async (store) => {
    process.stdout.write(dismissedText((await dismissParked(store, id, backofficeAction(options))).id));
  });
}
