import { eventStoreConfigFromEnv, openEventStore, type EventStore } from '@bijstand/event-store';
import type { RuntimeEnv } from '@bijstand/platform';

/**
 * The store the environment names (EVENTSTORE_URL: PostgreSQL; EVENTSTORE_CONNECTION_STRING:
 * EventStoreDB; otherwise SQLite at SQLITE_PATH), or the one `--store` names.
 */
export async function storeFromEnv(env: RuntimeEnv, override?: string): Promise<EventStore> {
  if (override === 'memory') return openEventStore({ kind: 'memory' });
  if (override === 'sqlite') return openEventStore({ kind: 'sqlite', path: env.SQLITE_PATH });
  if (override) return openEventStore({ kind: 'sqlite', path: override });
  return openEventStore(eventStoreConfigFromEnv(env));
}
