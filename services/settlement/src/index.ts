export * from './nightlyRun.js';
export * from './queue.js';
export * from './scheduler.js';
export * from './amsterdamTime.js';
export * from './processManager.js';
export * from './bufferReport.js';
export * from './redisConnection.js';
