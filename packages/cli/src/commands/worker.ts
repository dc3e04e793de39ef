import { createLogger, readRuntimeEnv } from '@bijstand/platform';
import { startSettlementWorker } from '@bijstand/app-worker';
import { storeFromEnv } from '../stores.js';
import { deploymentConfig } from './shared.js';

/**
 * `worker`: runs until SIGTERM or SIGINT, then stops gracefully (current group finished, queues,
 * subscriptions and alert delivery closed) and exits 0. A second signal exits at once with 1.
 */
export async function workerCommand(options: { store?: string }): Promise<void> {
  const env = readRuntimeEnv();
  const municipalities = deploymentConfig(env, 'the nights are settled under the national tables and default policy');
  const { name: municipality, ctx } = municipalities.defaultMunicipality;
  const logger = createLogger('settlement-worker', { level: env.LOG_LEVEL });
  const store = await storeFromEnv(env, options.store);
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
