import { EventStoreDbEventStore } from './eventstoredb.js';
import { InMemoryEventStore } from './memory.js';
import type { EventStore } from './port.js';
import { PostgresEventStore } from './postgres.js';
import { SqliteEventStore, type SqliteOpenOptions } from './sqlite.js';

export type EventStoreConfig =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string; mode?: SqliteOpenOptions['mode'] }
  | { kind: 'eventstoredb'; connectionString: string }
  | { kind: 'postgres'; connectionString: string; mode?: SqliteOpenOptions['mode']; connectTimeoutMs?: number };

/** Open the store a configuration names. */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'memory':
      return new InMemoryEventStore();
    case 'sqlite':
      return new SqliteEventStore(config.path, config.mode ? { mode: config.mode } : {});
    case 'eventstoredb':
      return new EventStoreDbEventStore(config.connectionString);
    case 'postgres':
      return PostgresEventStore.open({
        connectionString: config.connectionString,
        ...(config.mode ? { mode: config.mode } : {}),
        ...(config.connectTimeoutMs ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
      });
  }
}

/** The variables that choose the store. */
export interface EventStoreEnv {
  /** `postgres://…` or `postgresql://…`: PostgreSQL. */
  EVENTSTORE_URL?: string | undefined;
  /** `esdb://…`: EventStoreDB. */
  EVENTSTORE_CONNECTION_STRING?: string | undefined;
  /** The SQLite file, used when neither of the others is set. */
  SQLITE_PATH: string;
  /** PostgreSQL's connect time limit (validated by platform's environment schema; default 15 s). */
  EVENTSTORE_CONNECT_TIMEOUT_MS?: number | undefined;
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

/**
 * The store the environment names: PostgreSQL for EVENTSTORE_URL, EventStoreDB for
 * EVENTSTORE_CONNECTION_STRING, SQLite at SQLITE_PATH otherwise. Both set is a mistake, not a choice.
 */
export function eventStoreConfigFromEnv(env: EventStoreEnv): EventStoreConfig {
  const { EVENTSTORE_URL: url, EVENTSTORE_CONNECTION_STRING: esdb } = env;
  if (url && esdb)
    throw new Error('set EVENTSTORE_URL (PostgreSQL) or EVENTSTORE_CONNECTION_STRING (EventStoreDB), not both');
  if (url) {
    if (!isPostgresUrl(url)) throw new Error('EVENTSTORE_URL must start with postgres:// or postgresql://');
    const connectTimeoutMs = env.EVENTSTORE_CONNECT_TIMEOUT_MS;
    return { kind: 'postgres', connectionString: url, ...(connectTimeoutMs ? { connectTimeoutMs } : {}) };
  }
  if (esdb) return { kind: 'eventstoredb', connectionString: esdb };
  return { kind: 'sqlite', path: env.SQLITE_PATH };
}
