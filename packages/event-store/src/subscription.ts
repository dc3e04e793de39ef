import type { EventStore, Subscription, SubscriptionOptions } from './port.js';

const BATCH_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 200;

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * A catch-up subscription built on readAll, shared by every adapter: resume after the stored
 * checkpoint, hand events to the handler in commit order, store the checkpoint after each handled
 * event, then wait for more (woken by `onAppend` where the adapter can tell, polling otherwise).
 *
 * Delivery is at least once: a handler that throws ends the subscription without moving the
 * checkpoint past that event, so the next subscription with the same id gets it again.
 */
export function runCatchUpSubscription(
  store: Pick<EventStore, 'readAll' | 'loadCheckpoint' | 'storeCheckpoint'>,
  options: SubscriptionOptions,
  onAppend?: (wake: () => void) => () => void,
): Subscription {
  const wantedTypes = options.eventTypes ? new Set(options.eventTypes) : null;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let stopped = false;
  let failure: Error | null = null;
  // caughtUp() callers: those waiting for the next read, and those the read under way will satisfy.
  let waiters: Waiter[] = [];
  let waitingForThisRead: Waiter[] = [];
  let wakeFromSleep: (() => void) | null = null;
  const wake = () => wakeFromSleep?.();
  const unsubscribe = onAppend?.(wake) ?? (() => {});

  const settle = (ws: Waiter[]) => {
    for (const w of ws) failure ? w.reject(failure) : w.resolve();
  };

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollIntervalMs);
      wakeFromSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeFromSleep = null;
    });

  const loop = (async () => {
    let position = (await store.loadCheckpoint(options.subscriptionId)) ?? 0;
    let storedPosition = position;
    while (!stopped) {
      // A read that reaches the head sees everything committed before it began, so it satisfies
      // every caughtUp() called before it began.
      waitingForThisRead = waiters;
      waiters = [];
      const batch = await store.readAll({ fromPosition: position, maxCount: BATCH_SIZE });
      for (const event of batch) {
        if (stopped) break;
        position = event.globalPosition;
        if (wantedTypes && !wantedTypes.has(event.type)) continue;
        await options.handler(event);
        await store.storeCheckpoint(options.subscriptionId, position);
        storedPosition = position;
      }
      // Events of other types move the checkpoint once per batch: cheap, and skipping them again
      // after a crash is harmless.
      if (position !== storedPosition && !stopped) {
        await store.storeCheckpoint(options.subscriptionId, position);
        storedPosition = position;
      }
      if (batch.length === BATCH_SIZE || stopped) {
        waiters = [...waitingForThisRead, ...waiters];
        waitingForThisRead = [];
        // A synchronous store (SQLite) never waits on I/O: a turn of the event loop between batches lets a
        // signal, a timer or an HTTP request in while a long backlog is caught up (the worker's start).
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      settle(waitingForThisRead);
      waitingForThisRead = [];
      if (waiters.length === 0 && !stopped) await sleep();
    }
  })()
    .catch((err: unknown) => {
      failure = err instanceof Error ? err : new Error(String(err));
    })
    .finally(() => {
      stopped = true;
      unsubscribe();
      settle([...waitingForThisRead, ...waiters]);
      waitingForThisRead = [];
      waiters = [];
    });

  return {
    caughtUp: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        if (stopped) return resolve();
        waiters.push({ resolve, reject });
        wake(); // look now rather than at the next poll
      }),
    stop: async () => {
      stopped = true;
      wake();
      await loop;
    },
  };
}

/** Adapters stop their open subscriptions on close, so that no poll timer outlives the store. */
export function trackUntilStopped(open: Set<Subscription>, subscription: Subscription): Subscription {
  const tracked: Subscription = {
    caughtUp: () => subscription.caughtUp(),
    stop: async () => {
      open.delete(tracked);
      await subscription.stop();
    },
  };
  open.add(tracked);
  return tracked;
}

export async function stopAll(open: Set<Subscription>): Promise<void> {
  await Promise.all([...open].map((s) => s.stop()));
}
