import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import {
  ensureMockTopics,
  kafkaMockAvailable,
  MOCK_PARTITIONS_PER_TOPIC,
  postgresAvailable,
  redisAvailable,
  startKafkaMock,
  startPostgres,
  startRedis,
  type KafkaMockHandle,
  type RedisHandle,
} from '../src/index.js';

if (!redisAvailable())
  console.warn(
    'testkit: redis-server is not on PATH; the Redis tests are skipped (run infra/scripts/ensure-test-deps.sh)',
  );
if (!postgresAvailable())
  console.warn(
    'testkit: no PostgreSQL server binaries; the PostgreSQL tests are skipped (run infra/scripts/ensure-test-deps.sh)',
  );
if (!kafkaMockAvailable())
  console.warn(
    'testkit: kcat is not on PATH; the Kafka mock tests are skipped (run infra/scripts/ensure-test-deps.sh)',
  );

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!redisAvailable())('startRedis', () => {
  let redis: RedisHandle | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  it('starts a server that answers PING, and stop() ends it', { timeout: 20_000 }, async () => {
    redis = await startRedis();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      expect(await client.ping()).toBe('PONG');
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      const info = await client.config('GET', 'appendonly');
      expect(info).toEqual(['appendonly', 'no']);
      const pid = Number((await client.info('server')).match(/process_id:(\d+)/)?.[1]);
      expect(processAlive(pid)).toBe(true);
      client.disconnect();
      await redis.stop();
      expect(processAlive(pid)).toBe(false);
      await redis.stop(); // idempotent
    } finally {
      client.disconnect();
    }
  });
});

describe.skipIf(!kafkaMockAvailable())('startKafkaMock', () => {
  let mock: KafkaMockHandle;
  beforeAll(async () => {
    mock = await startKafkaMock({ brokers: 3 });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('reports one bootstrap address per broker', () => {
    expect(mock.brokers).toHaveLength(3);
    for (const b of mock.brokers) expect(b).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('auto-creates topics with the mock default partition count', { timeout: 20_000 }, async () => {
    const counts = await ensureMockTopics(mock.brokers, ['tk.created']);
    expect(counts).toEqual({ 'tk.created': MOCK_PARTITIONS_PER_TOPIC });
  });

  it('round-trips messages through a consumer group with committed offsets', { timeout: 30_000 }, async () => {
    const topic = 'tk.roundtrip';
    const kafka = new Kafka({ clientId: 'testkit-test', brokers: mock.brokers, logLevel: logLevel.NOTHING });
    await ensureMockTopics(mock.brokers, [topic]);
    const producer = kafka.producer({ allowAutoTopicCreation: true, idempotent: false });
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await producer.disconnect();

    const consumer = kafka.consumer({
      groupId: 'tk-group',
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    const seen = new Set<string>();
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const done = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.add(message.value?.toString() ?? '');
            if (seen.size === 50) resolve();
          },
        });
      });
      await Promise.race([
        done,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${seen.size} of 50 consumed`)), 20_000)),
      ]);
    } finally {
      await consumer.disconnect();
    }
    expect(seen.size).toBe(50);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: 'tk-group', topics: [topic] });
      const total = committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
      expect(total).toBe(50);
    } finally {
      await admin.disconnect();
    }
  });

  it('stop() ends kcat', { timeout: 20_000 }, async () => {
    const other = await startKafkaMock({ brokers: 1 });
    expect(other.brokers).toHaveLength(1);
    await other.stop();
    const kafka = new Kafka({
      clientId: 'testkit-gone',
      brokers: other.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 300,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow();
    await admin.disconnect();
  });
});

describe.skipIf(!postgresAvailable())('startPostgres', () => {
  const serverUid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  /** The postmaster's pid and data directory, as the server reports them. */
  const inspect = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ dir: string; fsync: string; listen: string; user: string }>(
        "SELECT current_setting('data_directory') AS dir, current_setting('fsync') AS fsync, current_setting('listen_addresses') AS listen, current_user AS user",
      );
      const row = rows[0]!;
      return { ...row, pid: Number(readFileSync(join(row.dir, 'postmaster.pid'), 'utf8').split('\n')[0]) };
    } finally {
      await client.end();
    }
  };

  it(
    'starts a throw-away cluster on loopback in a temporary directory; stop() ends it and removes the directory',
    { timeout: 30_000 },
    async () => {
      const server = await startPostgres();
      try {
        expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
        const seen = await inspect(server.url);
        expect(seen).toMatchObject({ fsync: 'off', listen: '127.0.0.1', user: 'postgres' });
        expect(seen.dir.startsWith(tmpdir())).toBe(true);
        expect(processAlive(seen.pid)).toBe(true);
        if (process.getuid?.() === 0) expect(uidOf(seen.pid)).toBe(serverUid());
        await server.stop();
        expect(processAlive(seen.pid)).toBe(false);
        expect(existsSync(dirname(seen.dir))).toBe(false);
        await server.stop(); // idempotent
      } finally {
        await server.stop();
      }
    },
  );

  it('leaves nothing behind when the process that started it is killed outright', { timeout: 30_000 }, async () => {
    // A separate Node process (TypeScript through tsx's loader) starts a server and is then SIGKILLed.
    const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const module = new URL('../src/postgres.ts', import.meta.url).href;
    const script = `import { startPostgres } from ${JSON.stringify(module)}; const s = await startPostgres(); console.log(s.url); setInterval(() => {}, 1 << 30);`;
    const child = spawn(process.execPath, ['--import', loader, '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const m = /postgres:\/\/\S+/.exec(chunk.toString());
          if (m) resolve(m[0]);
        });
        child.once('exit', (code) => reject(new Error(`child exited (${code}) before starting a server`)));
      });
      const seen = await inspect(url);
      child.kill('SIGKILL');
      await expect.poll(() => processAlive(seen.pid), { timeout: 10_000, interval: 50 }).toBe(false);
      await expect.poll(() => existsSync(dirname(seen.dir)), { timeout: 10_000, interval: 50 }).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
