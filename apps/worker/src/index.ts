// The settlement worker process (`cli worker`): it composes the nightly queue (settlement) with alert delivery and
// the bufferbudget process manager (buffer), so neither service imports the other. workerMain.ts is the bare
// queue worker the bench's scale-out forks.
export { startSettlementWorker, type RunningWorker, type WorkerDeps } from './workerRuntime.js';
export { catchStopSignals } from './stopSignals.js';
