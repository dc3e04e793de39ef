import { listIngestAlerts } from '@bijstand/ingest';
import { maskBsnRuns, REJECTED_STREAM } from '@bijstand/platform';
import { withStore } from './shared.js';

export async function rejectedListCommand(options: { store?: string }): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const rejected = await store.readStream(REJECTED_STREAM);
    for (const e of rejected) {
      const d = e.data as { kind: string; reason: string; source: unknown };
      process.stdout.write(
        `${e.recordedAt} ${d.kind} ${maskBsnRuns(JSON.stringify(d.source))}: ${maskBsnRuns(d.reason)}\n`,
      );
    }
    process.stderr.write(`${rejected.length} rejected message${rejected.length === 1 ? '' : 's'}\n`);
  });
}

/** What ingest handed to the consultant: identity conflicts, versions without their initial, messages parked too long. */
export async function rejectedAlertsCommand(options: { store?: string }): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const alerts = await listIngestAlerts(store);
    for (const a of alerts)
      process.stdout.write(
        `${a.raisedAt} ${a.kind} ${a.householdId ?? '-'} ${a.member ?? '-'} ${maskBsnRuns(a.reference)}: ${maskBsnRuns(a.reason)}\n`,
      );
    process.stderr.write(`${alerts.length} ingest alert${alerts.length === 1 ? '' : 's'}\n`);
  });
}
