import { EventStoreDbEventStore } from './eventstoredb.js';
import { InMemoryEventStore } from './memory.js';
import type { EventStore } from './port.js';
import { SqliteEventStore } from './sqlite.js';

export type EventStoreConfig = { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'eventstoredb'; connectionString: string };

/** Open the store a configuration names. */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'memory':
      return new InMemoryEventStore();
    case 'sqlite':
      return new SqliteEventStore(config.path);
    case 'eventstoredb':
      return new EventStoreDbEventStore(config.connectionString);
  }
}
