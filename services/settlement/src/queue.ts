import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { fmt, money, ZERO, type Instant, type IsoDate } from '@bijstand/domain';
import type { Logger } from '@bijstand/platform';
import { summarize, type HouseholdRunResult, type NightlySettlement, type RunSummary } from './nightlyRun.js';

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
}

/** The calendar date in Amsterdam of an instant: the run date of a job fired at 02:00 local time. */
export function amsterdamDate(epochMillis: number): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(epochMillis));
}

/**
 * BullMQ job ids may not contain ':'. One job per group of households per run date, named by its first
 * household and size: enqueueing the same date again gives the same ids, so BullMQ adds nothing.
 */
export const settleJobId = (runDate: IsoDate, householdIds: readonly string[]) => `settle_${runDate}_${householdIds[0]}_${householdIds.length}`;
const doneKey = (runDate: IsoDate) => `bijstand:nightly:${runDate}:results`;

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

  constructor(
    private readonly redisUrl: string,
    private readonly settlement: NightlySettlement,
    private readonly logger: Logger,
    /** Households per job: large enough to batch the appends, small enough to spread over workers. */
    private readonly householdsPerJob = 50,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(NIGHTLY_QUEUE, { connection: this.redis });
  }

  async scheduleDaily(): Promise<void> {
    await this.queue.upsertJobScheduler(NIGHTLY_SCHEDULER_ID, NIGHTLY_CRON, { name: 'fan-out', data: {} });
    this.logger.info({ cron: NIGHTLY_CRON }, 'nightly settlement scheduled');
  }

  /** Add the run's jobs (a group of households each); returns the number of households. */
  async enqueueRun(runDate: IsoDate, runAt: Instant): Promise<number> {
    await this.settlement.recordRun({ runDate, runAt });
    const households = await this.settlement.listHouseholds();
    const groups: string[][] = [];
    for (let i = 0; i < households.length; i += this.householdsPerJob) groups.push(households.slice(i, i + this.householdsPerJob));
    const perBulk = 100;
    for (let i = 0; i < groups.length; i += perBulk) {
      await this.queue.addBulk(
        groups.slice(i, i + perBulk).map((householdIds) => ({
          name: 'settle-households',
          data: { householdIds, runDate, runAt } satisfies SettleData,
          opts: {
            jobId: settleJobId(runDate, householdIds),
            attempts: 3,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: false,
          },
        })),
      );
    }
    await this.redis.hset(`bijstand:nightly:${runDate}:meta`, { households: String(households.length), runAt });
    this.logger.info({ runDate, households: households.length }, 'nightly run enqueued');
    return households.length;
  }

  /** lockDuration/stalledInterval: how soon a crashed worker's job is taken over (BullMQ defaults 30 s). */
  startWorker(options: { concurrency?: number; lockDuration?: number; stalledInterval?: number } = {}): Worker {
    const worker = new Worker(
      NIGHTLY_QUEUE,
      async (job: Job) => {
        if (job.name === 'fan-out') {
          const data = job.data as FanOutData;
          const runDate = data.runDate ?? amsterdamDate(job.timestamp);
          const runAt = data.runAt ?? new Date(job.timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z');
          return { households: await this.enqueueRun(runDate, runAt) };
        }
        const data = job.data as SettleData;
        const { results, failures } = await this.settlement.settleHouseholds(data.householdIds, { runDate: data.runDate, runAt: data.runAt });
        const done: Record<string, string> = {};
        for (const r of results) done[r.householdId] = JSON.stringify(serializeResult(r));
        for (const f of failures) done[f.householdId] = JSON.stringify({ failed: f.error });
        await this.redis.hset(doneKey(data.runDate), done);
        return { appended: results.reduce((t, r) => t + r.appended, 0), failures: failures.length };
      },
      {
        connection: new Redis(this.redisUrl, { maxRetriesPerRequest: null }),
        concurrency: options.concurrency ?? 4,
        ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
        ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
      },
    );
    worker.on('failed', (job, err) => {
      if (!job) return;
      const data = job.data as SettleData;
      this.logger.error({ households: data.householdIds?.length, first: data.householdIds?.[0], runDate: data.runDate, attempt: job.attemptsMade, err: err.message }, 'settlement job failed');
      if (job.attemptsMade >= (job.opts.attempts ?? 1) && job.name === 'settle-households') {
        void this.redis.hset(doneKey(data.runDate), Object.fromEntries(data.householdIds.map((id) => [id, JSON.stringify({ failed: err.message })])));
      }
    });
    return worker;
  }

  async progress(runDate: IsoDate): Promise<{ done: number; total: number }> {
    const [done, total] = await Promise.all([this.redis.hlen(doneKey(runDate)), this.redis.hget(`bijstand:nightly:${runDate}:meta`, 'households')]);
    return { done, total: Number(total ?? 0) };
  }

  async waitForRun(runDate: IsoDate, onProgress?: (done: number, total: number) => void, pollMs = 200): Promise<RunSummary> {
    for (;;) {
      const { done, total } = await this.progress(runDate);
      onProgress?.(done, total);
      if (done >= total) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    return this.summary(runDate);
  }

  async summary(runDate: IsoDate): Promise<RunSummary> {
    const all = await this.redis.hgetall(doneKey(runDate));
    const results: HouseholdRunResult[] = [];
    const failures: RunSummary['failures'] = [];
    for (const [householdId, json] of Object.entries(all)) {
      const r = JSON.parse(json) as SerializedResult | { failed: string };
      if ('failed' in r) failures.push({ householdId, error: r.failed });
      else results.push(deserializeResult(r));
    }
    return summarize(runDate, results.length + failures.length, results, failures);
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.redis.disconnect();
  }
}

type SerializedResult = Omit<HouseholdRunResult, 'paid' | 'ledgerBalance'> & { paid: string; ledgerBalance: string };

function serializeResult(r: HouseholdRunResult): SerializedResult {
  return { ...r, paid: fmt(r.paid), ledgerBalance: fmt(r.ledgerBalance) };
}

function deserializeResult(r: SerializedResult): HouseholdRunResult {
  return { ...r, paid: money(r.paid ?? ZERO), ledgerBalance: money(r.ledgerBalance) };
}
