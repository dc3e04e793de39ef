import { createRequire } from 'node:module';
import type { RedisOptions } from 'ioredis';
import { locationOf, ServiceUnavailableError } from '@bijstand/event-store';
import { timeLimitsFromEnv } from '@bijstand/platform';

/**
 * Time limits on Redis: without them ioredis retries a refused connection forever and a command waits
 * in its offline queue for as long as Redis is away, so a night against an unreachable Redis never
 * ends and never says why (issue #21). Read once, from REDIS_CONNECT_TIMEOUT_MS (default 5 s) and
 * REDIS_COMMAND_TIMEOUT_MS (default 10 s), validated by platform's timeLimitsFromEnv.
 */
const limits = timeLimitsFromEnv();
export const REDIS_CONNECT_TIMEOUT_MS = limits.REDIS_CONNECT_TIMEOUT_MS;
/** A non-blocking command (the queue's, the progress polls): far above any answer a healthy Redis gives. */
export const REDIS_COMMAND_TIMEOUT_MS = limits.REDIS_COMMAND_TIMEOUT_MS;

/** Where REDIS_URL points, for messages and logs: `host:port[/db]`, never the password. */
export const redisLocation = (url: string) => `${locationOf(url)} (REDIS_URL)`;

/**
 * Options of a connection that issues only non-blocking commands: a connect timeout, and a command
 * timeout that also ends a command queued while disconnected. Not for BullMQ's worker connections,
 * whose blocking reads wait longer by design (they reconnect, and /health reports Redis meanwhile).
 */
export const producerRedisOptions: RedisOptions = {
  maxRetriesPerRequest: null,
  connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
};

/**
 * Resolves once Redis answers a PING; otherwise rejects within `timeoutMs` with a ServiceUnavailableError
 * naming Redis and where (refused, unknown host, or a server that accepts and never answers). An aborted
 * `signal` (SIGTERM) rejects at once with its reason. Called before a night writes anything, so that a
 * night is never recorded against a queue that cannot take it.
 */
export async function checkRedis(
  url: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis'); // loaded when used
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: Math.min(REDIS_CONNECT_TIMEOUT_MS, timeoutMs),
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    // ioredis waits 2 s for a closing socket to close; a server that never answered will not close it either.
    disconnectTimeout: 100,
  });
  // The socket's error (ECONNREFUSED, ENOTFOUND) says more than the rejection's "Connection is closed.".
  let socketError: Error | undefined;
  redis.on('error', (err: Error) => (socketError ??= err));
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        const signal = options.signal;
        if (!signal) return;
        onAbort = () => reject(signal.reason);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } catch (err) {
    if (options.signal?.aborted) throw err;
    const detail = (socketError ?? (err as Error)).message || String(err);
    throw new ServiceUnavailableError('Redis', redisLocation(url), detail);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    redis.disconnect();
  }
}
