import { createLogger, readRuntimeEnv, storeFromEnv } from '@bijstand/platform';
import { startSettlementWorker, stopOnSignal } from '@bijstand/app-worker';
import { requiredDeploymentConfig } from './shared.js';

/**
 * `worker`: runs until SIGTERM or SIGINT, then stops gracefully (current group finished, queues,
 * subscriptions and alert delivery closed) and exits 0. A second signal exits at once with 1.
 */
export async function workerCommand(options: { store?: string; nationalDefaults?: boolean }): Promise<void> {
  const env = readRuntimeEnv();
  const logger = createLogger('settlement-worker', { level: env.LOG_LEVEL });
  const store = await storeFromEnv(env, options.store);
  let municipalities;
  try {
    municipalities = await requiredDeploymentConfig(
      env,
      store,
      options,
      'the nights are settled under the national tables and default policy',
    );
  } catch (err) {
    await store.close();
    throw err;
  }
  const worker = await startSettlementWorker({
    env,
    store,
    ctx: municipalities.defaultMunicipality.ctx,
    municipality: municipalities.name,
    municipalities,
    logger,
  });
  await stopOnSignal(worker, logger);
}
