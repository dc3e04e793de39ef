import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dutchDate } from '@bijstand/documents';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, NIGHTLY_RUNS_STREAM, rulesVersionOf } from '@bijstand/platform';
import { NightlySettlement } from '@bijstand/settlement';
import { freeLoopbackPort, redisAvailable, startRedis } from '@bijstand/testkit';
import { NIGHT, demoConfig as config, demoCtx as ctx, seedUnsettledNight } from './support/unsettledNight.js';
import { startCli, waitForStderr, type CliResult, type RunningCli } from './support/cli.js';

/**
 * Issue #21, "a night that ends": a Redis or PostgreSQL that does not answer is an error within seconds
 * naming the service, never a process that hangs; SIGTERM ends a run and the worker in any phase.
 */
const logger = createLogger('test', { level: 'silent' });

/**
 * The operators' time limits set low (defaults: Redis command 10 s, PostgreSQL connect 15 s), so that a silent
 * service is given up on in seconds: what is proven (an error naming the service within the limit, nothing
 * recorded) does not depend on the limit's size. Where a healthy Redis serves the night first, its commands
 * run under the limit too: 3 s, far above an answer on a loaded machine. The connect limit stays at its
 * default: a server that is gone refuses at once, and a lower one only races the worker's first connections.
 */
const SILENT_REDIS_LIMIT = { REDIS_COMMAND_TIMEOUT_MS: '2000' };
const REDIS_GONE_LIMIT = { REDIS_COMMAND_TIMEOUT_MS: '3000' };
const POSTGRES_LIMIT = { EVENTSTORE_CONNECT_TIMEOUT_MS: '1000' };

/** A server that accepts connections and never says a word: a Redis or PostgreSQL that hangs. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  const port = await freeLoopbackPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The CLI's result, or a failure naming the hang: a process still running after `ms` is killed. */
async function endsWithin(cli: RunningCli, ms: number): Promise<CliResult & { ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  const r = await Promise.race([cli.done, hung]);
  clearTimeout(timer);
  if (r === 'hung') {
    cli.child.kill('SIGKILL');
    throw new Error(`still running after ${ms} ms:\n${cli.stderr()}`);
  }
  return { ...r, ms: Date.now() - started };
}

async function nightsRecorded(path: string): Promise<number> {
  const store = await openEventStore({ kind: 'sqlite', path, mode: 'read-only' });
  const n = (await store.readStream(NIGHTLY_RUNS_STREAM)).length;
  await store.close();
  return n;
}

/** The night's decisions per household stream that has any, as text: equal texts, equal decisions. */
async function nightByHousehold(path: string): Promise<Map<string, string[]>> {
  const store = await openEventStore({ kind: 'sqlite', path, mode: 'read-only' });
  const out = new Map<string, string[]>();
  for (const e of await store.readAll()) {
    if (!e.streamName.startsWith('household-') || e.recordedAt !== NIGHT.runAt) continue;
    out.set(e.streamName, [...(out.get(e.streamName) ?? []), `${e.eventId} ${JSON.stringify(e.data)}`]);
  }
  await store.close();
  return out;
}

