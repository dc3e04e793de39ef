import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ConfigurationError } from '@bijstand/platform';
import { html } from './html.js';

/**
 * The bounds on work per request (loadShedder.ts applies them): requests in flight, how far behind the event
 * loop may be, the handler deadline; their settings from the environment, the 503 page, and the check a long
 * handler makes between its steps.
 */
export interface RequestLimits {
  /** Requests worked on at once (default 64). */
  maxInFlight: number;
  /** Milliseconds a handler may take before the 503 page (default 10,000). */
  handlerTimeoutMs: number;
  /** Seconds the 503 tells the browser to wait (Retry-After; default 2). */
  retryAfterSeconds: number;
  /** How long a turn of the event loop may have worked when a request from a connection starts (default 100 ms). */
  maxEventLoopLagMs: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxInFlight: 64,
  handlerTimeoutMs: 10_000,
  retryAfterSeconds: 2,
  maxEventLoopLagMs: 100,
};

const whole = (least: number, most: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(least, `must be at least ${least}`)
    .max(most, `must be at most ${most}`);
const limitsEnvSchema = z.object({
  WORKPLACE_MAX_IN_FLIGHT: whole(1, 10_000).optional(),
  WORKPLACE_HANDLER_TIMEOUT_MS: whole(100, 600_000).optional(),
});

/** WORKPLACE_MAX_IN_FLIGHT and WORKPLACE_HANDLER_TIMEOUT_MS (unset: the defaults); a wrong one stops `serve`. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<RequestLimits> {
  const given = Object.fromEntries(Object.keys(limitsEnvSchema.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const parsed = limitsEnvSchema.safeParse(given);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigurationError(`${i.path.join('.')}: '${given[String(i.path[0])]}' ${i.message}`);
  }
  const { WORKPLACE_MAX_IN_FLIGHT: maxInFlight, WORKPLACE_HANDLER_TIMEOUT_MS: handlerTimeoutMs } = parsed.data;
  return { ...(maxInFlight ? { maxInFlight } : {}), ...(handlerTimeoutMs ? { handlerTimeoutMs } : {}) };
}

/**
 * Outside the cap: no store work, and what a user needs to see that the workplace is alive. The stylesheet too:
 * it is a constant, and shed right after a large page (the household's) that page would stand unstyled.
 */
export const uncapped = (req: { method?: string | undefined; url?: string | undefined }) =>
  req.url === '/health' ||
  (req.method === 'GET' &&
    (req.url === '/login' || req.url?.startsWith('/login?') === true || req.url === '/workplace.css'));

/** The 503 page: small and without the stylesheet, since a flood gets thousands of them. */
export const busyPage = () =>
  html`<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Even te druk · Werkplek bijstand</title></head><body><h1>Even te druk</h1><p>De werkplek is op dit moment te druk of deze pagina duurde te lang.
Probeer het over een paar seconden opnieuw.</p></body></html>`.value;

/** Thrown by a handler that finds its request aborted (client gone or deadline passed): nothing more to do. */
export class RequestAbandonedError extends Error {
  override name = 'RequestAbandonedError';
}

/**
 * Between the steps of a long handler: stop when nobody waits for the answer any more (the deadline passed, or
 * the connection is gone). Not on the signal alone: fastify aborts it on the request's 'close', which Node also
 * emits when a POST's body has been read to its end, with the browser still waiting for the answer.
 */
export function stopIfAbandoned(req: FastifyRequest): void {
  if (!req.signal.aborted) return;
  const deadline = (req.signal.reason as { code?: string } | undefined)?.code === 'FST_ERR_HANDLER_TIMEOUT';
  if (deadline || req.raw.socket?.destroyed !== false)
    throw new RequestAbandonedError(`${req.method} ${req.url} abandoned`);
}
