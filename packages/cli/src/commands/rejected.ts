import { listIngestAlerts } from '@bijstand/ingest';
import { REJECTED_STREAM } from '@bijstand/platform';
import { counted, ingestAlertLine, rejectedMessageLine } from '@bijstand/documents';
import { withStore } from './shared.js';

export async function rejectedListCommand(options: { store?: string }): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const rejected = await store.readStream(REJECTED_STREAM);
    for (const e of rejected) process.stdout.write(rejectedMessageLine(e.recordedAt, e.data));
    process.stderr.write(`${counted(rejected.length, 'rejected message')}\n`);
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
