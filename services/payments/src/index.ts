export * from './batches.js';
export * from './events.js';
export * from './exportBatch.js';
export * from './facts.js';
export * from './importOutcomes.js';
export * from './plan.js';
export * from './reconcile.js';
export * from './text.js';
