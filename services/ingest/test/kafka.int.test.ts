import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import {
  ensureMockTopics,
  kafkaMockAvailable,
  mockSafePartitionAssigners,
  MOCK_PARTITIONS_PER_TOPIC,
  startKafkaMock,
  type KafkaMockHandle,
} from '@bijstand/testkit';
import {
  createDeadLetterProducer,
  createKafkaSource,
  type KafkaSource,
  type KafkaSourceOptions,
  type RawMessage,
} from '../src/kafka.js';

/*
 * Integration tests of the Kafka source against librdkafka's mock cluster (started through kcat by
 * @bijstand/testkit). The mock creates topics on first Metadata request with 4 partitions.
 *
 * Rebalance timing in the mock: the first join of a group waits 3 s for more members; every later
 * rebalance waits session.timeout − 1 s. Hence the short session timeout below.
 */

if (!kafkaMockAvailable()) {
  console.warn(
    'ingest/kafka: kcat is not on PATH, so the Kafka mock-cluster tests are skipped (run infra/scripts/ensure-test-deps.sh)',
  );
}

/** Short group timings for the mock (JSON-serialisable: also handed to the child member). */
const FAST: Partial<KafkaSourceOptions> = {
  sessionTimeout: 3000,
  heartbeatInterval: 300,
  rebalanceTimeout: 6000,
  maxWaitTimeInMs: 100,
  kafkaLogLevel: 'nothing',
  retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 1000 },
};

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const kafkaModuleUrl = pathToFileURL(resolve(here, '../src/kafka.ts')).href;
const testkitModuleUrl = pathToFileURL(resolve(repoRoot, 'packages/testkit/src/index.ts')).href;

/*
 * A consumer-group member in a child process, so that it can be killed for real (SIGKILL: no
 * LeaveGroup, no commit, no cleanup). It stores through the parent over IPC: each batch is sent to
 * the parent and handleBatch resolves only when the parent acknowledges it. It exits when the IPC
 * channel closes, so it cannot outlive the test process.
 */
const CHILD_MEMBER = `
const cfg = JSON.parse(process.env.KAFKA_MEMBER_CONFIG);
const { createKafkaSource } = await import(cfg.module);
const { mockSafePartitionAssigners } = await import(cfg.testkit);
process.on('disconnect', () => process.exit(1));
const pending = new Map();
let seq = 0;
let go;
const started = new Promise((r) => (go = r));
process.on('message', (m) => {
  if (m && m.type === 'ack') { pending.get(m.id)?.(); pending.delete(m.id); }
  if (m && m.type === 'go') go();
});
process.send({ type: 'loaded' });
await started;
const quiet = () => {};
const source = createKafkaSource({
  ...cfg.options,
  partitionAssigners: mockSafePartitionAssigners(),
  logger: { info: quiet, warn: quiet, error: (o, m) => console.error('[member child]', m, o && o.err ? String(o.err.message || o.err) : '') },
  handleBatch: (messages) => new Promise((resolve) => {
    const id = ++seq;
    pending.set(id, resolve);
    process.send({ type: 'batch', id, messages });
  }),
});
await source.start();
process.send({ type: 'started' });
`;

