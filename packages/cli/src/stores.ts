import { openEventStore, type EventStore } from '@bijstand/event-store';
import type { RuntimeEnv } from '@bijstand/platform';

/** The store the environment names: EventStoreDB when a connection string is set, SQLite otherwise. */
export async function storeFromEnv(env: RuntimeEnv, override?: string): Promise<EventStore> {
  if (override === 'memory') return openEventStore({ kind: 'memory' });
  if (override && override !== 'sqlite') return openEventStore({ kind: 'sqlite', path: override });
  if (env.EVENTSTORE_CONNECTION_STRING && override !== 'sqlite') {
    return openEventStore({ kind: 'eventstoredb', connectionString: env.EVENTSTORE_CONNECTION_STRING });
  }
  return openEventStore({ kind: 'sqlite', path: env.SQLITE_PATH });
}
