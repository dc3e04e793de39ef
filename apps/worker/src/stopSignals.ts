import type { Logger } from '@bijstand/platform';

export interface StopSignals {
  /** The first SIGTERM or SIGINT; one that comes while the worker starts is kept until it has started. */
  stopRequested: Promise<NodeJS.Signals>;
  /** No longer listen (the worker failed to start and the process ends with that error). */
  release(): void;
}

/**
 * Takes SIGTERM and SIGINT from this moment on, so that a signal during start-up (opening the store, the
 * catch-up night) stops the worker as soon as it has started, with the same log lines. A second signal
 * exits at once with 1.
 */
export function catchStopSignals(logger: Logger): StopSignals {
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
  return { stopRequested, release: () => void process.off('SIGTERM', onSignal).off('SIGINT', onSignal) };
}
