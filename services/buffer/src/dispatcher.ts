import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { EventStore, Subscription } from '@bijstand/event-store';
import type { Logger } from '@bijstand/platform';
import { deliverAlert, listAlerts, recordAlert, type ConsultantAlert, type Notifier } from './alerts.js';

export const ALERT_DELIVERY_QUEUE = 'alert-delivery';
const jobIdOf = (channel: string, alertId: string) => `deliver_${channel}_${alertId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export interface DeliveryQueue {
  enqueue(alert: ConsultantAlert): Promise<void>;
  close(): Promise<void>;
}

/**
 * Alert delivery through BullMQ: one job per alert and channel (deduplicated by job id), retried with
 * exponential backoff; the delivery is recorded as an event, so a retried job never sends twice.
 */
export function bullmqDelivery(redisUrl: string, store: EventStore, notifiers: Notifier[], logger: Logger, now: () => string, options: { attempts?: number; backoffMs?: number } = {}): DeliveryQueue & { worker: Worker } {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // BullMQ leaves connections it was given open: close() ends both, or the process never exits.
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(ALERT_DELIVERY_QUEUE, { connection });
  const byChannel = new Map(notifiers.map((n) => [n.channel, n]));
  const worker = new Worker(
    ALERT_DELIVERY_QUEUE,
    async (job) => {
      const { alertId, channel } = job.data as { alertId: string; channel: string };
      const alert = (await listAlerts(store)).find((a) => a.alertId === alertId);
      const notifier = byChannel.get(channel);
      if (!alert || !notifier) throw new Error(`cannot deliver ${alertId} via ${channel}`);
      return deliverAlert(store, alert, notifier, now(), job.attemptsMade + 1);
    },
    { connection: workerConnection, concurrency: 4 },
  );
  worker.on('failed', (job, err) => job && logger.warn({ jobId: job.id, attempt: job.attemptsMade, err: err.message }, 'alert delivery failed; retrying with backoff'));
  return {
    worker,
    async enqueue(alert) {
      for (const n of notifiers) {
        await queue.add('deliver', { alertId: alert.alertId, channel: n.channel }, {
          jobId: jobIdOf(n.channel, alert.alertId),
          attempts: options.attempts ?? 8,
          backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
          removeOnComplete: true,
          removeOnFail: false,
        });
      }
    },
    async close() {
      await worker.close();
      await queue.close();
      await Promise.all([connection, workerConnection].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** Without Redis: deliver in-process, retrying with backoff until it succeeds or attempts run out. */
export function inProcessDelivery(store: EventStore, notifiers: Notifier[], logger: Logger, now: () => string, options: { attempts?: number; backoffMs?: number } = {}): DeliveryQueue {
  const pending = new Set<Promise<void>>();
  return {
    async enqueue(alert) {
      for (const n of notifiers) {
        const p = (async () => {
          for (let attempt = 1; attempt <= (options.attempts ?? 8); attempt++) {
            try {
              await deliverAlert(store, alert, n, now(), attempt);
              return;
            } catch (err) {
              logger.warn({ alertId: alert.alertId, channel: n.channel, attempt, err: (err as Error).message }, 'alert delivery failed; retrying');
              await new Promise((r) => setTimeout(r, (options.backoffMs ?? 1000) * 2 ** (attempt - 1)));
            }
          }
          logger.error({ alertId: alert.alertId, channel: n.channel }, 'alert not delivered after all attempts; it stays listed as undelivered');
        })();
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
    },
    async close() {
      await Promise.all(pending);
    },
  };
}

/**
 * The alert service: a catch-up subscription on the store (resuming from its checkpoint) records each
 * AlertRaised in the alert stream and hands it to delivery.
 */
export function startAlertService(store: EventStore, delivery: DeliveryQueue, logger: Logger): Subscription {
  return store.subscribeToAll({
    subscriptionId: 'alert-service',
    eventTypes: ['AlertRaised'],
    handler: async (event) => {
      const alert = await recordAlert(store, event);
      if (!alert) return;
      logger.info({ alertId: alert.alertId, kind: alert.kind, householdId: alert.householdId, month: alert.month }, 'alert recorded');
      await delivery.enqueue(alert);
    },
  });
}
