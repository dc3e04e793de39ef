import type { EventStore } from './port.js';
import { InMemoryEventStore } from './memory.js';

export type EventStoreConfig = { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'eventstoredb'; connectionString: string };

/** Open the store a configuration names; adapters with native or network dependencies load lazily. */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'memory':
      return new InMemoryEventStore();
    case 'sqlite': {
      const { SqliteEventStore } = await import('./sqlite.js');
      return new SqliteEventStore(config.path);
    }
    case 'eventstoredb': {
      const { EventStoreDbEventStore } = await import('./eventstoredb.js');
      return new EventStoreDbEventStore(config.connectionString);
    }
  }
}
