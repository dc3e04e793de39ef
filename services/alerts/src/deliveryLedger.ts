import type { RecordedEvent } from '@bijstand/event-store';
import { acknowledgementOf } from './acknowledgement.js';
import type { ConsultantAlert } from './consultantAlert.js';
import { backoffDelayMs, jitterOf, type RetryPolicy } from './retryPolicy.js';

/**
 * The alert outbox, as events in the `alerts` stream: an alert is recorded with one delivery request
 * per channel; each try is claimed (Attempted) before it is sent and ends Delivered or Failed; after
 * the last allowed try it is DeadLettered. Pending = requested and neither delivered nor dead-lettered.
 */
export const ALERT_EVENTS = {
  recorded: 'AlertRecorded',
  requested: 'AlertDeliveryRequested',
  attempted: 'AlertDeliveryAttempted',
  delivered: 'AlertDelivered',
  failed: 'AlertDeliveryFailed',
  deadLettered: 'AlertDeadLettered',
  acknowledged: 'AlertAcknowledged',
} as const;

/** Event ids make every step idempotent; an attempt's id doubles as a claim between processes. */
export const deliveryEventId = {
  requested: (channel: string, alertId: string) => `requested:${channel}:${alertId}`,
  attempted: (channel: string, alertId: string, attempt: number) => `attempt:${channel}:${alertId}:${attempt}`,
  // The same id as before the outbox existed, so that earlier deliveries still count.
  delivered: (channel: string, alertId: string) => `delivered:${channel}:${alertId}`,
  failed: (channel: string, alertId: string, attempt: number) => `failed:${channel}:${alertId}:${attempt}`,
  deadLettered: (channel: string, alertId: string) => `dead-letter:${channel}:${alertId}`,
};

export type DeliveryStatus = 'pending' | 'delivered' | 'dead-letter';
export type AlertState = DeliveryStatus;
export const ALERT_STATES: readonly AlertState[] = ['pending', 'delivered', 'dead-letter'];

export interface Delivery {
  alertId: string;
  channel: string;
  status: DeliveryStatus;
  /** Revision of the request in the alerts stream: older alerts go first. */
  order: number;
  requestedAt: string;
  /** Tries claimed so far (the last one may still lack an outcome: crashed or in flight). */
  attempts: number;
  lastAttemptAt?: string;
  awaitingOutcome: boolean;
  lastFailedAt?: string;
  lastError?: string;
  /** The instant the backoff runs from (ms): the last failure, or the start of a try without outcome. */
  backoffFromMs?: number;
}

export interface AlertView extends ConsultantAlert {
  recordedAt: string;
  state: AlertState;
  deliveredVia: string[];
  deliveries: Delivery[];
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  /** The acknowledger's note (optional; older acknowledgements have none). */
  acknowledgementNote?: string;
}

export const deliveryKey = (channel: string, alertId: string) => `${channel}:${alertId}`;

/** Folds the alerts stream, event by event, into the alerts and their deliveries. */
export class AlertLedger {
  readonly alerts = new Map<string, AlertView>();
  /** Each alert exactly as recorded: what a notifier sends. */
  readonly recorded = new Map<string, ConsultantAlert>();
  readonly deliveries = new Map<string, Delivery>();
  /** The deliveries still to do: what a scheduling round looks at, however large the history. */
  readonly pending = new Map<string, Delivery>();
  /** The revision to read from next: the ledger can be brought up to date incrementally. */
  nextRevision = 0;

  apply(e: RecordedEvent): void {
    this.nextRevision = Math.max(this.nextRevision, e.streamRevision + 1);
    const d = e.data as Record<string, unknown>;
    const alertId = String(d.alertId);
    if (e.type === ALERT_EVENTS.recorded) {
      this.recorded.set(alertId, d as unknown as ConsultantAlert);
      this.alerts.set(alertId, {
        ...(d as unknown as ConsultantAlert),
        recordedAt: e.recordedAt,
        state: 'pending',
        deliveredVia: [],
        deliveries: [],
      });
      return;
    }
    const view = this.alerts.get(alertId);
    if (!view) return;
    if (e.type === ALERT_EVENTS.acknowledged) {
      // The first acknowledgement stands (the event id makes a second one unlikely; it changes nothing).
      const ack = acknowledgementOf(e);
      if (!ack || view.acknowledgedBy !== undefined) return;
      view.acknowledgedBy = ack.by;
      view.acknowledgedAt = ack.at;
      if (ack.note) view.acknowledgementNote = ack.note;
      return;
    }
    const channel = String(d.channel);
    const delivery = this.deliveryOf(view, channel, e);
    const attempt = Number(d.attempt ?? 0);
    switch (e.type) {
      case ALERT_EVENTS.attempted:
        delivery.attempts = Math.max(delivery.attempts, attempt);
        delivery.lastAttemptAt = e.recordedAt;
        delivery.awaitingOutcome = true;
        delivery.backoffFromMs = Date.parse(e.recordedAt);
        break;
      case ALERT_EVENTS.failed:
        delivery.attempts = Math.max(delivery.attempts, attempt);
        delivery.awaitingOutcome = false;
        delivery.lastFailedAt = e.recordedAt;
        delivery.lastError = String(d.error);
        delivery.backoffFromMs = Date.parse(e.recordedAt);
        break;
      case ALERT_EVENTS.delivered:
        delivery.status = 'delivered';
        delivery.awaitingOutcome = false;
        if (!view.deliveredVia.includes(channel)) view.deliveredVia.push(channel);
        break;
      case ALERT_EVENTS.deadLettered:
        delivery.status = 'dead-letter';
        delivery.awaitingOutcome = false;
        delivery.lastError = String(d.reason);
        break;
    }
    const key = deliveryKey(channel, alertId);
    if (delivery.status === 'pending' && delivery.requestedAt) this.pending.set(key, delivery);
    else this.pending.delete(key);
    view.state = alertState(view);
  }

