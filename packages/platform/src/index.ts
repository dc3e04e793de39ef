export * from './ids.js';
export * from './streams.js';
export * from './rulesVersion.js';
export * from './serialization.js';
export * from './repository.js';
export * from './logger.js';
export * from './config.js';
export * from './incremental.js';
