import { buildWorkplace, hashPassword } from '@bijstand/workplace';
import { percentile } from './phases.js';
import type { StoreTarget } from './stores.js';

/**
 * The workplace on the measured store (issue #22): how long its read model takes to read the store at start,
 * then the first page of /inbox and of /households, each asked 20 times in a row (in process, fastify's inject:
 * no network), as a consultant. Reported, never asserted; the target is /inbox ≤ 300 ms (median of 20).
 */
export interface WorkplaceResult {
  /** Seconds from an unopened store to a workplace ready to answer (the read model caught up). */
  startSeconds: number;
  alerts: number;
  inboxP50: number;
  inboxP95: number;
  inboxKiB: number;
  householdsP50: number;
  householdsP95: number;
}

export const WORKPLACE_TARGET_MS = 300;
const TIMES = 20;

export async function benchWorkplace(target: StoreTarget, name: string): Promise<WorkplaceResult> {
  const password = 'bench-only';
  const started = performance.now();
  const store = await target.open(name);
  const app = await buildWorkplace({
    store,
    users: [{ name: 'bench', role: 'consultant', passwordHash: hashPassword(password) }],
    sessionSecret: 'bench-session-secret-bench-session-secret',
    contact: { municipality: 'Benchstad' },
  });
  const startSeconds = (performance.now() - started) / 1000;
  try {
    const login = await app.inject({ method: 'POST', url: '/login', payload: { name: 'bench', password } });
    const cookie = `workplace_session=${login.cookies.find((c) => c.name === 'workplace_session')!.value}`;
    const measure = async (url: string) => {
      const ms: number[] = [];
      let body = '';
      for (let i = 0; i < TIMES; i++) {
        const t = performance.now();
        const res = await app.inject({ url, headers: { cookie } });
        ms.push(performance.now() - t);
        if (res.statusCode !== 200) throw new Error(`bench: ${url} answered ${res.statusCode}`);
        body = res.body;
      }
      return { p50: percentile(ms, 50), p95: percentile(ms, 95), body };
    };
    const inbox = await measure('/inbox');
    const households = await measure('/households');
    const alerts = Number(/(\d+) van (\d+) signalen\./.exec(inbox.body)?.[2] ?? Number.NaN);
    process.stderr.write(
      `  ${target.kind}: workplace ready in ${startSeconds.toFixed(1)} s, /inbox p50 ${inbox.p50.toFixed(1)} ms\n`,
    );
    return {
      startSeconds,
      alerts,
      inboxP50: inbox.p50,
      inboxP95: inbox.p95,
      inboxKiB: Buffer.byteLength(inbox.body) / 1024,
      householdsP50: households.p50,
      householdsP95: households.p95,
    };
  } finally {
    await app.close();
    await store.close();
  }
}
