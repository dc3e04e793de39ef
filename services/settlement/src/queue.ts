import { createRequire } from 'node:module';
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { ServiceUnavailableError } from '@bijstand/event-store';
import { fmt, money, ZERO, type Instant, type IsoDate } from '@bijstand/domain';
import type { Logger, Metrics } from '@bijstand/platform';
import { amsterdamDate, toInstant } from '@bijstand/platform';
import { nextNightlyRun } from './amsterdamTime.js';
import type { NightlySettlement } from './nightlyRun.js';
import { withEarlierAttempt } from './earlierAttempt.js';
import { summarize, type HouseholdRunResult, type RunSummary } from './runSummary.js';
import {
  producerRedisOptions,
  REDIS_COMMAND_TIMEOUT_MS,
  REDIS_CONNECT_TIMEOUT_MS,
  redisLocation,
} from './redisConnection.js';

/** BullMQ and ioredis (CommonJS, one instance each), loaded by the first queue: a night without Redis never does. */
const requireCjs = createRequire(import.meta.url);
const bullmq = () => requireCjs('bullmq') as typeof import('bullmq');
const ioredis = () => requireCjs('ioredis') as typeof import('ioredis');

export const NIGHTLY_QUEUE = 'nightly-settlement';
export const NIGHTLY_SCHEDULER_ID = 'nightly-0200-europe-amsterdam';
export const NIGHTLY_CRON = { pattern: '0 2 * * *', tz: 'Europe/Amsterdam' } as const;

interface FanOutData {
  runDate?: IsoDate;
  runAt?: Instant;
}
interface SettleData {
  householdIds: string[];
  runDate: IsoDate;
  runAt: Instant;
  /** Municipalities whose new rules wait for acceptance: their households are left alone. */
  held?: string[];
}

/**
 * BullMQ's job scheduler plans the fan-out job with this strategy rather than its cron parser, so the
 * queue and the in-process scheduler fire at the same instants: one per Amsterdam date, DST nights
 * included. (The cron pattern above is what BullMQ stores and shows; the strategy decides.)
 */
export const nightlyRepeatStrategy = (millis: number): number => nextNightlyRun(millis);

/**
 * BullMQ job ids may not contain ':'. One job per group of households per run date, named by its first
 * household and size: enqueueing the same date again gives the same ids, so BullMQ adds nothing.
 */
export const settleJobId = (runDate: IsoDate, householdIds: readonly string[]) =>
  `settle_${runDate}_${householdIds[0]}_${householdIds.length}`;
const doneKey = (runDate: IsoDate) => `bijstand:nightly:${runDate}:results`;
const metaKey = (runDate: IsoDate) => `bijstand:nightly:${runDate}:meta`;

export interface NightlyQueueOptions {
  /** Households per job: large enough to batch the appends, small enough to spread over workers. */
  householdsPerJob?: number;
  metrics?: Metrics;
}

/**
 * The nightly batch on BullMQ: a repeatable fan-out job at 02:00 Europe/Amsterdam adds one job per
 * group of households per run date (deduplicated by job id); any number of worker processes settle
 * them, each group in one commit (a job per household spent more on Redis and commits than on the
 * rules). Each
 * household's result is kept in a Redis hash per run date, so progress and the summary survive a
 * worker crash and a repeated job overwrites, never adds.
 */
export class NightlyQueue {
  readonly queue: Queue;
  private readonly redis: Redis;
  private readonly householdsPerJob: number;
  private readonly metrics: Metrics | undefined;
  /** Every connection and worker this queue opened: close() ends them all, so a batch process exits. */
  private readonly connections: Redis[] = [];
  private readonly workers: Worker[] = [];

  constructor(
    private readonly redisUrl: string,
    private readonly settlement: NightlySettlement,
    private readonly logger: Logger,
    options: NightlyQueueOptions | number = {},
  ) {
    const opts = typeof options === 'number' ? { householdsPerJob: options } : options;
    this.householdsPerJob = opts.householdsPerJob ?? 50;
    this.metrics = opts.metrics;
    this.redis = this.connect(producerRedisOptions);
    this.queue = new (bullmq().Queue)(NIGHTLY_QUEUE, {
      connection: this.redis,
      settings: { repeatStrategy: nightlyRepeatStrategy },
    });
  }

