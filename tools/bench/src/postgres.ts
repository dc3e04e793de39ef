import pg from 'pg';
import { openEventStore } from '@bijstand/event-store';
import { postgresAvailable, startPostgres } from '@bijstand/testkit';
import { postgresBreakdown } from './sizes.js';
import { copySqliteFile, type StoreTarget } from './stores.js';

/**
 * PostgreSQL for the bench: a throw-away cluster of its own (the testkit's: initdb in a temporary
 * directory, a free loopback port), one database per store. Unlike the tests' cluster it is durable
 * (fsync and full-page writes on) with synchronous_commit off, as SQLite's WAL mode with
 * synchronous=NORMAL: a crash may lose the last commits, never corrupt the store.
 */
export const BENCH_SERVER_SETTINGS = {
  fsync: 'on',
  full_page_writes: 'on',
  synchronous_commit: 'off',
  shared_buffers: process.env.BENCH_PG_SHARED_BUFFERS ?? '256MB',
  // A national-size history writes GiBs: checkpoints by time, not every 1 GB of WAL.
  max_wal_size: '8GB',
  checkpoint_timeout: '15min',
} as const;

export class PostgresUnavailableError extends Error {
  constructor() {
    super(
      'bench: BENCH_STORES names postgres, but no PostgreSQL server binaries are installed (make deps-test installs them)',
    );
    this.name = 'PostgresUnavailableError';
  }
}

/** Names are the bench's own ('main', 'scaleout_2'); quoted all the same. */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function postgresTarget(): Promise<StoreTarget> {
  if (!postgresAvailable()) throw new PostgresUnavailableError();
  const server = await startPostgres({ settings: BENCH_SERVER_SETTINGS });
  const admin = new pg.Pool({ connectionString: server.url, max: 2 });
  admin.on('error', () => {}); // an idle admin connection dropped by the server: the next query reconnects
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version.split(
    ' ',
  )[0];
  const withClient = async <T>(name: string, use: (db: pg.Client) => Promise<T>): Promise<T> => {
    const db = new pg.Client({ connectionString: server.urlOf(name) });
    await db.connect();
    try {
      return await use(db);
    } finally {
      await db.end();
    }
  };
  const open = (name: string) => openEventStore({ kind: 'postgres', connectionString: server.urlOf(name) });
  return {
    kind: 'postgres',
    label: `PostgreSQL ${version}`,
    create: async (name) => {
      await admin.query(`CREATE DATABASE ${ident(name)}`);
      return open(name);
    },
    open,
    load: async (name, file) => {
      await admin.query(`CREATE DATABASE ${ident(name)}`);
      return copySqliteFile(file, await open(name));
    },
    drop: async (name) => void (await admin.query(`DROP DATABASE IF EXISTS ${ident(name)}`)),
    size: (name) =>
      withClient(name, async (db) => {
        // Every table of the store (schema public) with its indexes and TOAST; not the catalog, which an empty database has too.
        const { rows } = await db.query<{ bytes: string }>(
          `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`,
        );
        return {
          bytes: Number(rows[0]!.bytes),
          how: "pg_total_relation_size of the store's tables (heap, indexes, TOAST)",
        };
      }),
    breakdown: (name) => withClient(name, postgresBreakdown),
    // A file-level copy of the database (no connection may be open to the source: the store is closed).
    copyForWorkers: async (from, to) => {
      await admin.query(`CREATE DATABASE ${ident(to)} TEMPLATE ${ident(from)}`);
      return { EVENTSTORE_URL: server.urlOf(to) };
    },
    close: async () => {
      await admin.end();
      await server.stop();
    },
  };
}
