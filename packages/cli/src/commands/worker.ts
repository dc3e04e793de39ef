import { createLogger, readRuntimeEnv } from '@bijstand/platform';
import { startSettlementWorker, type RunningWorker } from '@bijstand/app-worker';
import { storeFromEnv } from '../stores.js';
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
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
    const force = (again: NodeJS.Signals) => {
      logger.error({ signal: again }, 'second signal: exiting without a clean stop');
      process.exit(1);
    };
    process.once('SIGTERM', force).once('SIGINT', force);
    signalled(signal);
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
  const store = await storeFromEnv(env, options.store);
  let worker: RunningWorker;
  try {
    const municipalities = await requiredDeploymentConfig(
      env,
      store,
      options,
      'the nights are settled under the national tables and default policy',
    );
    const { name: municipality, ctx } = municipalities.defaultMunicipality;
    worker = await startSettlementWorker({
      env,
      store,
      ctx,
      municipality: municipalities.mode === 'multi' ? municipalities.deployment : municipality,
      municipalities,
      logger,
    });
  } catch (err) {
    // Nothing runs yet but the store: close it, so that the process exits with the error.
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
    await store.close();
    throw err;
  }
  await worker.stop(await stopRequested);
}
