export interface RetryPolicy {
  /** Tries per alert and channel before it is dead-lettered. */
  maxAttempts: number;
  /** Delay ceiling after the first failure; doubles after each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** 10 tries over about an hour and a half (10 s, 20 s, … capped at 1 h, each with jitter). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 10_000, maxDelayMs: 3_600_000 };

/**
 * Exponential backoff with "equal jitter": half the ceiling plus a jittered half, so that a
 * receiver coming back is not hit by the whole backlog at the same instant. `jitter` is in [0, 1).
 */
export function backoffDelayMs(failedAttempts: number, policy: RetryPolicy, jitter: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}

/** Deterministic jitter in [0, 1) per delivery and attempt: the same after a restart, spread across alerts. */
export function jitterOf(deliveryKey: string, attempt: number): number {
  // FNV-1a: cheap enough to compute for a whole backlog on every scheduling round.
  let hash = 0x811c9dc5;
  for (const ch of `${deliveryKey}#${attempt}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash / 2 ** 32;
}