describe('a night that ends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ends-e2e-'));
  const seedPath = join(dir, 'seed.sqlite');
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let reference: Map<string, string[]>;

  beforeAll(async () => {
    silent = await silentServer();
    await seedUnsettledNight(seedPath);
    const path = join(dir, 'reference.sqlite');
    copyFileSync(seedPath, path);
    const store = await openEventStore({ kind: 'sqlite', path });
    await new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger).runNightly(NIGHT);
    await store.close();
    reference = await nightByHousehold(path);
  }, 120_000);
  afterAll(async () => {
    await silent?.close();
  });

  const copy = (name: string) => {
    const path = join(dir, `${name}.sqlite`);
    copyFileSync(seedPath, path);
    return path;
  };

  it('run-nightly with a Redis that refuses: an error naming Redis within seconds, no night recorded', async () => {
    const path = copy('refused');
    const port = await freeLoopbackPort(); // nothing listens there
    const cli = startCli(['run-nightly', '--date', NIGHT.runDate, '--store', path], {
      REDIS_URL: `redis://:s3cret@127.0.0.1:${port}`,
      MUNICIPALITY_CONFIG: config,
    });
    const r = await endsWithin(cli, 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: Redis at 127.0.0.1:${port} (REDIS_URL) is unreachable: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(r.stderr).not.toContain('s3cret');
    expect(await nightsRecorded(path)).toBe(0);
  });

  it('run-nightly with a Redis that never answers: an error naming Redis within its limit, no night recorded', async () => {
    const path = copy('silent-redis');
    const cli = startCli(['run-nightly', '--date', NIGHT.runDate, '--store', path], {
      REDIS_URL: `redis://127.0.0.1:${silent.port}`,
      MUNICIPALITY_CONFIG: config,
      ...SILENT_REDIS_LIMIT,
    });
    const r = await endsWithin(cli, 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: Redis at 127.0.0.1:${silent.port} (REDIS_URL) is unreachable: no answer within 2 s`,
    );
    expect(await nightsRecorded(path)).toBe(0);
  });

  it('SIGTERM ends run-nightly while it waits for Redis: exit 1 within seconds', async () => {
    const path = copy('silent-redis-sigterm');
    const cli = startCli(['run-nightly', '--date', NIGHT.runDate, '--store', path], {
      REDIS_URL: `redis://127.0.0.1:${silent.port}`,
      MUNICIPALITY_CONFIG: config,
    });
    await waitForStderr(cli, /connecting to Redis/);
    cli.child.kill('SIGTERM');
    const r = await endsWithin(cli, 5_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`de nacht van ${dutchDate(NIGHT.runDate)} is voor het einde gestopt`);
    expect(await nightsRecorded(path)).toBe(0);
  });

  it.skipIf(!redisAvailable())(
    'Redis gone in the middle of a night: run-nightly ends within 30 s naming Redis, exit 1',
    { timeout: 90_000 },
    async () => {
      const redis = await startRedis();
      try {
        const path = copy('redis-gone');
        const cli = startCli(['run-nightly', '--date', NIGHT.runDate, '--store', path], {
          REDIS_URL: redis.url,
          MUNICIPALITY_CONFIG: config,
          SETTLEMENT_GROUP_SIZE: '1',
          WORKER_CONCURRENCY: '1',
          ...REDIS_GONE_LIMIT,
        });
        while ((await nightsRecorded(path)) === 0) {
          if (cli.child.exitCode !== null) throw new Error(`run-nightly ended before the night was recorded`);
          await new Promise((r) => setTimeout(r, 10));
        }
        await redis.stop();
        const r = await endsWithin(cli, 30_000);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`error: Redis at 127.0.0.1:${redis.port} (REDIS_URL) is unreachable`);
        // Whatever was settled is whole: a household has the night an uninterrupted run decides, or none of it.
        for (const [stream, events] of await nightByHousehold(path))
          expect(events, stream).toEqual(reference.get(stream));
      } finally {
        await redis.stop();
      }
    },
  );

  it.skipIf(!redisAvailable())(
    'SIGTERM to a worker whose Redis is gone: exit 0 with the stopping and stopped lines',
    { timeout: 90_000 },
    async () => {
      const redis = await startRedis();
      try {
        const cli = startCli(['worker'], {
          REDIS_URL: redis.url,
          MUNICIPALITY_CONFIG: config,
          SQLITE_PATH: copy('worker-redis-gone'),
          OPS_PORT: '0',
          ...REDIS_GONE_LIMIT,
        });
        await waitForStderr(cli, /settlement worker started/);
        await redis.stop();
        await new Promise((r) => setTimeout(r, 1_000));
        cli.child.kill('SIGTERM');
        const r = await endsWithin(cli, 30_000);
        expect(r.code).toBe(0);
        expect(r.stderr).toMatch(/"reason":"SIGTERM".*settlement worker stopping/);
        expect(r.stderr).toMatch(/"reason":"SIGTERM".*settlement worker stopped/);
      } finally {
        await redis.stop();
      }
    },
  );

  it('run-nightly with a PostgreSQL that never answers: an error naming PostgreSQL within its limit', async () => {
    const cli = startCli(['run-nightly', '--date', NIGHT.runDate], {
      EVENTSTORE_URL: `postgres://bijstand:s3cret@127.0.0.1:${silent.port}/events`,
      MUNICIPALITY_CONFIG: config,
      ...POSTGRES_LIMIT,
    });
    const r = await endsWithin(cli, 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: PostgreSQL at 127.0.0.1:${silent.port}/events is unreachable`);
    expect(r.stderr).not.toContain('s3cret');
  });

  it('the worker with a Redis that never answers: an error naming Redis within its limit, exit 1', async () => {
    const path = copy('worker-silent-redis');
    const cli = startCli(['worker'], {
      REDIS_URL: `redis://127.0.0.1:${silent.port}`,
      MUNICIPALITY_CONFIG: config,
      SQLITE_PATH: path,
      OPS_PORT: '0',
      ...SILENT_REDIS_LIMIT,
    });
    const r = await endsWithin(cli, 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: Redis at 127.0.0.1:${silent.port} (REDIS_URL) is unreachable: no answer within 2 s`,
    );
  });

  it('SIGTERM during a night on SQLite: stops after the current group, exit 1, no household half-settled', async () => {
    const path = copy('sqlite-sigterm');
    const cli = startCli(['run-nightly', '--date', NIGHT.runDate, '--store', path], {
      MUNICIPALITY_CONFIG: config,
      SETTLEMENT_GROUP_SIZE: '1',
    });
    while ((await nightsRecorded(path)) === 0) {
      if (cli.child.exitCode !== null) throw new Error(`run-nightly ended before the night was recorded`);
      await new Promise((r) => setTimeout(r, 10));
    }
    cli.child.kill('SIGTERM');
    const r = await endsWithin(cli, 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`de nacht van ${dutchDate(NIGHT.runDate)} is voor het einde gestopt`);
    expect(r.stdout).toBe('');
    // A group is one commit: each household has the whole night an uninterrupted run decides, or none of it.
    const settled = await nightByHousehold(path);
    expect(settled.size).toBeGreaterThan(0);
    expect(settled.size).toBeLessThan(reference.size);
    for (const [stream, events] of settled) expect(events, stream).toEqual(reference.get(stream));
  });

  it(
    'SIGTERM during the worker start-up night: the current group finished, exit 0, the stopping and stopped lines',
    { timeout: 120_000 },
    async () => {
      const path = copy('worker-catch-up');
      // 10:00 Amsterdam on the night's date: the start-up catch-up settles that night, a household per group.
      const cli = startCli(['worker'], {
        MUNICIPALITY_CONFIG: config,
        SQLITE_PATH: path,
        OPS_PORT: '0',
        SETTLEMENT_GROUP_SIZE: '1',
        NODE_OPTIONS: `--import ${join(import.meta.dirname, 'support', 'fakeClock.mjs')}`,
        FAKE_NOW: '2027-04-01T08:00:00Z',
      });
      await waitForStderr(cli, /catching up the night of today/);
      cli.child.kill('SIGTERM');
      const r = await endsWithin(cli, 30_000);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/"reason":"SIGTERM".*settlement worker stopping/);
      expect(r.stderr).toMatch(/"reason":"SIGTERM".*settlement worker stopped/);
      expect(r.stderr).toContain('nightly run stopped between two groups; the next start finishes it');
      expect(r.stderr).not.toContain('nightly run finished');
      // The night was recorded, and only part of it settled: the next start finishes it.
      expect(await nightsRecorded(path)).toBe(1);
    },
  );
});

describe('a reader that goes away', () => {
  it('`./cli --help | head -3`: the CLI ends quietly with the status of a tool that SIGPIPE ended', async () => {
    const cli = startCli(['--help']);
    // The reader is gone before the CLI writes its first line (the start-up alone takes far longer).
    cli.child.stdout!.destroy();
    const r = await endsWithin(cli, 30_000);
    expect(r.code).toBe(141);
    expect(r.stderr).toBe('');
  });
});
