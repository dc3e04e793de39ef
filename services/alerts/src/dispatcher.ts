import type { EventStore, Subscription } from '@bijstand/event-store';
import { ALERTS_STREAM, type Logger } from '@bijstand/platform';
import { deliveryRequests, recordAlert } from './alerts.js';
import { ALERT_EVENTS, AlertLedger, deliveryEventId, deliveryKey, dueSteps, type DueStep } from './deliveryLedger.js';
import type { Notifier } from './notifiers.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retryPolicy.js';

export interface DispatcherOptions {
  policy?: Partial<RetryPolicy>;
  /** Deliveries in flight at once (a backlog goes through in parallel, not one by one). */
  concurrency?: number;
  /** How often the store is looked at without a wake-up: new alerts, other processes' outcomes. */
  pollIntervalMs?: number;
  clock?: () => number;
  /**
   * The channels of an alert's municipality (its household's CaseOpened.municipality, null when none):
   * an alert is requested, and so delivered, only there. Default: every channel.
   */
  route?: (municipality: string | null) => readonly string[];
}

/**
 * Delivers the alert outbox from the store: at start every pending delivery is read back with its
 * tries, so retries and their backoff survive a restart; each try is claimed in the store before it
 * is sent and its outcome recorded after, so a delivered alert is never sent again.
 */
