import type { CaseEvent, Instant, PolisIncomeStatement } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { INGEST_ALERTS_STREAM, maskBsn, PARKED_CASE_STREAM_PREFIX, PARKED_STREAM_PREFIX } from '@bijstand/platform';
import { INGEST_ALERT_RAISED, type IngestAlert } from './ingestAlerts.js';
import { parkedId } from './parkedActions.js';
import { DEFAULT_PARKED_ALERT_DAYS, daysParked, isOverdue, stillParked } from './parking.js';

/** A message still waiting for its case, as people may see it (the BSN masked). */
export interface ParkedItem {
  /** What `parked retry|dismiss` take (parkedActions.ts). */
  id: string;
  kind: 'statement' | 'case';
  stream: string;
  streamRevision: number;
  parkedAt: Instant;
  /** Statement: its messageId and masked member; case event: its type and household. */
  reference: string;
  member: string | null;
  householdId: string | null;
  days: number;
  overdue: boolean;
  /** What it waits for, in Dutch (the backoffice reads it). */
  reasonNl: string;
}

/** Everything still parked, oldest first, with whether it waited longer than `alertAfterDays`. */
export async function listParked(
  store: EventStore,
  now: Instant,
  alertAfterDays: number = DEFAULT_PARKED_ALERT_DAYS,
): Promise<ParkedItem[]> {
  const items: ParkedItem[] = [];
  for (const stream of await store.listStreams(PARKED_STREAM_PREFIX)) {
    const isCase = stream.startsWith(PARKED_CASE_STREAM_PREFIX);
    for (const r of stillParked(await store.readStream(stream))) {
      const data = r.data as { recordedAt: Instant; statement?: PolisIncomeStatement; event?: CaseEvent };
      const parkedAt = data.recordedAt ?? r.recordedAt;
      items.push({
        id: parkedId(stream, r.eventId),
        kind: isCase ? 'case' : 'statement',
        stream,
        streamRevision: r.streamRevision,
        parkedAt,
        reference: isCase ? data.event!.type : data.statement!.messageId,
        member: data.statement ? maskBsn(data.statement.bsn) : null,
        householdId: data.event ? data.event.householdId : null,
        days: daysParked(parkedAt, now),
        overdue: isOverdue(parkedAt, now, alertAfterDays),
        reasonNl: isCase ? 'wacht op de opening van de zaak van dit huishouden' : 'wacht op een zaak met dit BSN',
      });
    }
  }
  return items.sort((a, b) => (a.parkedAt < b.parkedAt ? -1 : a.parkedAt > b.parkedAt ? 1 : 0));
}

/**
 * An alert for each message parked longer than `alertAfterDays` (a case that never opens, a wrong
 * BSN); raised once per parked message. Returns the alerts raised now.
 */
export async function alertOverdueParked(
  store: EventStore,
  now: Instant,
  alertAfterDays: number = DEFAULT_PARKED_ALERT_DAYS,
): Promise<IngestAlert[]> {
  const raised: IngestAlert[] = [];
  for (const item of (await listParked(store, now, alertAfterDays)).filter((i) => i.overdue)) {
    const alert: IngestAlert = {
      kind: 'parked-too-long',
      householdId: item.householdId,
      member: item.member,
      reference: item.reference,
      reason:
        item.kind === 'statement'
          ? `statement parked ${item.days} days: no case holds this BSN`
          : `case event parked ${item.days} days: household ${item.householdId} has no CaseOpened`,
      raisedAt: now,
    };
    const result = await store.append(INGEST_ALERTS_STREAM, [
      {
        eventId: `parked-too-long:${item.stream}:${item.streamRevision}`,
        type: INGEST_ALERT_RAISED,
        schemaVersion: 1,
        recordedAt: now,
        data: alert,
      },
    ]);
    if (result.appended > 0) raised.push(alert);
  }
  return raised;
}

export async function listIngestAlerts(store: EventStore): Promise<IngestAlert[]> {
  return (await store.readStream(INGEST_ALERTS_STREAM))
    .filter((e) => e.type === INGEST_ALERT_RAISED)
    .map((e) => e.data as IngestAlert);
}
