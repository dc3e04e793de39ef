import { createLogger, readRuntimeEnv, storeFromEnv } from '@bijstand/platform';
import { startSettlementWorker } from '@bijstand/app-worker';
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
  const { name: municipality, ctx } = municipalities.defaultMunicipality;
  const worker = await startSettlementWorker({
    env,
    store,
    ctx,
    municipality: municipalities.mode === 'multi' ? municipalities.deployment : municipality,
    municipalities,
    logger,
  });
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
      const force = (again: NodeJS.Signals) => {
        logger.error({ signal: again }, 'second signal: exiting without a clean stop');
        process.exit(1);
      };
      process.once('SIGTERM', force).once('SIGINT', force);
      void worker.stop(signal).then(resolve);
    };
    process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
  });
}
