import type { EventStore, Subscription, SubscriptionOptions } from './port.js';

/**
 * A catch-up subscription over readAll: resume after the stored checkpoint, hand events to the
 * handler in commit order, store the checkpoint after each handled event, then wait for more (a
 * push notification where the adapter has one, polling otherwise).
 */
export function runCatchUpSubscription(
  store: Pick<EventStore, 'readAll' | 'loadCheckpoint' | 'storeCheckpoint'>,
  options: SubscriptionOptions,
  onAppend?: (wake: () => void) => () => void,
): Subscription {
  let stopped = false;
  let wake: (() => void) | null = null;
  let idleWaiters: Array<() => void> = [];
  let failure: Error | null = null;
  const types = options.eventTypes ? new Set(options.eventTypes) : null;
  const unsubscribe = onAppend?.(() => wake?.());

  const loop = (async () => {
    let position = (await store.loadCheckpoint(options.subscriptionId)) ?? 0;
    while (!stopped) {
      const batch = await store.readAll({ fromPosition: position, maxCount: 500 });
      for (const event of batch) {
        if (stopped) return;
        if (!types || types.has(event.type)) await options.handler(event);
        position = event.globalPosition;
        await store.storeCheckpoint(options.subscriptionId, position);
      }
      if (batch.length > 0) continue;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.pollIntervalMs ?? 200);
      });
      wake = null;
    }
  })().catch((err: unknown) => {
    failure = err as Error;
    for (const w of idleWaiters) w();
    idleWaiters = [];
  });

  return {
    caughtUp: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        idleWaiters.push(() => (failure ? reject(failure) : resolve()));
        wake?.(); // look again now rather than at the next poll
      }),
    stop: async () => {
      stopped = true;
      wake?.();
      unsubscribe?.();
      await loop;
    },
  };
}