  /** BullMQ's worker connections block on reads: a connect timeout only, they wait for Redis to return. */
  private connect(
    options: RedisOptions = { maxRetriesPerRequest: null, connectTimeout: REDIS_CONNECT_TIMEOUT_MS },
  ): Redis {
    const connection = new (ioredis().Redis)(this.redisUrl, options);
    // One warning per outage, not ioredis's "Unhandled error event" on stderr at every reconnect attempt.
    let down = false;
    connection.on('error', (err: Error) => {
      if (!down) this.logger.warn({ redis: redisLocation(this.redisUrl), err: err.message }, 'Redis connection lost');
      down = true;
    });
    connection.on('ready', () => (down = false));
    this.connections.push(connection);
    return connection;
  }

  async scheduleDaily(): Promise<void> {
    const next = await this.viaRedis(async () => {
      await this.queue.upsertJobScheduler(NIGHTLY_SCHEDULER_ID, NIGHTLY_CRON, { name: 'fan-out', data: {} });
      return (await this.queue.getJobScheduler(NIGHTLY_SCHEDULER_ID))?.next;
    });
    this.logger.info({ cron: NIGHTLY_CRON, next: next ? toInstant(next) : undefined }, 'nightly settlement scheduled');
  }

  /** When the scheduler fires next (ms), or undefined when no schedule is stored. */
  async nextScheduledRun(): Promise<number | undefined> {
    return (await this.queue.getJobScheduler(NIGHTLY_SCHEDULER_ID))?.next;
  }

  /** Rejects within the command timeout, naming Redis, when it does not answer. */
  async ping(): Promise<void> {
    await this.viaRedis(() => this.redis.ping());
  }

