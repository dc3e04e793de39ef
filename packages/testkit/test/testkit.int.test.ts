import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import {
  ensureMockTopics,
  kafkaMockAvailable,
  MOCK_PARTITIONS_PER_TOPIC,
  redisAvailable,
  startKafkaMock,
  startRedis,
  type KafkaMockHandle,
  type RedisHandle,
} from '../src/index.js';

if (!redisAvailable()) console.warn('testkit: redis-server is not on PATH; the Redis tests are skipped (run infra/scripts/ensure-test-deps.sh)');
if (!kafkaMockAvailable()) console.warn('testkit: kcat is not on PATH; the Kafka mock tests are skipped (run infra/scripts/ensure-test-deps.sh)');

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

    const consumer = kafka.consumer({ groupId: 'tk-group', sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
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
      await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${seen.size} of 50 consumed`)), 20_000))]);
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
