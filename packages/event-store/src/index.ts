export * from './port.js';
export { InMemoryEventStore } from './memory.js';
export { SqliteEventStore } from './sqlite.js';
export { EventStoreDbEventStore } from './eventstoredb.js';
export { runCatchUpSubscription } from './subscription.js';
export { openEventStore, type EventStoreConfig } from './factory.js';
