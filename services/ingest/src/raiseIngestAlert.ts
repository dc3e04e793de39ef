import type { NewEvent } from '@bijstand/event-store';
import { INGEST_ALERTS_STREAM } from '@bijstand/platform';
import type { IngestDeps } from './inbound.js';
import { INGEST_ALERT_RAISED, type IngestAlert } from './ingestAlerts.js';

/** Stores an alert for the consultant (once per eventId) and logs it without the member. */
export async function raiseIngestAlert(
  deps: Pick<IngestDeps, 'store' | 'logger'>,
  eventId: string,
  alert: IngestAlert,
): Promise<void> {
  const event: NewEvent = {
    eventId,
    type: INGEST_ALERT_RAISED,
    schemaVersion: 1,
    recordedAt: alert.raisedAt,
    data: alert,
  };
  await deps.store.append(INGEST_ALERTS_STREAM, [event]);
  deps.logger.warn(
    { kind: alert.kind, householdId: alert.householdId, reference: alert.reference },
    'ingest alert raised',
  );
}
