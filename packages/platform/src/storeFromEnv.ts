import { eventStoreConfigFromEnv, openEventStore, type EventStore, type EventStoreConfig } from '@bijstand/event-store';
import type { RuntimeEnv } from './config.js';
import { guardStoreKey } from './storeKey.js';

/**
 * How a command uses its store: `read-only` (never writes, never creates: a missing store is an error
 * naming the path), `existing` (writes, but the store must be there: a mistyped --store is an error,
 * not a fresh empty store), `create` (may start a new store: ingest, the worker, the demo).
 * SQLite files and PostgreSQL databases can lack a store (only `create` makes one there); SQLite files
 * are opened read-only; EventStoreDB is opened as it is.
 */
export type StoreAccess = 'read-only' | 'existing' | 'create';

/**
 * The store the environment names (EVENTSTORE_URL: PostgreSQL; EVENTSTORE_CONNECTION_STRING:
 * EventStoreDB; otherwise SQLite at SQLITE_PATH), or the one `--store` names.
 */
export async function storeFromEnv(
  env: RuntimeEnv,
  override?: string,
  access: StoreAccess = 'create',
): Promise<EventStore> {
  if (override === 'memory') return openEventStore({ kind: 'memory' });
  const config: EventStoreConfig =
    override === 'sqlite'
      ? { kind: 'sqlite', path: env.SQLITE_PATH }
      : override
        ? { kind: 'sqlite', path: override }
        : eventStoreConfigFromEnv(env);
  const store = await openEventStore(
    config.kind === 'sqlite' || config.kind === 'postgres' ? { ...config, mode: access } : config,
  );
  // One key per store: another key is refused before anything is read or written (platform/storeKey.ts).
  try {
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await guardStoreKey(store, process.env, { record: access !== 'read-only', at });
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
