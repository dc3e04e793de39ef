/**
 * `load(items[k])` for every k, at most `window` started ahead of the one taken; taken in order.
 * A failed load fails only its own take (its rejection is held until then, never unhandled).
 */
export function lookAhead<T, R>(
  items: readonly T[],
  window: number,
  load: (item: T) => Promise<R>,
): { take(k: number): Promise<R> } {
  const started: Array<Promise<{ ok: true; value: R } | { ok: false; error: unknown }>> = [];
  const startUpTo = (k: number) => {
    for (let i = started.length; i <= Math.min(k, items.length - 1); i++) {
      started.push(
        load(items[i]!).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      );
    }
  };
  return {
    async take(k: number): Promise<R> {
      startUpTo(k + Math.max(0, window));
      const outcome = await started[k]!;
      delete started[k];
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
  };
}
