import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ConfigurationError } from '@bijstand/platform';
import { html } from './html.js';
import { layout } from './pages.js';

/**
 * Bounded work per request, so that a flood of requests (or one slow page) cannot take the workplace down for
 * everyone: at most `maxInFlight` requests are worked on at once (the rest get 503 with Retry-After at once,
 * without touching the store), a handler that has not answered after `handlerTimeoutMs` gets a 503 page and its
 * `request.signal` aborted, and a client that leaves aborts that signal too (handlers check it between steps).
 * `/health` and the login page stay outside the cap: they do no store work and must answer during a flood.
 */
export interface RequestLimits {
  /** Requests worked on at once (default 64). */
  maxInFlight: number;
  /** Milliseconds a handler may take before the 503 page (default 10,000). */
  handlerTimeoutMs: number;
  /** Seconds the 503 tells the browser to wait (Retry-After; default 2). */
  retryAfterSeconds: number;
}

export const DEFAULT_LIMITS: RequestLimits = { maxInFlight: 64, handlerTimeoutMs: 10_000, retryAfterSeconds: 2 };

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
 * Fastify's own bounds: the handler deadline, and socket-level timeouts against clients that send their
 * request slowly (requestTimeout: the whole request within 30 s; connectionTimeout: an idle socket is closed).
 */
export const fastifyLimitOptions = (l: RequestLimits) => ({
  handlerTimeout: l.handlerTimeoutMs,
  requestTimeout: 30_000,
  connectionTimeout: 60_000,
});

/** Outside the cap: no store work, and what a user needs to see that the workplace is alive. */
const UNCAPPED = (req: FastifyRequest) =>
  req.url === '/health' || (req.method === 'GET' && (req.url === '/login' || req.url.startsWith('/login?')));

export const busyPage = () =>
  layout(
    'Even te druk',
    null,
    html`<p>De werkplek is op dit moment te druk of deze pagina duurde te lang.
Probeer het over een paar seconden opnieuw.</p>`,
  );

/** Thrown by a handler that finds its request aborted (client gone or deadline passed): nothing more to do. */
export class RequestAbandonedError extends Error {
  override name = 'RequestAbandonedError';
}

/** Between the steps of a long handler: stop when nobody waits for the answer any more. */
export function stopIfAbandoned(req: FastifyRequest): void {
  if (req.signal.aborted) throw new RequestAbandonedError(`${req.method} ${req.url} abandoned`);
}

export function registerLimits(app: FastifyInstance, limits: RequestLimits): { inFlight: () => number } {
  let inFlight = 0;
  const busy = (reply: FastifyReply) =>
    reply
      .code(503)
      .header('retry-after', String(limits.retryAfterSeconds))
      .type('text/html; charset=utf-8')
      .send(busyPage());

  app.get('/health', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('ok'));

  app.addHook('onRequest', async (req, reply) => {
    if (UNCAPPED(req)) return;
    if (inFlight >= limits.maxInFlight) return busy(reply);
    inFlight++;
    let counted = true;
    const release = () => {
      if (counted) inFlight--;
      counted = false;
    };
    // 'close' comes whether the answer was sent or the client left first: the slot is freed either way.
    reply.raw.once('close', release);
    reply.raw.once('finish', release);
  });

  // The handler deadline's own answer is fastify's JSON 503: the user reads the Dutch page instead.
  app.addHook('onSend', async (req, reply, payload) => {
    const reason = req.signal.aborted ? (req.signal.reason as { code?: string } | undefined) : undefined;
    if (reply.statusCode !== 503 || reason?.code !== 'FST_ERR_HANDLER_TIMEOUT') return payload;
    reply.header('retry-after', String(limits.retryAfterSeconds)).type('text/html; charset=utf-8');
    return busyPage();
  });

  return { inFlight: () => inFlight };
}
