import { describe, expect, it } from 'vitest';
import { eventStoreConfigFromEnv } from '../src/index.js';

describe('eventStoreConfigFromEnv', () => {
  const SQLITE_PATH = './data/events.sqlite';

  it('chooses PostgreSQL for EVENTSTORE_URL with either scheme', () => {
    expect(eventStoreConfigFromEnv({ SQLITE_PATH, EVENTSTORE_URL: 'postgres://es@db:5432/events' })).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://es@db:5432/events',
    });
    expect(eventStoreConfigFromEnv({ SQLITE_PATH, EVENTSTORE_URL: 'postgresql://es@db/events' })).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://es@db/events',
    });
  });

  it('keeps the other selections: EventStoreDB for EVENTSTORE_CONNECTION_STRING, SQLite otherwise', () => {
    expect(
      eventStoreConfigFromEnv({ SQLITE_PATH, EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }),
    ).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://localhost:2113?tls=false',
    });
    expect(eventStoreConfigFromEnv({ SQLITE_PATH })).toEqual({ kind: 'sqlite', path: SQLITE_PATH });
    expect(eventStoreConfigFromEnv({ SQLITE_PATH, EVENTSTORE_URL: '' })).toEqual({ kind: 'sqlite', path: SQLITE_PATH });
  });

  it('refuses an EVENTSTORE_URL of another scheme, and both variables at once, without repeating the URL', () => {
    expect(() => eventStoreConfigFromEnv({ SQLITE_PATH, EVENTSTORE_URL: 'mysql://u:secret@db/events' })).toThrow(
      /postgres:\/\/ or postgresql:\/\//,
    );
    expect(() => eventStoreConfigFromEnv({ SQLITE_PATH, EVENTSTORE_URL: 'mysql://u:secret@db/events' })).not.toThrow(
      /secret/,
    );
    expect(() =>
      eventStoreConfigFromEnv({
        SQLITE_PATH,
        EVENTSTORE_URL: 'postgres://db/events',
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113',
      }),
    ).toThrow(/not both/);
  });
});
