import { createLogger, readRuntimeEnv, storeFromEnv } from '@bijstand/platform';
import { catchStopSignals, startSettlementWorker, type RunningWorker } from '@bijstand/app-worker';
import { requiredDeploymentConfig } from './shared.js';

/**
 * `worker`: runs until SIGTERM or SIGINT, then stops gracefully (current group finished, queues,
 * subscriptions and alert delivery closed) and exits 0. A second signal exits at once with 1. The
 * signals are taken from the first moment: one that comes while the worker starts (opening the store,
 * the start-up catch-up night) stops it as soon as it has started, with the same log lines.
 */
export async function workerCommand(options: { store?: string; nationalDefaults?: boolean }): Promise<void> {
  const env = readRuntimeEnv();
  const logger = createLogger('settlement-worker', { level: env.LOG_LEVEL });
  const signals = catchStopSignals(logger);
  const store = await storeFromEnv(env, options.store);
  let worker: RunningWorker;
  try {
    const municipalities = await requiredDeploymentConfig(
      env,
      store,
      options,
      'the nights are settled under the national tables and default policy',
    );
    const ctx = municipalities.defaultMunicipality.ctx;
    worker = await startSettlementWorker({
      env,
      store,
      ctx,
      municipality: municipalities.name,
      municipalities,
      logger,
    });
  } catch (err) {
    // Nothing runs yet but the store: close it, so that the process exits with the error.
    signals.release();
    await store.close();
    throw err;
  }
  await worker.stop(await signals.stopRequested);
  // Every part is closed and logged (synchronously); BullMQ can still hold its blocking read's watchdog timer
  // (up to 11 s once Redis is gone), which would keep a stopped worker alive for nothing.
  process.exit(0);
}