type ChildMessage = { type: 'loaded' } | { type: 'started' } | { type: 'batch'; id: number; messages: RawMessage[] };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describeState: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${describeState()}`);
    await sleep(50);
  }
}

/** The test's idempotent sink: stores by messageId, counts deliveries separately. */
class IdempotentSink {
  readonly stored = new Map<string, RawMessage>();
  deliveries = 0;
  inserts = 0;
  readonly deliveriesById = new Map<string, number>();

  store(m: RawMessage): void {
    this.deliveries++;
    const id = (JSON.parse(m.value ?? '{}') as { messageId: string }).messageId;
    this.deliveriesById.set(id, (this.deliveriesById.get(id) ?? 0) + 1);
    if (this.stored.has(id)) return; // duplicate delivery: absorbed
    this.stored.set(id, m);
    this.inserts++;
  }
}

describe.skipIf(!kafkaMockAvailable())('Kafka source on the mock cluster', () => {
  let mock: KafkaMockHandle;
  let kafka: Kafka;
  const sources: KafkaSource[] = [];

  beforeAll(async () => {
    mock = await startKafkaMock({ brokers: 3 });
    kafka = new Kafka({ clientId: 'kafka-int-test', brokers: mock.brokers, logLevel: logLevel.NOTHING });
  });

  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(sources.splice(0).map((s) => s.stop().catch(() => {})));
    sourceErrors.length = 0;
  });

  afterAll(async () => {
    await mock?.stop();
  });

  async function produce(topic: string, count: number, chunk = 200): Promise<void> {
    const producer = kafka.producer({
      allowAutoTopicCreation: true,
      idempotent: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      for (let start = 0; start < count; start += chunk) {
        const messages = [];
        for (let i = start; i < Math.min(count, start + chunk); i++) {
          messages.push({
            key: `household-${i % 997}`,
            value: JSON.stringify({ messageId: `${topic}:m-${i}`, seq: i }),
          });
        }
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }
  }

  async function committedTotal(groupId: string, topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /** Errors the sources logged (a consumer that crashed for good shows up here). */
  const sourceErrors: string[] = [];
  const testLogger = {
    info: () => {},
    warn: () => {},
    error: (o: Record<string, unknown>, m?: string) => {
      const err = o.err as { message?: string } | undefined;
      sourceErrors.push(`${String(o.clientId ?? '')} ${m ?? ''}: ${err?.message ?? ''}`);
    },
  };

  function source(
    options: Pick<KafkaSourceOptions, 'groupId' | 'topics' | 'handleBatch'> & { clientId: string },
  ): KafkaSource {
    const s = createKafkaSource({
      brokers: mock.brokers,
      ...FAST,
      partitionAssigners: mockSafePartitionAssigners(),
      logger: {
        ...testLogger,
        error: (o, m) => testLogger.error({ ...o, clientId: options.clientId }, m),
      },
      ...options,
    });
    sources.push(s);
    return s;
  }

  it(
    '10,000 messages, two members, one dies mid-batch: every message stored exactly once',
    { timeout: 60_000 },
    async () => {
      const topic = 'polis.income-statements.load';
      const groupId = 'ingest-load';
      const TOTAL = 10_000;
      const partitions = await ensureMockTopics(mock.brokers, [topic]);
      expect(partitions[topic]).toBeGreaterThanOrEqual(4);
      expect(partitions[topic]).toBe(MOCK_PARTITIONS_PER_TOPIC);

      const t0 = Date.now();
      await produce(topic, TOTAL);
      const produced = Date.now() - t0;

      const sink = new IdempotentSink();
      let handledByA = 0;
      let killedAt: number | undefined;
      let inFlightWhenKilled: string[] = [];
      const partitionsOfA = new Set<number>();
      const partitionsOfB = new Set<number>();
      const partitionsOfBAfterKill = new Set<number>();
      let takeoverAt: number | undefined;

      const a: KafkaSource = source({
        clientId: 'member-a',
        groupId,
        topics: [topic],
        handleBatch: async (messages) => {
          if (killedAt !== undefined) throw new Error('member A is dead');
          for (const m of messages) {
            sink.store(m);
            partitionsOfA.add(m.partition);
          }
          handledByA += messages.length;
          if (handledByA >= TOTAL / 4) {
            // Crash after storing, before the commit: this batch is recorded but not acknowledged,
            // and the member goes away. Its partitions must move to B, starting at A's last commit.
            killedAt = Date.now();
            inFlightWhenKilled = messages.map((m) => JSON.parse(m.value!).messageId as string);
            void a.stop();
            throw new Error('simulated crash between store and commit');
          }
        },
      });
      const b = source({
        clientId: 'member-b',
        groupId,
        topics: [topic],
        handleBatch: async (messages) => {
          // Slower than A until A dies, so A reaches its quarter while B still has work.
          await sleep(killedAt === undefined ? 20 : 1);
          for (const m of messages) {
            sink.store(m);
            partitionsOfB.add(m.partition);
            if (killedAt !== undefined) {
              if (partitionsOfA.has(m.partition)) takeoverAt ??= Date.now();
              partitionsOfBAfterKill.add(m.partition);
            }
          }
        },
      });

      const t1 = Date.now();
      await Promise.all([a.start(), b.start()]);
      const state = () =>
        `stored ${sink.stored.size}/${TOTAL}, deliveries ${sink.deliveries}, A handled ${handledByA}, killed ${killedAt !== undefined}, B partitions ${[...partitionsOfB]}; source errors: ${sourceErrors.slice(-5).join(' | ')}`;
      await waitFor('member A to die', () => killedAt !== undefined, 30_000, state);
      await waitFor('all messages stored', () => sink.stored.size === TOTAL, 40_000, state);
      await waitFor(
        'all offsets committed',
        async () => (await committedTotal(groupId, topic)) === TOTAL,
        15_000,
        state,
      );
      const consumed = Date.now() - t1;

      expect(sourceErrors.filter((e) => e.includes('will not restart'))).toEqual([]);
      // Exactly-once in the sink, at-least-once on the wire.
      expect(sink.stored.size).toBe(TOTAL);
      expect(sink.inserts).toBe(TOTAL);
      for (let i = 0; i < TOTAL; i++) expect(sink.stored.has(`${topic}:m-${i}`)).toBe(true);
      expect(sink.deliveries).toBeGreaterThanOrEqual(TOTAL);
      // A really died halfway through its share, and its uncommitted batch was delivered again (to B).
      expect(handledByA).toBeGreaterThanOrEqual(TOTAL / 4);
      expect(handledByA).toBeLessThan(TOTAL);
      expect(inFlightWhenKilled.length).toBeGreaterThan(0);
      for (const id of inFlightWhenKilled) expect(sink.deliveriesById.get(id)).toBeGreaterThanOrEqual(2);
      // The first generation split the partitions; after the rebalance B took over A's.
      expect(partitionsOfA.size).toBeGreaterThan(0);
      for (const p of partitionsOfA) expect(partitionsOfBAfterKill.has(p)).toBe(true);
      expect(partitionsOfB.size).toBe(MOCK_PARTITIONS_PER_TOPIC);

      console.info(
        `[kafka.int] produced ${TOTAL} in ${produced} ms; consumed in ${consumed} ms; A handled ${handledByA} on partitions ${[...partitionsOfA]} before dying; ` +
          `B took over ${takeoverAt! - killedAt!} ms later; ` +
          `deliveries ${sink.deliveries} (${sink.deliveries - TOTAL} re-deliveries absorbed)`,
      );
    },
  );

  it(
    '10,000 messages, a member killed with SIGKILL mid-batch: its partitions move after the session expires, nothing lost or stored twice',
    { timeout: 60_000 },
    async () => {
      const topic = 'polis.income-statements.kill9';
      const groupId = 'ingest-kill9';
      const TOTAL = 10_000;
      await ensureMockTopics(mock.brokers, [topic]);
      await produce(topic, TOTAL);

      const sink = new IdempotentSink();
      let handledByChild = 0;
      let killedAt: number | undefined;
      let inFlightWhenKilled: string[] = [];
      let firstByBAfterKill: number | undefined;
      const partitionsOfChild = new Set<number>();
      const partitionsOfBAfterKill = new Set<number>();

      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD_MEMBER], {
        cwd: repoRoot,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: {
          ...process.env,
          KAFKA_MEMBER_CONFIG: JSON.stringify({
            module: kafkaModuleUrl,
            testkit: testkitModuleUrl,
            options: { brokers: mock.brokers, clientId: 'member-child', groupId, topics: [topic], ...FAST },
          }),
        },
      });
      children.push(child);
      let childLoaded!: () => void;
      const loaded = new Promise<void>((r) => (childLoaded = r));
      const childStarted = new Promise<void>((resolveStarted, reject) => {
        child.once('exit', (code, signal) => reject(new Error(`member child exited early (${code ?? signal})`)));
        child.on('message', (raw) => {
          const m = raw as ChildMessage;
          if (m.type === 'loaded') return childLoaded();
          if (m.type === 'started') return resolveStarted();
          if (killedAt !== undefined) return;
          for (const msg of m.messages) {
            sink.store(msg);
            partitionsOfChild.add(msg.partition);
          }
          handledByChild += m.messages.length;
          if (handledByChild >= TOTAL / 4) {
            // Stored, not acknowledged: kill -9 before the child can commit.
            killedAt = Date.now();
            inFlightWhenKilled = m.messages.map((x) => JSON.parse(x.value!).messageId as string);
            child.kill('SIGKILL');
            return;
          }
          child.send({ type: 'ack', id: m.id });
        });
      });
      childStarted.catch(() => {});

      const b = source({
        clientId: 'member-b',
        groupId,
        topics: [topic],
        handleBatch: async (messages) => {
          // Slower than the child until it dies, so the child reaches its quarter while B still has work.
          await sleep(killedAt === undefined ? 20 : 1);
          for (const m of messages) {
            sink.store(m);
            if (killedAt !== undefined) {
              if (partitionsOfChild.has(m.partition)) firstByBAfterKill ??= Date.now();
              partitionsOfBAfterKill.add(m.partition);
            }
          }
        },
      });

      // Let both members join at the same moment (within the mock's 3 s initial-join window), so
      // the first generation already splits the partitions between them.
      await Promise.race([loaded, childStarted]);
      const t1 = Date.now();
      child.send({ type: 'go' });
      await Promise.all([childStarted, b.start()]);
      const state = () =>
        `stored ${sink.stored.size}/${TOTAL}, deliveries ${sink.deliveries}, child handled ${handledByChild} on ${[...partitionsOfChild]}, ` +
        `killed ${killedAt !== undefined}, B after kill on ${[...partitionsOfBAfterKill]}; source errors: ${sourceErrors.slice(-5).join(' | ')}`;
      await waitFor('the child member to be killed', () => killedAt !== undefined, 30_000, state);
      await waitFor('all messages stored', () => sink.stored.size === TOTAL, 40_000, state);
      await waitFor(
        'all offsets committed',
        async () => (await committedTotal(groupId, topic)) === TOTAL,
        15_000,
        state,
      );
      const consumed = Date.now() - t1;

      expect(child.signalCode).toBe('SIGKILL');
      expect(sourceErrors.filter((e) => e.includes('will not restart'))).toEqual([]);
      expect(sink.stored.size).toBe(TOTAL);
      expect(sink.inserts).toBe(TOTAL);
      expect(handledByChild).toBeGreaterThanOrEqual(TOTAL / 4);
      for (const id of inFlightWhenKilled) expect(sink.deliveriesById.get(id)).toBeGreaterThanOrEqual(2);
      // B picked up the dead member's partitions (the ones it owned) once its session expired.
      for (const p of partitionsOfChild) expect(partitionsOfBAfterKill.has(p)).toBe(true);

      console.info(
        `[kafka.int] kill -9: consumed in ${consumed} ms; child handled ${handledByChild} on partitions ${[...partitionsOfChild]}; ` +
          `B took over its partitions ${firstByBAfterKill! - killedAt!} ms after the kill; deliveries ${sink.deliveries} (${sink.deliveries - TOTAL} re-deliveries absorbed)`,
      );
    },
  );

  it('a failing handleBatch commits nothing and gets the same offsets again', { timeout: 30_000 }, async () => {
    const topic = 'case.events.retry';
    const groupId = 'ingest-retry';
    await ensureMockTopics(mock.brokers, [topic]);
    await produce(topic, 40, 40);

    const attempts: Array<{ partition: number; offsets: string[]; ok: boolean }> = [];
    const failedOnce = new Set<number>();
    const storedOffsets = new Map<number, string[]>();
    let committedDuringFailure: number | undefined;
    const s = source({
      clientId: 'retry-member',
      groupId,
      topics: [topic],
      handleBatch: async (messages) => {
        const partition = messages[0]!.partition;
        const offsets = messages.map((m) => m.offset);
        if (!failedOnce.has(partition)) {
          failedOnce.add(partition);
          attempts.push({ partition, offsets, ok: false });
          committedDuringFailure ??= await committedTotal(groupId, topic);
          throw new Error(`store unavailable (partition ${partition})`);
        }
        attempts.push({ partition, offsets, ok: true });
        storedOffsets.set(partition, [...(storedOffsets.get(partition) ?? []), ...offsets]);
      },
    });
    await s.start();
    await waitFor(
      'every partition to fail once and then be stored',
      async () => (await committedTotal(groupId, topic)) === 40,
      20_000,
      () => JSON.stringify(attempts),
    );

    expect(committedDuringFailure).toBe(0);
    const failed = attempts.filter((x) => !x.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      // The next delivery of that partition starts at the same offset and contains the same records.
      const next = attempts.find((x) => x.ok && x.partition === f.partition);
      expect(next, `partition ${f.partition} was not delivered again`).toBeDefined();
      expect(next!.offsets.slice(0, f.offsets.length)).toEqual(f.offsets);
    }
    const totalStored = [...storedOffsets.values()].reduce((n, o) => n + new Set(o).size, 0);
    expect(totalStored).toBe(40);
  });

  it(
    'a batch that takes longer than the session timeout is committed once: heartbeats keep the member in the group',
    { timeout: 30_000 },
    async () => {
      const topic = 'case.events.slow';
      const groupId = 'ingest-slow';
      await ensureMockTopics(mock.brokers, [topic]);
      await produce(topic, 8, 8);
      const deliveries = new Map<string, number>();
      let slowDone = false;
      const s = source({
        clientId: 'slow-member',
        groupId,
        topics: [topic],
        handleBatch: async (messages) => {
          if (!slowDone) {
            await sleep(FAST.sessionTimeout! + 1500); // well past the session timeout
            slowDone = true;
          }
          for (const m of messages)
            deliveries.set(`${m.partition}:${m.offset}`, (deliveries.get(`${m.partition}:${m.offset}`) ?? 0) + 1);
        },
      });
      await s.start();
      await waitFor(
        'all 8 committed',
        async () => (await committedTotal(groupId, topic)) === 8,
        20_000,
        () => JSON.stringify([...deliveries]),
      );
      await sleep(500);
      expect(deliveries.size).toBe(8);
      expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
      expect(sourceErrors).toEqual([]);
    },
  );

  it('dead-letter producer writes key, value and headers', { timeout: 30_000 }, async () => {
    const dlq = createDeadLetterProducer({ brokers: mock.brokers, clientId: 'dlq-test', kafkaLogLevel: 'nothing' });
    await dlq.connect();
    try {
      await dlq.send('case.events.dlq', [
        { key: 'k1', value: '{"bad":true}', headers: { reason: 'schema: bsn missing', 'source-offset': '7' } },
      ]);
    } finally {
      await dlq.disconnect();
    }
    const consumer = kafka.consumer({
      groupId: 'dlq-reader',
      sessionTimeout: 3000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 100,
    });
    const received: Array<{ key: string | null; value: string | null; headers: Record<string, string> }> = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: ['case.events.dlq'], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          received.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers });
        },
      });
      await waitFor(
        'the dead letter',
        () => received.length === 1,
        15_000,
        () => JSON.stringify(received),
      );
    } finally {
      await consumer.disconnect();
    }
    expect(received[0]).toEqual({
      key: 'k1',
      value: '{"bad":true}',
      headers: { reason: 'schema: bsn missing', 'source-offset': '7' },
    });
  });
});
