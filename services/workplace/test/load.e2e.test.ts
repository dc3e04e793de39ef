import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { TEST_PASSWORD, workplaceOn } from './support/workplace.js';

/**
 * The load test, bounded: a real listen on 127.0.0.1 and, from another process (support/flood.mjs),
 * 2,000 requests mixed over /inbox, a household page and wrong logins, once all at once and once in waves of 50
 * every 20 ms (2,500 a second for 0.8 s). During each /health answers within 1 s; every request ends with a page,
 * a 429 or a 503 within 30 s; afterwards the workplace serves normally within 5 s. The only timings asserted are
 * those bounds; what was measured is printed. Before the shedder counted turns that follow each other without a
 * pause, the waves took 18 s and /health 3.4 s and more: the loop took one page per turn and the connections
 * waited in the kernel, where the shedder did not see them (loadShedder.ts).
 */

const REQUESTS = 2000;
let ex: RunExample;
let app: FastifyInstance;
let base: string;
let cookie: string;

interface Answer {
  path: string;
  /** 0: no answer (the connection failed or 30 s passed). */
  status: number;
  ms: number;
}

/** One GET on a connection of its own; status 0 when there is no answer within `limitMs`. */
function get(path: string, limitMs: number): Promise<Answer> {
  const started = performance.now();
  const agent = new Agent({ keepAlive: false });
  return new Promise<Answer>((resolve) => {
    const done = (status: number) => {
      clearTimeout(timer);
      agent.destroy();
      resolve({ path, status, ms: performance.now() - started });
    };
    const req = request(`${base}${path}`, { agent, headers: { cookie } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    const timer = setTimeout(() => req.destroy(), limitMs);
    req.on('error', () => done(0));
    req.end();
  });
}

/** The flood in its own process; resolves with its answers (it gives up on each after 30 s, so it ends). */
function flood(waveMs: number): Promise<Answer[]> {
  const child = spawn(process.execPath, [
    join(import.meta.dirname, 'support', 'flood.mjs'),
    base,
    cookie,
    `${REQUESTS}`,
    `${waveMs}`,
  ]);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const kill = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      clearTimeout(kill);
      if (code === 0) resolve(JSON.parse(out) as Answer[]);
      else reject(new Error(`the flood process ended with ${code}`));
    }),
  );
}

beforeAll(async () => {
  ex = await runExample('couple-correction');
  app = await workplaceOn(ex.store, undefined, undefined, { limits: {} });
  base = await app.listen({ host: '127.0.0.1', port: 0, backlog: 4096 });
  const login = await app.inject({
    method: 'POST',
    url: '/login',
    payload: { name: 'Karin Klantmanager', password: TEST_PASSWORD },
  });
  cookie = `workplace_session=${login.cookies.find((c) => c.name === 'workplace_session')!.value}`;
});
afterAll(async () => {
  await app?.close();
  await ex?.store.close();
});

describe('the workplace under a flood of requests (127.0.0.1 only)', () => {
  it.each([
    ['at once', 0],
    ['in waves of 50 every 20 ms', 20],
  ])(
    '2,000 %s: /health within 1 s, each answered within 30 s, normal within 5 s after',
    async (_shape, waveMs) => {
      const started = performance.now();
      const answers = flood(waveMs);
      let finished = false;
      void answers.then(
        () => (finished = true),
        () => (finished = true),
      );
      const health: Answer[] = [];
      while (!finished) {
        health.push(await get('/health', 5_000));
        await new Promise((r) => setTimeout(r, 100));
      }
      const all = await answers;
      const seconds = (performance.now() - started) / 1000;

      const byStatus: Record<string, number> = {};
      for (const a of all) byStatus[`${a.path} ${a.status}`] = (byStatus[`${a.path} ${a.status}`] ?? 0) + 1;
      const slowestHealth = Math.max(...health.map((h) => h.ms));
      console.log(
        `load (${_shape}): ${all.length} requests in ${seconds.toFixed(1)} s, slowest ${Math.max(...all.map((a) => a.ms))} ms; ` +
          `${JSON.stringify(byStatus)}; /health ${health.length}×, slowest ${slowestHealth.toFixed(0)} ms`,
      );
      expect(all.length).toBe(REQUESTS);
      expect(health.filter((h) => h.status !== 200 || h.ms >= 1000)).toEqual([]);
      // 200: a page; 401: the login page again (wrong password); 429 a throttle; 503 the cap or the deadline.
      expect(all.filter((a) => ![200, 401, 429, 503].includes(a.status) || a.ms >= 30_000)).toEqual([]);

      // Afterwards: the inbox itself is served within 5 s.
      const after = performance.now();
      let inbox = await get('/inbox', 5_000);
      while (inbox.status !== 200 && performance.now() - after < 5_000) {
        await new Promise((r) => setTimeout(r, 100));
        inbox = await get('/inbox', 5_000);
      }
      expect(inbox.status).toBe(200);
      expect(performance.now() - after).toBeLessThan(5_000);
    },
    60_000,
  );
});
