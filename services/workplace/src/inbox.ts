import {
  acknowledgeAlert,
  acknowledgementOf,
  consultantAlert,
  listAlerts,
  recordAlert,
  type AlertState,
  type ConsultantAlert,
} from '@bijstand/alerts';
import type { AlertRaised } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import {
  ALERTS_STREAM,
  HOUSEHOLD_STREAM_PREFIX,
  householdIdOfStream,
  isHouseholdEvent,
  toHouseholdEvent,
} from '@bijstand/platform';

/**
 * The consultant's inbox: every alert as the nightly run decided it (AlertRaised in the household
 * streams, so no worker needs to run), as the alerts service describes it (ConsultantAlert, built by the
 * same consultantAlert), with its acknowledgement and deliveries from the alerts stream.
 */
export interface InboxAlert extends ConsultantAlert {
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  /** The note the consultant left with the acknowledgement, if any. */
  acknowledgementNote?: string;
  deliveredVia: string[];
}

export interface InboxFilter {
  kind?: string;
  month?: string;
  household?: string;
  /** A CBS code: only the alerts of that municipality's households (with `belongsTo`, which resolves the default). */
  municipality?: string;
  belongsTo?: (municipality: string | null) => boolean;
  state?: 'open' | 'acknowledged' | 'all';
}

const ALERT_HISTORY = new Set(['CaseOpened', 'MonthSettled', 'AlertRaised']);

export async function readInbox(
  store: EventStore,
): Promise<{ alerts: InboxAlert[]; raised: Map<string, RecordedEvent>; municipalityOf: Map<string, string | null> }> {
  const alerts: InboxAlert[] = [];
  const raised = new Map<string, RecordedEvent>();
  const municipalityOf = new Map<string, string | null>();
  for (const stream of await store.listStreams(HOUSEHOLD_STREAM_PREFIX)) {
    const householdId = householdIdOfStream(stream);
    // Only what consultantAlert reads (the case, the settlements, the alerts): no need to upcast the rest.
    const recorded = (await store.readStream(stream)).filter((e) => ALERT_HISTORY.has(e.type) && isHouseholdEvent(e));
    const events = recorded.map(toHouseholdEvent);
    let municipality: string | null = null;
    recorded.forEach((e, i) => {
      const event = events[i]!;
      if (event.type === 'CaseOpened') municipality = event.data.municipality ?? null;
      if (event.type !== 'AlertRaised') return;
      raised.set(event.data.alertId, e);
      // The history as recordAlert reads it: every event recorded up to the alert's instant.
      const at = Date.parse(e.recordedAt);
      const history = events.filter((_, j) => Date.parse(recorded[j]!.recordedAt) <= at);
      alerts.push({ ...consultantAlert(householdId, event as AlertRaised, history), deliveredVia: [] });
    });
    municipalityOf.set(householdId, municipality);
  }
  const byId = new Map(alerts.map((a) => [a.alertId, a]));
  for (const e of await store.readStream(ALERTS_STREAM)) {
    const d = e.data as { alertId?: string; channel?: string };
    if (e.type === 'AlertRecorded' && d.alertId && !byId.has(d.alertId)) {
      // An alert with no household decision behind it (payments: a transfer the bank refused).
      const alert: InboxAlert = { ...(e.data as ConsultantAlert), deliveredVia: [] };
      alerts.push(alert);
      byId.set(alert.alertId, alert);
      raised.set(alert.alertId, e);
      continue;
    }
    const a = d.alertId ? byId.get(d.alertId) : undefined;
    if (!a) continue;
    const ack = e.type === 'AlertAcknowledged' ? acknowledgementOf(e) : null;
    if (ack && !a.acknowledgedBy) {
      a.acknowledgedBy = ack.by;
      a.acknowledgedAt = ack.at;
      if (ack.note) a.acknowledgementNote = ack.note;
    }
    if (e.type === 'AlertDelivered') a.deliveredVia.push(String(d.channel));
  }
  alerts.sort((a, b) => (a.raisedOn > b.raisedOn ? -1 : a.raisedOn < b.raisedOn ? 1 : a.alertId < b.alertId ? -1 : 1));
  return { alerts, raised, municipalityOf };
}

export function filterInbox(alerts: readonly InboxAlert[], f: InboxFilter): InboxAlert[] {
  return alerts.filter(
    (a) =>
      (!f.kind || a.kind === f.kind) &&
      (!f.month || a.month === f.month) &&
      (!f.household || a.householdId === f.household) &&
      (!f.belongsTo || f.belongsTo(a.municipality ?? null)) &&
      (!f.state || f.state === 'all' || (f.state === 'open') === (a.acknowledgedBy === undefined)),
  );
}

/**
 * Acknowledge through the alerts service's own API: the alert is first recorded in the alerts stream
 * (idempotent, what the worker does on its own) so `alerts list` and delivery see the same alert.
 */
export async function acknowledge(
  store: EventStore,
  alertId: string,
  by: string,
  at: string,
  role?: string,
  /** The event behind each alert (AlertRaised, or a service's AlertRecorded) when the caller keeps them; else read. */
  raised?: ReadonlyMap<string, RecordedEvent>,
  /** The consultant's note (at most ACK_NOTE_MAX characters; the alerts service refuses a longer one). */
  note?: string,
): Promise<'acknowledged' | 'already-acknowledged' | 'unknown'> {
  const event = (raised ?? (await readInbox(store)).raised).get(alertId);
  if (!event) return 'unknown';
  // No channels here: a running worker's alert service adds the delivery requests for its channels. An alert
  // a service recorded itself (AlertRecorded: a payment the bank refused) is in the alerts stream already.
  if (event.type !== 'AlertRecorded') await recordAlert(store, event, []);
  return acknowledgeAlert(store, alertId, by, at, { role, note });
}

/**
 * The alerts as `alerts list` shows them: those the alerts service recorded, with their deliveries, and those
 * the nightly run decided (in the household streams) that no worker has handed to a notifier yet, as `new`.
 */
export async function listAlertsWithNew(
  store: EventStore,
  options: {
    since?: string;
    kind?: string;
    state?: AlertState | 'new';
    household?: string;
    belongsTo?: (municipality: string | null) => boolean;
  },
) {
  const state = options.state === 'new' ? undefined : options.state;
  const filter = {
    ...(options.since ? { since: options.since } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
    ...(state ? { state } : {}),
  };
  const known = options.state === 'new' ? [] : await listAlerts(store, filter);
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
  const belongs = options.belongsTo;
  return (
    [...known, ...decided.map((a) => ({ ...a, state: 'new' as const, deliveries: [] }))]
      .filter((a) => !options.household || a.householdId === options.household)
      // The household's municipality as its stream says (an alert recorded before it was copied along has none).
      .filter((a) => !belongs || belongs(inbox.municipalityOf.get(a.householdId) ?? a.municipality ?? null))
  );
}
