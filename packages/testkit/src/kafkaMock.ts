import { Kafka, PartitionAssigners, logLevel, type PartitionAssigner } from 'kafkajs';
import { commandOnPath, exited, spawn, terminate, track } from './process.js';

/**
 * librdkafka's mock cluster, started through kcat.
 *
 * `kcat -X test.mock.num.brokers=N -b unused:9092 -P -t keepalive` makes librdkafka start an
 * in-process mock cluster of N brokers on 127.0.0.1 (random ports) and logs on stderr:
 *
 *   %5|…|MOCK|rdkafka#producer-1| [thrd:app]: Mock cluster enabled: original bootstrap.servers and
 *   security.protocol ignored and replaced with 127.0.0.1:46751,127.0.0.1:42863,127.0.0.1:33557
 *
 * The cluster lives as long as kcat does, and kcat (a producer reading stdin) lives as long as its
 * stdin stays open, so we hold the pipe open and close it on stop(). If the test process dies, the
 * pipe closes and kcat exits by itself.
 *
 * What the mock supports (librdkafka 2.0.x, verified with kafkajs 2.2.4):
 * - Produce, Fetch, ListOffsets, Metadata, consumer groups (JoinGroup/SyncGroup/Heartbeat/LeaveGroup),
 *   OffsetCommit/OffsetFetch.
 * - NOT CreateTopics/CreatePartitions (kafkajs `admin.createTopics` fails). Topics are created
 *   automatically by a Metadata request with allowAutoTopicCreation, always with
 *   {@link MOCK_PARTITIONS_PER_TOPIC} partitions (hard-coded in librdkafka's mock; there is no
 *   configuration property for it) and replication factor min(3, brokers).
 * - Use plain producers: no idempotence, no transactions in tests.
 * - Group timing: the first join of a group waits 3 s for more members; every later rebalance waits
 *   session.timeout − 1 s (the shortcut for "all members re-joined" rarely applies), so tests use a
 *   short sessionTimeout (e.g. 3000 ms) and start all members together.
 * - SyncGroup race: when the leader's SyncGroup (carrying every member's assignment) arrives before
 *   a follower's, the mock completes the generation at once and answers the late follower's
 *   SyncGroup with INVALID_REQUEST, which kafkajs treats as fatal (the consumer stops for good).
 *   Use {@link mockSafePartitionAssigners} so the leader syncs last.
 */
export const MOCK_PARTITIONS_PER_TOPIC = 4;

export interface KafkaMockHandle {
  /** Bootstrap addresses, e.g. ['127.0.0.1:46751', …]. */
  brokers: string[];
  /** Ends kcat and with it the mock cluster. Safe to call twice. */
  stop(): Promise<void>;
}

/** True when `kcat` is on PATH. */
export function kafkaMockAvailable(): boolean {
  return commandOnPath('kcat');
}

const BOOTSTRAP = /Mock cluster enabled:.*replaced with (\S+)/;

export async function startKafkaMock(opts: { brokers?: number; timeoutMs?: number } = {}): Promise<KafkaMockHandle> {
  if (!kafkaMockAvailable()) throw new Error('kcat is not on PATH (run infra/scripts/ensure-test-deps.sh)');
  const brokerCount = opts.brokers ?? 3;
  if (!Number.isInteger(brokerCount) || brokerCount < 1)
    throw new Error(`brokers must be a positive integer, got ${brokerCount}`);
  const timeoutMs = opts.timeoutMs ?? 10_000;

  const child = spawn(
    'kcat',
    ['-X', `test.mock.num.brokers=${brokerCount}`, '-b', 'unused:9092', '-P', '-t', 'keepalive'],
    {
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  track(child);
  child.stdin.on('error', () => {
    /* EPIPE when kcat is already gone */
  });

  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= terminate(child));

  try {
    const brokers = await new Promise<string[]>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`kcat did not report a mock cluster within ${timeoutMs} ms; stderr:\n${stderr.trim()}`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-8000);
        const m = BOOTSTRAP.exec(stderr);
        if (m?.[1]) {
          cleanup();
          resolve(
            m[1]
              .split(',')
              .map((b) => b.trim())
              .filter(Boolean),
          );
        }
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`kcat exited before reporting a mock cluster; stderr:\n${stderr.trim()}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.stderr.off('data', onData);
        child.off('exit', onExit);
        // Keep draining stderr so kcat never blocks on a full pipe.
        child.stderr.on('data', () => {});
      };
      child.stderr.on('data', onData);
      child.once('exit', onExit);
      if (exited(child)) onExit();
    });
    return { brokers, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Makes sure the topics exist on the mock cluster (the mock has no CreateTopics API): a Metadata
 * request with allowAutoTopicCreation creates each missing one with
 * {@link MOCK_PARTITIONS_PER_TOPIC} partitions. Resolves with each topic's partition count.
 */
export async function ensureMockTopics(brokers: string[], topics: string[]): Promise<Record<string, number>> {
  const kafka = new Kafka({ clientId: 'testkit-topics', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const counts: Record<string, number> = {};
    for (let attempt = 0; ; attempt++) {
      const metadata = await admin.fetchTopicMetadata({ topics });
      for (const t of metadata.topics) counts[t.name] = t.partitions.length;
      if (topics.every((t) => (counts[t] ?? 0) > 0) || attempt >= 20) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const missing = topics.filter((t) => !(counts[t] ?? 0));
    if (missing.length) throw new Error(`topics not created on the mock cluster: ${missing.join(', ')}`);
    return counts;
  } finally {
    await admin.disconnect();
  }
}

/**
 * kafkajs' round-robin assigner, but the group leader waits `delayMs` before handing out the
 * assignment, so every follower's SyncGroup reaches the mock cluster first (see the SyncGroup race
 * above). Same protocol name as the stock assigner. Only needed against the mock.
 */
export function mockSafePartitionAssigners(delayMs = 300): PartitionAssigner[] {
  const delayed: PartitionAssigner = (config) => {
    const inner = PartitionAssigners.roundRobin(config);
    return {
      name: inner.name,
      version: inner.version,
      protocol: (subscription) => inner.protocol(subscription),
      assign: async (group) => {
        await new Promise((r) => setTimeout(r, delayMs));
        return inner.assign(group);
      },
    };
  };
  return [delayed];
}
