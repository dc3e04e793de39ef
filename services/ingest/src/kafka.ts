import { createRequire } from 'node:module';
import type {
  Kafka,
  logLevel as KafkaLogLevel,
  Consumer,
  EachBatchPayload,
  LogEntry,
  PartitionAssigner,
  Producer,
  RetryOptions,
} from 'kafkajs';

/** kafkajs (CommonJS, one instance), loaded by the first Kafka client: importing ingest does not load it. */
const kafkajs = () => createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

/** One Kafka record as the ingest pipeline sees it (key and value decoded as UTF-8). */
export interface RawMessage {
  source: 'kafka';
  topic: string;
  partition: number;
  /** Kafka offset, as a decimal string (offsets are 64-bit). */
  offset: string;
  key: string | null;
  value: string | null;
}

type LogFn = (obj: Record<string, unknown>, msg?: string) => void;
/** Pino-style logger: `logger.info({ …fields }, 'message')`. */
export interface KafkaSourceLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export type KafkaClientLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaSourceOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  /**
   * Stores one batch (messages of a single topic-partition, in offset order). The batch's offsets
   * are committed only after this resolves; when it throws nothing is committed and the same
   * messages are delivered again (to this member or, after a rebalance, to another one), so the
   * handler must be idempotent.
   */
  handleBatch: (messages: RawMessage[]) => Promise<void>;
  logger?: KafkaSourceLogger;
  /** Where a group without committed offsets starts. Default true: never skip what is already on the topic. */
  fromBeginning?: boolean;
  /** Consumer tuning; the defaults are kafkajs' (session 30 s, heartbeat 3 s, rebalance 60 s). */
  sessionTimeout?: number;
  heartbeatInterval?: number;
  rebalanceTimeout?: number;
  /** Longest a fetch waits for data (kafkajs default 5000 ms); also bounds how long stop() waits. */
  maxWaitTimeInMs?: number;
  maxBytesPerPartition?: number;
  partitionsConsumedConcurrently?: number;
  /** Group assignment strategies (kafkajs default: round robin). */
  partitionAssigners?: PartitionAssigner[];
  /** kafkajs client retry settings. */
  retry?: RetryOptions;
  /** Level of kafkajs' own log lines routed to `logger` (default 'warn'; tests use 'nothing'). */
  kafkaLogLevel?: KafkaClientLogLevel;
  /** Let subscribing create missing topics (if the broker allows it). Default false: topics are provisioned. */
  allowAutoTopicCreation?: boolean;
  /**
   * Called when the consumer crashed with an error kafkajs will not recover from (it then stays
   * stopped). Retriable failures, including a throwing handleBatch, restart the consumer by
   * themselves and do not reach this. A long-running process should exit here and be restarted.
   */
  onFatalError?: (error: Error) => void;
}

export interface KafkaSource {
  /** Connects, joins the group and starts consuming; resolves once the consumer runs. */
  start(): Promise<void>;
  /** Stops consuming (waits for the in-flight batch), leaves the group and disconnects. */
  stop(): Promise<void>;
}

const levels = (L: typeof KafkaLogLevel): Record<KafkaClientLogLevel, KafkaLogLevel> => ({
  nothing: L.NOTHING,
  error: L.ERROR,
  warn: L.WARN,
  info: L.INFO,
  debug: L.DEBUG,
});

const noop: LogFn = () => {};
const silentLogger: KafkaSourceLogger = { info: noop, warn: noop, error: noop };

/** A kafkajs client whose log lines go to `logger` (pino-style) at `level` and above. */
function kafkaClient(options: {
  brokers: string[];
  clientId: string;
  logger: KafkaSourceLogger;
  level: KafkaClientLogLevel;
  retry?: RetryOptions;
}): Kafka {
  const { logger } = options;
  const { Kafka, logLevel: KafkaLogLevel } = kafkajs();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: levels(KafkaLogLevel)[options.level],
    ...(options.retry ? { retry: options.retry } : {}),
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
        const fields = { kafkajs: namespace, ...extra };
        if (level <= KafkaLogLevel.ERROR) logger.error(fields, message);
        else if (level === KafkaLogLevel.WARN) logger.warn(fields, message);
        else logger.info(fields, message);
      },
  });
}

const decode = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

/**
 * A Kafka source in a consumer group. Offsets are committed per batch, explicitly, and only after
 * `handleBatch` has stored the batch: at-least-once delivery with no auto-commit, so a crash or a
 * failed batch leads to re-delivery, never to loss. Downstream storage is idempotent (deterministic
 * event ids), which absorbs the duplicates.
 */
