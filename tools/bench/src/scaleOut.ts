import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { redisAvailable, startRedis } from '@bijstand/testkit';
import { NightlyQueue, NightlySettlement } from '@bijstand/settlement';
import { config, ctx, logger, peakRssOfMiB, repoRoot, rulesVersion, type Night } from './phases.js';
import type { StoreTarget } from './stores.js';

export interface ScaleOutRow {
  workers: number;
  households: number;
  seconds: number;
  /** Peak RSS of each worker process (MiB), null where /proc could not tell. */
  peaksMiB: Array<number | null>;
}

export interface ScaleOutResult {
  target: StoreTarget;
  rows: ScaleOutRow[];
}

const WORKER_MAIN = join(repoRoot, 'apps', 'worker', 'src', 'workerMain.ts');
/** The store settings of the parent's environment must not reach a worker: it gets the copy's, and only those. */
const STORE_ENV = ['SQLITE_PATH', 'EVENTSTORE_URL', 'EVENTSTORE_CONNECTION_STRING'];

function startWorkers(count: number, env: NodeJS.ProcessEnv): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = fork(WORKER_MAIN, { execArgv: ['--import', 'tsx'], env, stdio: 'ignore' });
      return new Promise<ChildProcess>((resolve, reject) => {
        child.once('message', () => resolve(child));
        child.once('exit', (code) =>
          reject(new Error(`bench: a settlement worker process exited with code ${code} before it was ready`)),
        );
      });
    }),
  );
}

/** BENCH_SCALEOUT_WORKERS (default `1,2`): the worker counts measured, e.g. `2` alone for a national run's time. */
function workerCountsFromEnv(): number[] {
  const counts = (process.env.BENCH_SCALEOUT_WORKERS ?? '1,2').split(',').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 16))
    throw new Error(
      `BENCH_SCALEOUT_WORKERS: '${process.env.BENCH_SCALEOUT_WORKERS}' is not a list of worker counts between 1 and 16`,
    );
  return counts;
}

/**
 * Scale-out: one night (the settlement after the measured one) through BullMQ on a real Redis, with
 * one and with two worker processes, each time on a fresh copy of the store `source` (cold caches).
 */
export async function scaleOut(
  target: StoreTarget,
  source: string,
  night: Night,
  workerCounts = workerCountsFromEnv(),
): Promise<ScaleOutResult | string> {
  if (!redisAvailable()) return `Scale-out on ${target.label} not measured: no redis-server on this machine.`;
  const rows: ScaleOutRow[] = [];
  for (const workers of workerCounts) {
    const copy = `scaleout_${workers}`;
    const storeEnv = await target.copyForWorkers(source, copy);
    if (storeEnv === null) return `Scale-out on ${target.label} not measured: worker processes cannot share it.`;
    // A fresh Redis for each measurement: the run's progress hash must not carry over.
    const redis = await startRedis();
    const store = await target.open(copy);
    let children: ChildProcess[] = [];
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        REDIS_URL: redis.url,
        MUNICIPALITY_CONFIG: config,
        LOG_LEVEL: 'silent',
        WORKER_CONCURRENCY: '4',
      };
      for (const key of STORE_ENV) delete env[key];
      children = await startWorkers(workers, { ...env, ...storeEnv });
      const queue = new NightlyQueue(redis.url, new NightlySettlement(store, ctx, rulesVersion, logger), logger);
      const t = performance.now();
      await queue.enqueueRun(night.runDate, night.runAt);
      const summary = await queue.waitForRun(night.runDate, undefined, 50);
      const seconds = (performance.now() - t) / 1000;
      await queue.close();
      if (summary.failures.length > 0)
        throw new Error(`bench: scale-out run on ${target.label} failed for ${summary.failures.length} households`);
      rows.push({
        workers,
        households: summary.households,
        seconds,
        peaksMiB: children.map((c) => peakRssOfMiB(c.pid)),
      });
      process.stderr.write(
        `  scale-out on ${target.kind}: ${workers} worker process(es): ${summary.households} households in ${seconds.toFixed(1)} s\n`,
      );
    } finally {
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(
        children.map((c) =>
          c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((resolve) => c.once('exit', resolve)),
        ),
      );
      await store.close();
      await redis.stop();
      await target.drop(copy);
    }
  }
  return { target, rows };
}