  /** Alerts recorded before the outbox existed have no delivery requests. */
  alertsWithoutRequests(): AlertView[] {
    return [...this.alerts.values()].filter((a) => a.deliveries.every((x) => !x.requestedAt));
  }

  private deliveryOf(view: AlertView, channel: string, e: RecordedEvent): Delivery {
    const key = deliveryKey(channel, view.alertId);
    let delivery = this.deliveries.get(key);
    if (!delivery) {
      // A delivery recorded without a request (before the outbox existed) starts here.
      delivery = {
        alertId: view.alertId,
        channel,
        status: 'pending',
        order: e.streamRevision,
        requestedAt: '',
        attempts: 0,
        awaitingOutcome: false,
      };
      this.deliveries.set(key, delivery);
      view.deliveries.push(delivery);
    }
    if (e.type === ALERT_EVENTS.requested && !delivery.requestedAt) {
      delivery.requestedAt = e.recordedAt;
      delivery.order = e.streamRevision;
    }
    return delivery;
  }
}

/** Dead-letter on any channel wins, then pending on any; an alert without requests counts its deliveries. */
export function alertState(view: Pick<AlertView, 'deliveries' | 'deliveredVia'>): AlertState {
  if (view.deliveries.length === 0) return view.deliveredVia.length > 0 ? 'delivered' : 'pending';
  if (view.deliveries.some((d) => d.status === 'dead-letter')) return 'dead-letter';
  if (view.deliveries.some((d) => d.status === 'pending')) return 'pending';
  return 'delivered';
}

export type NextStep =
  { kind: 'attempt'; attempt: number; at: number } | { kind: 'dead-letter'; at: number; reason: string };

/**
 * What a pending delivery needs next and from when (ms since the epoch): the first try at once, a
 * retry after the backoff from the last failure, and after the last allowed try the dead letter. A
 * try without an outcome (the process died while sending) counts as failed from when it started.
 */
export function nextStep(d: Delivery, policy: RetryPolicy): NextStep | null {
  if (d.status !== 'pending' || !d.requestedAt) return null;
  // At once: the request's time is the alert's (a nightly run's virtual clock), not the dispatcher's.
  if (d.attempts === 0) return { kind: 'attempt', attempt: 1, at: 0 };
  const since = d.backoffFromMs ?? 0;
  const retryAt = since + backoffDelayMs(d.attempts, policy, jitterOf(deliveryKey(d.channel, d.alertId), d.attempts));
  if (d.attempts >= policy.maxAttempts) {
    return d.awaitingOutcome
      ? { kind: 'dead-letter', at: retryAt, reason: `outcome of try ${d.attempts} unknown` }
      : { kind: 'dead-letter', at: since, reason: d.lastError ?? `failed ${d.attempts} times` };
  }
  return { kind: 'attempt', attempt: d.attempts + 1, at: retryAt };
}

export interface DueStep {
  delivery: Delivery;
  step: NextStep;
}

/** The steps due at `now`, oldest first, at most `limit`; and when the next one not yet due is. */
export function dueSteps(
  deliveries: Iterable<Delivery>,
  now: number,
  policy: RetryPolicy,
  options: { limit: number; channels: ReadonlySet<string>; busy: ReadonlySet<string> },
): { due: DueStep[]; nextAt: number | null } {
  // Only the `limit` earliest are kept, in order: a backlog of thousands is looked at on every round.
  const due: DueStep[] = [];
  const earlier = (a: DueStep, b: DueStep) => a.step.at - b.step.at || a.delivery.order - b.delivery.order;
  let overflow = false;
  let nextAt: number | null = null;
  for (const delivery of deliveries) {
    if (!options.channels.has(delivery.channel) || options.busy.has(deliveryKey(delivery.channel, delivery.alertId)))
      continue;
    const step = nextStep(delivery, policy);
    if (!step) continue;
    if (step.at > now) {
      nextAt = nextAt === null ? step.at : Math.min(nextAt, step.at);
      continue;
    }
    const candidate = { delivery, step };
    if (due.length === options.limit) {
      overflow = true;
      if (options.limit === 0 || earlier(candidate, due[due.length - 1]!) >= 0) continue;
      due.pop();
    }
    let i = due.length;
    while (i > 0 && earlier(candidate, due[i - 1]!) < 0) i--;
    due.splice(i, 0, candidate);
  }
  // More is due than was handed out: the next round is due now.
  return { due, nextAt: overflow ? now : nextAt };
}
