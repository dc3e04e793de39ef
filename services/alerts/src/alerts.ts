import type { AlertRaised } from '@bijstand/domain';
import type { EventStore, NewEvent, RecordedEvent } from '@bijstand/event-store';
import {
  ALERTS_STREAM,
  householdIdOfStream,
  householdStream,
  isHouseholdEvent,
  toHouseholdEvent,
} from '@bijstand/platform';
import { acknowledgementNote, acknowledgementSchema } from './acknowledgement.js';
import { consultantAlert, type ConsultantAlert } from './consultantAlert.js';
import { ALERT_EVENTS, AlertLedger, deliveryEventId, type AlertState, type AlertView } from './deliveryLedger.js';

export type { AlertView } from './deliveryLedger.js';

/** The channels an alert is to be delivered through: all of them, or chosen per alert (its municipality's). */
export type AlertChannels = readonly string[] | ((alert: ConsultantAlert) => readonly string[]);

/**
 * Records each household AlertRaised once in the alert stream (idempotent by alert id), together with
 * a delivery request per channel: from then on the outbox holds it until each delivery is recorded.
 */
export async function recordAlert(
  store: EventStore,
  event: RecordedEvent,
  channels: AlertChannels,
): Promise<ConsultantAlert | null> {
  if (event.type !== 'AlertRaised' || !isHouseholdEvent(event)) return null;
  const householdId = householdIdOfStream(event.streamName);
  const history = (await store.readStream(event.streamName, { asOf: event.recordedAt }))
    .filter(isHouseholdEvent)
    .map(toHouseholdEvent);
  const alert = consultantAlert(householdId, toHouseholdEvent(event) as AlertRaised, history);
  const metadata = { causationId: event.eventId, correlationId: alert.alertId };
  await store.append(ALERTS_STREAM, [
    {
      eventId: `alert:${alert.alertId}`,
      type: ALERT_EVENTS.recorded,
      schemaVersion: 1,
      recordedAt: event.recordedAt,
      data: alert,
      metadata,
    },
    ...deliveryRequests(alert.alertId, typeof channels === 'function' ? channels(alert) : channels, event.recordedAt),
  ]);
  return alert;
}

export function deliveryRequests(alertId: string, channels: readonly string[], at: string): NewEvent[] {
  return channels.map((channel) => ({
    eventId: deliveryEventId.requested(channel, alertId),
    type: ALERT_EVENTS.requested,
    schemaVersion: 1,
    recordedAt: at,
    data: { alertId, channel },
  }));
}

export async function readAlertLedger(store: EventStore): Promise<AlertLedger> {
  const ledger = new AlertLedger();
  for (const e of await store.readStream(ALERTS_STREAM)) ledger.apply(e);
  return ledger;
}

/** `belongsTo`: a municipality filter on the alert's household's CaseOpened.municipality (null: none named). */
export async function listAlerts(
  store: EventStore,
  filter: {
    since?: string;
    kind?: string;
    state?: AlertState;
    belongsTo?: (municipality: string | null) => boolean;
  } = {},
): Promise<AlertView[]> {
  const ledger = await readAlertLedger(store);
  return [...ledger.alerts.values()].filter(
    (a) =>
      (!filter.since || a.raisedOn >= filter.since) &&
      (!filter.kind || a.kind === filter.kind) &&
      (!filter.state || a.state === filter.state) &&
      (!filter.belongsTo || filter.belongsTo(a.municipality ?? null)),
  );
}

export class UnknownAlertError extends Error {}

/** Who acknowledges beyond `by`: the workplace's session role, and an optional note (≤ ACK_NOTE_MAX). */
export interface AcknowledgeOptions {
  role?: string | undefined;
  note?: string | undefined;
}

/**
 * An acknowledgement is an event too; acknowledging twice changes nothing. An alert the nightly run
 * decided but no alert service recorded yet is recorded first (no channels: a worker adds its own), so
 * the CLI and the workplace can acknowledge the same alerts. The fifth argument is the workplace's role
 * (as before notes existed) or the options.
 */
export async function acknowledgeAlert(
  store: EventStore,
  alertId: string,
  by: string,
  at: string,
  roleOrOptions?: string | AcknowledgeOptions,
): Promise<'acknowledged' | 'already-acknowledged'> {
  const { role, note: rawNote } = typeof roleOrOptions === 'string' ? { role: roleOrOptions } : (roleOrOptions ?? {});
  const note = acknowledgementNote(rawNote);
  let alert = (await listAlerts(store)).find((a) => a.alertId === alertId);
  if (!alert) {
    const raised = await decidedAlert(store, alertId);
    if (raised) await recordAlert(store, raised, []);
    alert = (await listAlerts(store)).find((a) => a.alertId === alertId);
  }
  if (!alert) throw new UnknownAlertError(`no alert with id ${alertId}`);
  if (alert.acknowledgedBy) return 'already-acknowledged';
  const data = acknowledgementSchema.parse({ alertId, by, ...(role ? { role } : {}), ...(note ? { note } : {}) });
  await store.append(ALERTS_STREAM, [
    { eventId: `ack:${alertId}`, type: ALERT_EVENTS.acknowledged, schemaVersion: 1, recordedAt: at, data },
  ]);
  return 'acknowledged';
}

/** The AlertRaised with this id in its household's stream (ids are `household:kind:YYYY-MM`), if any. */
async function decidedAlert(store: EventStore, alertId: string): Promise<RecordedEvent | null> {
  const householdId = alertId.split(':').slice(0, -2).join(':');
  if (!householdId) return null;
  const events = await store.readStream(householdStream(householdId));
  return events.find((e) => e.type === 'AlertRaised' && (e.data as { alertId?: unknown }).alertId === alertId) ?? null;
}
