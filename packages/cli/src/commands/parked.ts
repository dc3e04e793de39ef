import { alertOverdueParked, DEFAULT_PARKED_ALERT_DAYS, listParked } from '@bijstand/ingest';
import type { Instant } from '@bijstand/domain';
import { counted, parkedAlertLine, parkedSummaryText, parkedTableText } from '@bijstand/documents';
import { nowInstant, withStore } from './shared.js';

export interface ParkedOptions {
  alertAfterDays?: number;
  now?: Instant;
  store?: string;
}

/** Messages still waiting for their case: statements of a BSN without a case, case events before their CaseOpened. */
export async function parkedListCommand(options: ParkedOptions): Promise<void> {
  const days = options.alertAfterDays ?? DEFAULT_PARKED_ALERT_DAYS;
  await withStore(options, 'read-only', async (store) => {
    const items = await listParked(store, options.now ?? nowInstant(), days);
    process.stdout.write(parkedTableText(items, days));
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