export function createKafkaSource(opts: KafkaSourceOptions): KafkaSource {
  const logger = opts.logger ?? silentLogger;
  const heartbeatInterval = opts.heartbeatInterval ?? 3000;
  const kafka = kafkaClient({
    brokers: opts.brokers,
    clientId: opts.clientId,
    logger,
    level: opts.kafkaLogLevel ?? 'warn',
    ...(opts.retry ? { retry: opts.retry } : {}),
  });

  let consumer: Consumer | undefined;
  let state: 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' = 'idle';
  let stopping: Promise<void> | undefined;

  const eachBatch = async ({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload) => {
    if (batch.isEmpty() || !isRunning() || isStale()) return;
    const { topic, partition } = batch;
    const messages: RawMessage[] = batch.messages.map((m) => ({
      source: 'kafka',
      topic,
      partition,
      offset: m.offset,
      key: decode(m.key),
      value: decode(m.value),
    }));

    // Keep the group session alive while a long batch is being stored. kafkajs sends a Heartbeat
    // only when `heartbeatInterval` has passed since the last one; a rebalance error here just means
    // the commit below will fail and the batch will be delivered again.
    const beat = setInterval(
      () => {
        heartbeat().catch(() => {});
      },
      Math.max(100, Math.floor(heartbeatInterval / 2)),
    );
    try {
      await opts.handleBatch(messages);
    } catch (err) {
      logger.error(
        { topic, partition, firstOffset: batch.firstOffset(), lastOffset: batch.lastOffset(), err },
        'kafka batch failed; not committing, it will be delivered again',
      );
      throw err;
    } finally {
      clearInterval(beat);
    }

    const last = messages[messages.length - 1]!;
    const next = (BigInt(last.offset) + 1n).toString();
    resolveOffset(last.offset);
    // Explicit commit of exactly this batch (autoCommit is off): the committed offset is the next one to read.
    await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
  };

  return {
    async start() {
      if (state !== 'idle') throw new Error(`kafka source cannot start: it is ${state}`);
      state = 'starting';
      const c = kafka.consumer({
        groupId: opts.groupId,
        allowAutoTopicCreation: opts.allowAutoTopicCreation ?? false,
        ...(opts.sessionTimeout !== undefined ? { sessionTimeout: opts.sessionTimeout } : {}),
        heartbeatInterval,
        ...(opts.rebalanceTimeout !== undefined ? { rebalanceTimeout: opts.rebalanceTimeout } : {}),
        ...(opts.maxWaitTimeInMs !== undefined ? { maxWaitTimeInMs: opts.maxWaitTimeInMs } : {}),
        ...(opts.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: opts.maxBytesPerPartition } : {}),
        ...(opts.partitionAssigners ? { partitionAssigners: opts.partitionAssigners } : {}),
      });
      consumer = c;
      c.on(c.events.CRASH, ({ payload }) => {
        const fields = { groupId: payload.groupId, err: payload.error, restart: payload.restart };
        if (payload.restart) {
          logger.warn(fields, 'kafka consumer crashed; restarting (uncommitted batches are delivered again)');
        } else {
          logger.error(fields, 'kafka consumer crashed and will not restart');
          opts.onFatalError?.(payload.error);
        }
      });
      try {
        await c.connect();
        await c.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? true });
        await c.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          ...(opts.partitionsConsumedConcurrently !== undefined
            ? { partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently }
            : {}),
          eachBatch,
        });
      } catch (err) {
        state = 'stopped';
        await c.disconnect().catch(() => {});
        throw err;
      }
      if (state !== 'starting') return; // stop() was called meanwhile
      state = 'running';
      logger.info({ groupId: opts.groupId, topics: opts.topics }, 'kafka source started');
    },

    stop() {
      if (stopping) return stopping;
      if (state === 'idle' || state === 'stopped' || !consumer) {
        state = 'stopped';
        return Promise.resolve();
      }
      const c = consumer;
      state = 'stopping';
      // disconnect() stops fetching, waits for the batch in flight (at most one fetch wait,
      // maxWaitTimeInMs), leaves the group and closes the connections.
      stopping = c.disconnect().finally(() => {
        state = 'stopped';
        logger.info({ groupId: opts.groupId }, 'kafka source stopped');
      });
      return stopping;
    },
  };
}

export interface DeadLetterProducer {
  connect(): Promise<void>;
  send(
    topic: string,
    messages: Array<{ key: string | null; value: string; headers: Record<string, string> }>,
  ): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Producer for dead-letter topics: plain (not idempotent, no transactions), acks from all in-sync
 * replicas. A rejected message is sent before its offset is committed, so a crash in between sends
 * it again (at-least-once on the dead-letter topic too).
 */
export function createDeadLetterProducer(opts: {
  brokers: string[];
  clientId: string;
  logger?: KafkaSourceLogger;
  kafkaLogLevel?: KafkaClientLogLevel;
  /** Let the broker create a missing dead-letter topic (if the broker allows it). Default true. */
  allowAutoTopicCreation?: boolean;
  retry?: RetryOptions;
}): DeadLetterProducer {
  const kafka = kafkaClient({
    brokers: opts.brokers,
    clientId: opts.clientId,
    logger: opts.logger ?? silentLogger,
    level: opts.kafkaLogLevel ?? 'warn',
    ...(opts.retry ? { retry: opts.retry } : {}),
  });
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: opts.allowAutoTopicCreation ?? true,
    idempotent: false,
    createPartitioner: kafkajs().Partitioners.DefaultPartitioner,
  });
  return {
    connect: () => producer.connect(),
    async send(topic, messages) {
      if (messages.length === 0) return;
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      });
    },
    disconnect: () => producer.disconnect(),
  };
}