  /**
   * `work` on Redis; a failure that is not Redis's own answer (a timeout, a closed or refused connection)
   * becomes an error naming Redis and where, so that a command ends saying which service went away.
   */
  private async viaRedis<T>(work: () => Promise<T>): Promise<T> {
    // BullMQ waits for a connection's first 'ready' outside any command, so the command timeout alone
    // does not end a queue first used while Redis is away: `work` as a whole has a deadline too.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${REDIS_COMMAND_TIMEOUT_MS / 1000} s`)),
        REDIS_COMMAND_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([work(), deadline]);
    } catch (err) {
      if (err instanceof ioredis().ReplyError) throw err;
      throw new ServiceUnavailableError('Redis', redisLocation(this.redisUrl), (err as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Add the run's jobs (a group of households each); returns the number of households. Redis answers
   * first: a night is recorded only when its jobs can be queued.
   */
  async enqueueRun(runDate: IsoDate, runAt: Instant): Promise<number> {
    await this.ping();
    // The rules gate before the first append (refuses, or holds back the municipalities that changed).
    const held = await this.settlement.gate({ runDate, runAt });
    await this.settlement.recordRun({ runDate, runAt, ...(held.length > 0 ? { held } : {}) });
    const households = await this.settlement.listHouseholds();
    const groups: string[][] = [];
    for (let i = 0; i < households.length; i += this.householdsPerJob)
      groups.push(households.slice(i, i + this.householdsPerJob));
    const perBulk = 100;
    for (let i = 0; i < groups.length; i += perBulk) {
      await this.viaRedis(() =>
        this.queue.addBulk(
          groups.slice(i, i + perBulk).map((householdIds) => ({
            name: 'settle-households',
            data: { householdIds, runDate, runAt, ...(held.length > 0 ? { held } : {}) } satisfies SettleData,
            opts: {
              jobId: settleJobId(runDate, householdIds),
              attempts: 3,
              backoff: { type: 'exponential', delay: 1000 },
              removeOnComplete: { age: 7 * 24 * 3600 },
              removeOnFail: false,
            },
          })),
        ),
      );
    }
    await this.viaRedis(async () => {
      await this.redis.hsetnx(metaKey(runDate), 'enqueuedAt', String(Date.now()));
      await this.redis.hset(metaKey(runDate), { households: String(households.length), runAt });
    });
    this.logger.info({ runDate, households: households.length }, 'nightly run enqueued');
    return households.length;
  }

  /** lockDuration/stalledInterval: how soon a crashed worker's job is taken over (BullMQ defaults 30 s). */
  startWorker(
    options: { concurrency?: number; lockDuration?: number; stalledInterval?: number; drainDelay?: number } = {},
  ): Worker {
    const worker = new (bullmq().Worker)(
      NIGHTLY_QUEUE,
      async (job: Job) => {
        if (job.name === 'fan-out') {
          // A scheduled job carries its planned instant (prevMillis): the night it is for, however late it runs.
          const data = job.data as FanOutData;
          const planned = job.opts.prevMillis ?? job.timestamp;
          return {
            households: await this.enqueueRun(data.runDate ?? amsterdamDate(planned), data.runAt ?? toInstant(planned)),
          };
        }
        const data = job.data as SettleData;
        const started = Date.now();
        const settled = await this.settlement.settleHouseholds(data.householdIds, {
          runDate: data.runDate,
          runAt: data.runAt,
          ...(data.held ? { held: data.held } : {}),
        });
        const { failures, held } = settled;
        // A job taken over from a worker that died after its append: count what that attempt stored.
        const retried = job.attemptsMade > 0 || job.stalledCounter > 0;
        const results = retried
          ? await withEarlierAttempt(this.settlement.store, data.runDate, settled.results)
          : settled.results;
        const done: Record<string, string> = {};
        for (const id of held) done[id] = JSON.stringify({ held: true });
        for (const r of results) done[r.householdId] = JSON.stringify(serializeResult(r));
        for (const f of failures) done[f.householdId] = JSON.stringify({ failed: f.error });
        await this.redis.hset(doneKey(data.runDate), done);
        this.metrics?.householdsSettled.inc(results.length);
        this.metrics?.householdFailures.inc(failures.length);
        this.metrics?.groupDuration.observe((Date.now() - started) / 1000);
        await this.noteIfRunFinished(data.runDate);
        return { appended: results.reduce((t, r) => t + r.appended, 0), failures: failures.length };
      },
      {
        connection: this.connect(),
        concurrency: options.concurrency ?? 4,
        settings: { repeatStrategy: nightlyRepeatStrategy },
        // BullMQ's own completed/failed counts per minute, exported with the queue metrics.
        metrics: { maxDataPoints: bullmq().MetricsTime.ONE_WEEK },
        ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
        ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
        ...(options.drainDelay ? { drainDelay: options.drainDelay } : {}),
      },
    );
    this.workers.push(worker);
    worker.on('failed', (job, err) => {
      if (!job) return;
      const data = job.data as SettleData;
      this.logger.error(
        {
          households: data.householdIds?.length,
          first: data.householdIds?.[0],
          runDate: data.runDate,
          attempt: job.attemptsMade,
          err: err.message,
        },
        'settlement job failed',
      );
      if (job.attemptsMade >= (job.opts.attempts ?? 1) && job.name === 'settle-households') {
        // Its households count as failed, with the reason; the night's result is recorded if this was its last group.
        const failed = Object.fromEntries(data.householdIds.map((id) => [id, JSON.stringify({ failed: err.message })]));
        this.redis
          .hset(doneKey(data.runDate), failed)
          .then(() => this.noteIfRunFinished(data.runDate))
          .catch((e: Error) =>
            this.logger.error({ runDate: data.runDate, err: e.message }, 'failed group not recorded'),
          );
      }
    });
    return worker;
  }

  async progress(runDate: IsoDate): Promise<{ done: number; total: number }> {
    const [done, total] = await Promise.all([
      this.redis.hlen(doneKey(runDate)),
      this.redis.hget(metaKey(runDate), 'households'),
    ]);
    return { done, total: Number(total ?? 0) };
  }

  async waitForRun(
    runDate: IsoDate,
    onProgress?: (done: number, total: number) => void,
    pollMs = 200,
    signal?: AbortSignal,
  ): Promise<RunSummary> {
    for (;;) {
      signal?.throwIfAborted();
      // Redis gone during the night: an error naming it (the jobs left wait in Redis for the next run).
      const progress = await this.viaRedis(() => this.progress(runDate));
      onProgress?.(progress.done, progress.total);
      if (progress.done >= progress.total) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    const summary = await this.summary(runDate);
    // Recorded here too (the worker of the last group may record it a moment later, the same, once).
    const runAt = await this.redis.hget(metaKey(runDate), 'runAt');
    if (runAt) await this.settlement.recordNightResult(runAt, summary);
    return summary;
  }

  async summary(runDate: IsoDate): Promise<RunSummary> {
    const all = await this.redis.hgetall(doneKey(runDate));
    const results: HouseholdRunResult[] = [];
    const failures: RunSummary['failures'] = [];
    for (const [householdId, json] of Object.entries(all)) {
      const r = JSON.parse(json) as SerializedResult | { failed: string } | { held: true };
      if ('held' in r) continue;
      if ('failed' in r) failures.push({ householdId, error: r.failed });
      else results.push(deserializeResult(r));
    }
    return summarize(
      runDate,
      results.length + failures.length,
      results,
      failures,
      this.settlement.rulesVersionsByMunicipality(),
    );
  }

  /**
   * The worker that settles (or fails) a run's last group records the night's result in the store, with
   * the failures per household, and the run's duration (from its enqueue). Two workers that both see the
   * end record the same result, once.
   */
  private async noteIfRunFinished(runDate: IsoDate): Promise<void> {
    const { done, total } = await this.progress(runDate);
    if (done < total) return;
    const runAt = await this.redis.hget(metaKey(runDate), 'runAt');
    // The households are settled whatever happens here: a store that fails now must not fail (and retry) the job.
    if (runAt)
      await this.settlement
        .recordNightResult(runAt, await this.summary(runDate))
        .catch((err: Error) => this.logger.error({ runDate, err: err.message }, 'night result not recorded'));
    if (!this.metrics) return;
    const enqueuedAt = Number(await this.redis.hget(metaKey(runDate), 'enqueuedAt'));
    const now = Date.now();
    if (enqueuedAt > 0) this.metrics.runDuration.set((now - enqueuedAt) / 1000);
    this.metrics.runFinishedAt.set(now / 1000);
  }

  /** Seconds the oldest waiting settlement job has waited (0 when none): how far the workers lag. */
  async lagSeconds(now = Date.now()): Promise<number> {
    const [oldest] = await this.queue.getJobs(['wait', 'prioritized'], 0, 0, true);
    return oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0;
  }

  /** BullMQ's queue metrics (job counts by state, completed and failed totals), Prometheus text. */
  async prometheusText(): Promise<string> {
    return `${await this.queue.exportPrometheusMetrics()}
# HELP bijstand_nightly_queue_lag_seconds Age of the oldest waiting settlement job
# TYPE bijstand_nightly_queue_lag_seconds gauge
bijstand_nightly_queue_lag_seconds ${await this.lagSeconds()}
`;
  }

  /**
   * Graceful: each worker finishes the group it is settling (a group is one commit, so none is left
   * half-written) and takes no new one; the jobs left wait in Redis for the next start. Then every
   * connection is closed, so the process can exit. A graceful close goes through Redis: with Redis gone
   * (at the close, or still after `timeoutMs`) every connection is dropped instead, and a group being
   * settled still commits or not as a whole (its commit is the store's). A slow group on a healthy Redis
   * is waited for.
   */
  async close(timeoutMs = REDIS_COMMAND_TIMEOUT_MS + REDIS_CONNECT_TIMEOUT_MS): Promise<void> {
    if (this.redis.status !== 'ready') return this.drop();
    const graceful = (async () => {
      await Promise.all(this.workers.map((w) => w.close()));
      await this.queue.close();
      await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    if (this.redis.status === 'ready') return graceful;
    graceful.catch(() => {});
    return this.drop();
  }

  /** Ends every connection without a word to Redis, BullMQ's own blocking ones included. */
  private async drop(): Promise<void> {
    this.logger.warn(
      { redis: redisLocation(this.redisUrl) },
      'Redis does not answer: its connections are dropped; the jobs left wait in Redis for the next run',
    );
    for (const c of this.connections) c.disconnect();
    for (const w of this.workers) {
      // close(true) does not wait for the group in hand; a close already under way (graceful, waiting on
      // Redis) is not forced by it, so the worker's blocking connection, its own duplicate, is ended here.
      w.close(true).catch(() => {});
      // Its ioredis client itself: BullMQ's disconnect() first awaits the connection's start-up, which never
      // ends when Redis went away during it (the start-up's INFO waits in the offline queue), and the stop hung.
      const blocking = (w as unknown as { blockingConnection?: { _client?: { disconnect(): void } } })
        .blockingConnection;
      blocking?._client?.disconnect();
    }
    // The queue's connection is this.redis, ended above (BullMQ's disconnect() would wait for an 'end' already past).
  }
}

type SerializedResult = Omit<HouseholdRunResult, 'paid' | 'ledgerBalance'> & { paid: string; ledgerBalance: string };

function serializeResult(r: HouseholdRunResult): SerializedResult {
  return { ...r, paid: fmt(r.paid), ledgerBalance: fmt(r.ledgerBalance) };
}

function deserializeResult(r: SerializedResult): HouseholdRunResult {
  return { ...r, paid: money(r.paid ?? ZERO), ledgerBalance: money(r.ledgerBalance) };
}