export class AlertDispatcher {
  readonly channels: string[];
  readonly policy: RetryPolicy;
  private readonly notifiers: Map<string, Notifier>;
  private readonly ledger = new AlertLedger();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly clock: () => number;
  private readonly route: DispatcherOptions['route'];
  private stopped = false;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: EventStore,
    notifiers: Notifier[],
    private readonly logger: Logger,
    options: DispatcherOptions = {},
  ) {
    this.notifiers = new Map(notifiers.map((n) => [n.channel, n]));
    this.channels = [...this.notifiers.keys()];
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
    this.concurrency = options.concurrency ?? 16;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.clock = options.clock ?? Date.now;
    this.route = options.route;
  }

  /** The channels an alert of this municipality goes to (only channels this dispatcher has). */
  channelsFor(municipality: string | null | undefined): string[] {
    if (!this.route) return this.channels;
    return this.route(municipality ?? null).filter((c) => this.notifiers.has(c));
  }

  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /** Look at the store now (a new alert was recorded, or a try ended). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Resolves once nothing is in flight and nothing is due (later retries may still be waiting). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
    });
  }

  /** Stops starting tries and waits for those in flight, so each ends with its outcome recorded. */
  async close(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    await Promise.all(this.inFlight);
    this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  private async run(): Promise<void> {
    let started = false;
    while (!this.stopped) {
      this.woken = false;
      let sleepMs = this.pollIntervalMs;
      try {
        await this.refresh();
        if (!started) {
          await this.requestLegacyAlerts();
          started = true;
          this.logger.info(
            { pending: this.pendingCount(), channels: this.channels },
            'alert delivery started; pending deliveries read from the store',
          );
        }
        const now = this.clock();
        const { due, nextAt } = dueSteps(this.ledger.pending.values(), now, this.policy, {
          limit: this.concurrency - this.busy.size,
          channels: new Set(this.channels),
          busy: this.busy,
        });
        for (const step of due) this.launch(step);
        if (this.busy.size === 0 && (nextAt === null || nextAt > now))
          this.idleWaiters.splice(0).forEach((resolve) => resolve());
        if (this.busy.size < this.concurrency && nextAt !== null)
          sleepMs = Math.min(sleepMs, Math.max(1, nextAt - now));
      } catch (err) {
        this.logger.error({ err: (err as Error).message }, 'alert delivery could not read the outbox; trying again');
      }
      if (!this.woken && !this.stopped) await this.sleep(sleepMs);
    }
  }

  private launch({ delivery, step }: DueStep): void {
    const key = deliveryKey(delivery.channel, delivery.alertId);
    this.busy.add(key);
    const p: Promise<void> = this.perform({ delivery, step })
      .catch((err: unknown) =>
        this.logger.error(
          { alertId: delivery.alertId, channel: delivery.channel, err: (err as Error).message },
          'alert delivery step not recorded; it is retried from the store',
        ),
      )
      .finally(() => {
        this.busy.delete(key);
        this.inFlight.delete(p);
        // Refill in batches: a round looks at the whole backlog, so not one round per finished try.
        if (this.busy.size <= this.concurrency / 2 || this.idleWaiters.length > 0) this.wake();
      });
    this.inFlight.add(p);
  }

  private async perform({ delivery: { alertId, channel, attempts }, step }: DueStep): Promise<void> {
    const at = () => new Date(this.clock()).toISOString();
    if (step.kind === 'dead-letter') {
      await this.append([
        {
          eventId: deliveryEventId.deadLettered(channel, alertId),
          type: ALERT_EVENTS.deadLettered,
          recordedAt: at(),
          data: { alertId, channel, attempts, reason: step.reason },
        },
      ]);
      this.logger.error(
        { alertId, channel, attempts, reason: step.reason },
        'alert dead-lettered: not delivered after all tries',
      );
      return;
    }
    const attempt = step.attempt;
    const claim = await this.append([
      {
        eventId: deliveryEventId.attempted(channel, alertId, attempt),
        type: ALERT_EVENTS.attempted,
        recordedAt: at(),
        data: { alertId, channel, attempt },
      },
    ]);
    if (claim.appended === 0) return; // another process has claimed this try
    const alert = this.ledger.recorded.get(alertId);
    const notifier = this.notifiers.get(channel);
    if (!alert || !notifier) throw new Error(`cannot deliver ${alertId} via ${channel}`);
    try {
      await notifier.notify(alert, attempt);
    } catch (err) {
      const error = describe(err);
      const failed = {
        eventId: deliveryEventId.failed(channel, alertId, attempt),
        type: ALERT_EVENTS.failed,
        recordedAt: at(),
        data: { alertId, channel, attempt, error },
      };
      const last = attempt >= this.policy.maxAttempts;
      const deadLetter = {
        eventId: deliveryEventId.deadLettered(channel, alertId),
        type: ALERT_EVENTS.deadLettered,
        recordedAt: failed.recordedAt,
        data: { alertId, channel, attempts: attempt, reason: error },
      };
      await this.append(last ? [failed, deadLetter] : [failed]);
      if (last)
        this.logger.error(
          { alertId, channel, attempts: attempt, err: error },
          'alert dead-lettered: not delivered after all tries',
        );
      else this.logger.warn({ alertId, channel, attempt, err: error }, 'alert delivery failed; retrying with backoff');
      return;
    }
    await this.append([
      {
        eventId: deliveryEventId.delivered(channel, alertId),
        type: ALERT_EVENTS.delivered,
        recordedAt: at(),
        data: { alertId, channel, attempt },
      },
    ]);
  }

  private append(events: Array<{ eventId: string; type: string; recordedAt: string; data: unknown }>) {
    return this.store.append(
      ALERTS_STREAM,
      events.map((e) => ({ ...e, schemaVersion: 1 })),
    );
  }

  private async refresh(): Promise<void> {
    for (const e of await this.store.readStream(ALERTS_STREAM, { fromRevision: this.ledger.nextRevision }))
      this.ledger.apply(e);
  }

  /** Alerts recorded before the outbox existed get their requests, for the channels that never had them. */
  private async requestLegacyAlerts(): Promise<void> {
    const at = new Date(this.clock()).toISOString();
    const requests = this.ledger.alertsWithoutRequests().flatMap((a) =>
      deliveryRequests(
        a.alertId,
        this.channelsFor(a.municipality).filter((c) => !a.deliveredVia.includes(c)),
        at,
      ),
    );
    for (let i = 0; i < requests.length; i += 500) await this.store.append(ALERTS_STREAM, requests.slice(i, i + 500));
    if (requests.length) {
      this.logger.info({ requests: requests.length }, 'alerts recorded before the outbox: delivery requested');
      await this.refresh();
    }
  }

  private pendingCount(): number {
    return [...this.ledger.pending.values()].filter((d) => this.notifiers.has(d.channel)).length;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wakeUp = null;
    });
  }
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string } };
  return e.cause?.code ? `${e.message} (${e.cause.code})` : (e?.message ?? String(err));
}

/**
 * The alert service: a catch-up subscription on the store (resuming from its checkpoint) records each
 * AlertRaised with its delivery requests (for its municipality's channels) before the checkpoint moves, then wakes the dispatcher. The
 * checkpoint can pass an alert because the outbox, not the subscription, now holds it until delivered.
 */
export function startAlertService(
  store: EventStore,
  outbox: {
    readonly channels: readonly string[];
    channelsFor?(municipality: string | null | undefined): readonly string[];
    wake(): void;
  },
  logger: Logger,
): Subscription {
  return store.subscribeToAll({
    subscriptionId: 'alert-service',
    eventTypes: ['AlertRaised'],
    handler: async (event) => {
      const alert = await recordAlert(store, event, (a) => outbox.channelsFor?.(a.municipality) ?? outbox.channels);
      if (!alert) return;
      logger.info(
        {
          alertId: alert.alertId,
          kind: alert.kind,
          householdId: alert.householdId,
          month: alert.month,
          ...(alert.municipality ? { municipality: alert.municipality } : {}),
        },
        'alert recorded',
      );
      outbox.wake();
    },
  });
}
