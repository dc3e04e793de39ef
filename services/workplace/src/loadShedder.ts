import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { busyPage, uncapped, type RequestLimits } from './limits.js';

/**
 * Bounded work per request, so that a flood of requests (or one slow page) cannot take the workplace down for
 * everyone. A request gets 503 with Retry-After at once, without touching the store, when `maxInFlight` requests
 * are being worked on, when the event loop has worked `maxEventLoopLagMs` without a pause (in its current turn or
 * over a run of turns each busy 90 % or more), or when the loop was busy more than half of the last 200 ms while
 * more than `maxInFlight` connections are open. The run of busy turns matters because a saturated loop takes one
 * waiting connection per turn: the queue then lies in the kernel's accept queue, where neither the connections
 * open nor the requests in flight show it, and /health waits at its end (measured: 2,000 requests in waves of 50
 * every 20 ms left 1,767 connections waiting and /health 3.4 s and more; load.e2e.test.ts). A page
 * built from memory finishes within its turn of the loop, so a flood shows as a busy loop and a queue of
 * connections, not as requests in flight; those 503s are written by the HTTP server itself, before fastify
 * routes the request, so that the queue empties quickly and /health gets its turn (measured: load.e2e.test.ts).
 * A handler that has not answered after `handlerTimeoutMs` gets the 503 page and its `request.signal` aborted;
 * a client that leaves aborts that signal too (handlers check it between steps, limits.ts stopIfAbandoned).
 * `/health`, the login page and the stylesheet are never shed: they do no store work.
 */

/** The sampling timer's interval (ms). */
const TICK = 20;
/** A tick whose interval the loop worked this share of or more counts as busy: no pause for waiting requests. */
const BUSY_TURN = 0.9;

export class LoadShedder {
  private inFlight = 0;
  private open = 0;
  private lastTick = performance.now();
  private lag = 0;
  /** How long the loop has worked without a tick that found it idle 10 % of its interval or more (ms). */
  private busyRun = 0;
  private recent: number[] = [];
  private readonly page = busyPage();
  private readonly headers: Record<string, string>;

  /** `security`: the workplace's own headers (CSP, HSTS behind TLS), which these 503s carry too. */
  constructor(
    private readonly limits: RequestLimits,
    security: Record<string, string> = {},
  ) {
    this.headers = {
      ...security,
      'content-type': 'text/html; charset=utf-8',
      'retry-after': String(limits.retryAfterSeconds),
      'cache-control': 'no-store',
    };
  }

  /** The headers of a 503 written before fastify sees the request. */
  get sheddingHeaders(): Readonly<Record<string, string>> {
    return this.headers;
  }

  /**
   * Fastify's options: the handler deadline; socket timeouts against clients that send their request slowly
   * (its headers within 20 s, the whole request within 30 s, a socket without traffic closed after 60 s, an idle
   * keep-alive one after 5 s); and the HTTP server that sheds.
   */
  fastifyOptions() {
    const requestTimeout = 30_000;
    const connectionTimeout = 60_000;
    return {
      handlerTimeout: this.limits.handlerTimeoutMs,
      requestTimeout,
      connectionTimeout,
      serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
        const server = createServer({ requestTimeout, headersTimeout: 20_000 }, (req, res) => {
          if (!uncapped(req) && this.overloadedLoop()) {
            res.writeHead(503, { ...this.headers, connection: 'close' }).end(this.page);
            return;
          }
          handler(req, res);
        });
        server.setTimeout(connectionTimeout);
        server.keepAliveTimeout = 5_000;
        server.on('connection', (socket) => {
          this.open++;
          socket.once('close', () => this.open--);
        });
        return server;
      },
    };
  }

  /** /health, the count of requests in flight, the event-loop sampling, and the deadline's Dutch page. */
  register(app: FastifyInstance): void {
    let before = performance.eventLoopUtilization();
    const timer = setInterval(() => {
      const now = performance.now();
      const interval = now - this.lastTick;
      this.lag = Math.max(0, interval - TICK);
      this.lastTick = now;
      const elu = performance.eventLoopUtilization();
      const utilization = performance.eventLoopUtilization(elu, before).utilization;
      this.recent.push(utilization);
      this.busyRun = utilization >= BUSY_TURN ? this.busyRun + interval : 0;
      before = elu;
      if (this.recent.length > 10) this.recent.shift();
    }, TICK).unref();
    app.addHook('onClose', async () => clearInterval(timer));

    app.get('/health', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('ok'));

    app.addHook('onRequest', async (req, reply) => {
      if (uncapped(req)) return;
      if (this.overloaded()) return this.busy(reply);
      this.inFlight++;
      let counted = true;
      const release = () => {
        if (counted) this.inFlight--;
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
      reply.header('retry-after', String(this.limits.retryAfterSeconds)).type('text/html; charset=utf-8');
      return this.page;
    });
  }

  private busy(reply: FastifyReply) {
    return reply
      .code(503)
      .header('retry-after', String(this.limits.retryAfterSeconds))
      .type('text/html; charset=utf-8')
      .send(this.page);
  }

  /**
   * A request from a connection (the HTTP server's own check, before fastify): shed when the loop is behind. Read
   * during a long turn of the loop, the time since the timer's last tick says how long this turn has worked: a
   * turn takes on `maxEventLoopLagMs` of pages at most and sheds the rest of its requests. Turns that follow each
   * other without a pause add up (`busyRun`): a loop saturated by pages of 20 ms each, one per turn, is as far
   * behind as one long turn. A loop busy more than half of the last 200 ms sheds too, while more than
   * `maxInFlight` connections are open (a flood).
   */
  private overloadedLoop(): boolean {
    const turn = Math.max(0, performance.now() - this.lastTick - TICK);
    const busy = this.recent.length > 0 && this.recent.reduce((a, b) => a + b, 0) / this.recent.length > 0.5;
    return (
      this.overloaded() ||
      Math.max(this.lag, this.busyRun + turn) > this.limits.maxEventLoopLagMs ||
      (busy && this.open > this.limits.maxInFlight)
    );
  }

  /** Every request, also those fastify injects (tests): the cap on requests in flight. */
  private overloaded(): boolean {
    return this.inFlight >= this.limits.maxInFlight;
  }
}
