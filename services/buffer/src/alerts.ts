import { createHmac } from 'node:crypto';
import { legalRefText, type AlertRaised, type HouseholdEvent } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import { ALERTS_STREAM, householdIdOfStream, isHouseholdEvent, toHouseholdEvent, type Logger } from '@bijstand/platform';

/**
 * The consultant's view of an alert: what happened, in which household and month, how much, why,
 * what the buffer did, and the month's explanation. Never a BSN: households are named by their id.
 */
export interface ConsultantAlert {
  alertId: string;
  householdId: string;
  kind: AlertRaised['data']['kind'];
  month: string;
  amount?: string;
  reason: string;
  raisedOn: string;
  details: Record<string, string>;
  explanation: { month: string; assistance?: string; normExclHoliday?: string; income?: string; legalRefs: string[] };
}

export interface AlertView extends ConsultantAlert {
  recordedAt: string;
  deliveredVia: string[];
  acknowledgedBy?: string;
  acknowledgedAt?: string;
}

/** Builds the consultant alert from the household's decision and the month's latest settlement. */
export function consultantAlert(householdId: string, alert: AlertRaised, history: readonly HouseholdEvent[]): ConsultantAlert {
  const settled = [...history].reverse().find((e) => e.type === 'MonthSettled' && e.data.month === alert.data.month);
  const explanation: ConsultantAlert['explanation'] = { month: alert.data.month, legalRefs: [] };
  if (settled && settled.type === 'MonthSettled') {
    explanation.assistance = settled.data.values.assistance;
    explanation.normExclHoliday = settled.data.values.normExclHoliday;
    explanation.income = settled.data.values.income;
    explanation.legalRefs = [...new Set(settled.data.explanation.steps.map((s) => legalRefText(s.legalRef)))];
  }
  return {
    alertId: alert.data.alertId,
    householdId,
    kind: alert.data.kind,
    month: alert.data.month,
    ...(alert.data.amount !== undefined ? { amount: alert.data.amount } : {}),
    reason: alert.data.reason,
    raisedOn: alert.data.runDate,
    details: alert.data.details,
    explanation,
  };
}

/** Records each household AlertRaised once in the alert stream (idempotent by alert id). */
export async function recordAlert(store: EventStore, event: RecordedEvent): Promise<ConsultantAlert | null> {
  if (event.type !== 'AlertRaised' || !isHouseholdEvent(event)) return null;
  const householdId = householdIdOfStream(event.streamName);
  const history = (await store.readStream(event.streamName, { asOf: event.recordedAt })).filter(isHouseholdEvent).map(toHouseholdEvent);
  const alert = consultantAlert(householdId, toHouseholdEvent(event) as AlertRaised, history);
  await store.append(ALERTS_STREAM, [
    { eventId: `alert:${alert.alertId}`, type: 'AlertRecorded', schemaVersion: 1, recordedAt: event.recordedAt, data: alert, metadata: { causationId: event.eventId, correlationId: alert.alertId } },
  ]);
  return alert;
}

export async function listAlerts(store: EventStore, filter: { since?: string; kind?: string } = {}): Promise<AlertView[]> {
  const views = new Map<string, AlertView>();
  for (const e of await store.readStream(ALERTS_STREAM)) {
    const d = e.data as Record<string, unknown>;
    if (e.type === 'AlertRecorded') views.set(String(d.alertId), { ...(d as unknown as ConsultantAlert), recordedAt: e.recordedAt, deliveredVia: [] });
    const view = views.get(String(d.alertId));
    if (!view) continue;
    if (e.type === 'AlertDelivered') view.deliveredVia.push(String(d.channel));
    if (e.type === 'AlertAcknowledged') {
      view.acknowledgedBy = String(d.by);
      view.acknowledgedAt = e.recordedAt;
    }
  }
  return [...views.values()].filter((a) => (!filter.since || a.raisedOn >= filter.since) && (!filter.kind || a.kind === filter.kind));
}

export class UnknownAlertError extends Error {}

/** An acknowledgement is an event too; acknowledging twice changes nothing. */
export async function acknowledgeAlert(store: EventStore, alertId: string, by: string, at: string): Promise<'acknowledged' | 'already-acknowledged'> {
  const alert = (await listAlerts(store)).find((a) => a.alertId === alertId);
  if (!alert) throw new UnknownAlertError(`no alert with id ${alertId}`);
  if (alert.acknowledgedBy) return 'already-acknowledged';
  await store.append(ALERTS_STREAM, [{ eventId: `ack:${alertId}`, type: 'AlertAcknowledged', schemaVersion: 1, recordedAt: at, data: { alertId, by } }]);
  return 'acknowledged';
}

/** HMAC-SHA256 over the exact body, hex, in the X-Signature header: the receiver checks it was us. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Notifier {
  readonly channel: string;
  notify(alert: ConsultantAlert): Promise<void>;
}

export class WebhookNotifier implements Notifier {
  readonly channel = 'webhook';
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 5000,
  ) {}

  async notify(alert: ConsultantAlert): Promise<void> {
    const body = JSON.stringify(alert);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signBody(body, this.secret), 'x-alert-id': alert.alertId },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  }
}

export class LogNotifier implements Notifier {
  readonly channel = 'log';
  constructor(private readonly logger: Logger) {}
  async notify(alert: ConsultantAlert): Promise<void> {
    this.logger.warn({ alert }, `alert ${alert.kind} for household ${alert.householdId}, month ${alert.month}`);
  }
}

/** Deliver once per channel: a delivery is recorded as an event, and a recorded one is never repeated. */
export async function deliverAlert(store: EventStore, alert: ConsultantAlert, notifier: Notifier, at: string, attempt: number): Promise<'delivered' | 'already-delivered'> {
  const done = (await listAlerts(store)).find((a) => a.alertId === alert.alertId)?.deliveredVia.includes(notifier.channel);
  if (done) return 'already-delivered';
  await notifier.notify(alert);
  await store.append(ALERTS_STREAM, [
    { eventId: `delivered:${notifier.channel}:${alert.alertId}`, type: 'AlertDelivered', schemaVersion: 1, recordedAt: at, data: { alertId: alert.alertId, channel: notifier.channel, attempt } },
  ]);
  return 'delivered';
}
