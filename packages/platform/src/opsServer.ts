import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

/** A named readiness check: resolves when the dependency answers, rejects (or throws) when not. */
export type HealthCheck = () => Promise<void>;

export interface OpsServer {
  readonly port: number;
  /** From now on /health answers 503 "stopping", so a load balancer or orchestrator stops routing. */
  markStopping(): void;
  close(): Promise<void>;
}

/**
 * The operations endpoints of a long-running process: `GET /health` (200 with every check "ok", 503
 * when one fails or the process is stopping) and `GET /metrics` (Prometheus text format).
 */
export async function startOpsServer(options: {
  port: number;
  host: string;
  metrics: Metrics;
  checks: Record<string, HealthCheck>;
}): Promise<OpsServer> {
  let stopping = false;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/health') {
      void health().then(({ ok, body }) => {
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
      });
      return;
    }
    if (path === '/metrics') {
      options.metrics.render().then(
        (text) => res.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(text),
        (err: Error) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${err.message}\n`),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /health or /metrics\n');
  });
  const health = async () => {
    const checks: Record<string, string> = {};
    await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await check();
          checks[name] = 'ok';
        } catch (err) {
          checks[name] = `failing: ${(err as Error).message}`;
        }
      }),
    );
    const ok = !stopping && Object.values(checks).every((c) => c === 'ok');
    return { ok, body: { status: stopping ? 'stopping' : ok ? 'ok' : 'failing', checks } };
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    markStopping: () => {
      stopping = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
