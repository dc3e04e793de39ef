export * from './port.js';
export { InMemoryEventStore } from './memory.js';
export {
  SqliteEventStore,
  EventStoreNotFoundError,
  EventStoreDamagedError,
  EventStoreAccessError,
  EventStoreFormatError,
  EventStoreMigrationError,
  type SqliteOpenOptions,
} from './sqlite.js';
export { EventStoreDbEventStore } from './eventstoredb.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres.js';
export { runCatchUpSubscription } from './subscription.js';
export {
  openEventStore,
  eventStoreConfigFromEnv,
  isPostgresUrl,
  type EventStoreConfig,
  type EventStoreEnv,
} from './factory.js';
export {
  copyEventStore,
  verifyCopy,
  appendRequestsInOrder,
  CopyTargetNotEmptyError,
  CopyMismatchError,
  type CopySummary,
  type CopyOptions,
} from './copy.js';
export { ServiceUnavailableError, locationOf } from './unavailable.js';
