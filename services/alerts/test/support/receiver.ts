import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../src/index.js';

/** What the receiver answers a correctly signed request for an alert that has had `n` requests. */
export type Answer = (alertId: string, n: number) => number;

/**
 * A consultant system's webhook on 127.0.0.1: checks the signature as a real receiver would, answers
 * as `answer` says, and records every alert it accepted (without de-duplicating, so a second
 * delivery of one alert shows).
 */
export async function startReceiver(secret: string, answer: Answer) {
  const requests = new Map<string, number>();
  const accepted: string[] = [];
  const refusedSignatures: string[] = [];
  const header = (req: IncomingMessage, name: string) => String(req.headers[name] ?? '');
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const alertId = header(req, IDEMPOTENCY_HEADER);
      if (
        !verifyWebhookSignature(
          secret,
          header(req, TIMESTAMP_HEADER),
          body,
          header(req, SIGNATURE_HEADER),
          Math.floor(Date.now() / 1000),
        )
      ) {
        refusedSignatures.push(alertId);
        res.writeHead(401).end();
        return;
      }
      const n = (requests.get(alertId) ?? 0) + 1;
      requests.set(alertId, n);
      const status = answer(alertId, n);
      if (status < 300) accepted.push((JSON.parse(body) as { alertId: string }).alertId);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  const close = () => new Promise<void>((r) => server.close(() => r()));
  return { url, requests, accepted, refusedSignatures, close };
}

/** Polls until `check` holds; bounded, so a broken delivery fails the test instead of hanging it. */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 30_000, everyMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
