import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { buildWorkplace } from '../src/server.js';
import { CONTACT, testUsers } from './support/workplace.js';

let ex: RunExample;
let app: FastifyInstance;
/** A route of the test's own that holds its slot until released, and says whether its request was aborted. */
const held: Array<{ release: () => void; aborted: Promise<string> }> = [];

beforeAll(async () => {
  ex = await runExample('couple-correction');
  app = await buildWorkplace({
    store: ex.store,
    users: testUsers(),
    sessionSecret: 'test-secret-test-secret-test-secret',
    contact: CONTACT,
    limits: { maxInFlight: 2, handlerTimeoutMs: 300, retryAfterSeconds: 3 },
  });
  app.get('/test-hold', async (req, reply) => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const aborted = new Promise<string>((r) =>
      req.signal.addEventListener('abort', () => {
        const reason = req.signal.reason as { code?: unknown; name?: string };
        r(reason.code === 'FST_ERR_HANDLER_TIMEOUT' ? reason.code : String(reason.name));
      }),
    );
    held.push({ release, aborted });
    await released;
    return reply.send('done');
  });
});
afterAll(async () => {
  await app.close();
  await ex.store.close();
});

describe('bounded work per request', () => {
  it('beyond the cap answers 503 with Retry-After at once, while /health and the login page still answer', async () => {
    const first = app.inject('/test-hold');
    const second = app.inject('/test-hold');
    await expect.poll(() => held.length).toBe(2);
    const busy = await app.inject('/inbox');
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('3');
    expect(busy.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(busy.body).toContain('De werkplek is op dit moment te druk');
    expect((await app.inject('/health')).body).toBe('ok');
    expect((await app.inject('/login')).statusCode).toBe(200);
    held.splice(0).forEach((h) => h.release());
    expect((await first).body).toBe('done');
    expect((await second).body).toBe('done');
    expect((await app.inject('/inbox')).headers.location).toBe('/login');
  });

  it('a handler past its deadline gets the Dutch 503 page and its request aborted', async () => {
    const res = await app.inject('/test-hold');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.body).toContain('<title>Even te druk · Werkplek bijstand</title>');
    expect(await held[0]!.aborted).toBe('FST_ERR_HANDLER_TIMEOUT');
    held.splice(0).forEach((h) => h.release());
    // Its slot is free again: two more are worked on.
    const two = [app.inject('/test-hold'), app.inject('/test-hold')];
    await expect.poll(() => held.length).toBe(2);
    held.splice(0).forEach((h) => h.release());
    expect((await Promise.all(two)).map((r) => r.body)).toEqual(['done', 'done']);
  });

  it('a client that leaves aborts its request (the handler can stop) and frees its slot', async () => {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const client = request(`${base}/test-hold`);
    client.on('error', () => undefined);
    client.end();
    await expect.poll(() => held.length).toBe(1);
    client.destroy();
    expect(await held[0]!.aborted).toBe('AbortError');
    held.splice(0).forEach((h) => h.release());
    const two = [app.inject('/test-hold'), app.inject('/test-hold')];
    await expect.poll(() => held.length).toBe(2);
    held.splice(0).forEach((h) => h.release());
    expect((await Promise.all(two)).map((r) => r.statusCode)).toEqual([200, 200]);
  });
});
