export * from './port.js';
export * from './memory.js';
export * from './subscription.js';
export * from './factory.js';
