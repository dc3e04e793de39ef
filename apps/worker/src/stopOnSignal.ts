import type { Logger } from '@bijstand/platform';
import type { RunningWorker } from './workerRuntime.js';

/**
 * Resolves once the first SIGTERM or SIGINT has stopped the worker gracefully (current group finished,
 * queues, subscriptions and alert delivery closed). A second signal exits at once with 1.
 */
export function stopOnSignal(worker: RunningWorker, logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
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
