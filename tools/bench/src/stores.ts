import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyEventStore, openEventStore, type EventStore } from '@bijstand/event-store';
import { sqliteBreakdown, type SizeBreakdown } from './sizes.js';

/**
 * A kind of store the bench measures: it makes named stores (a file, a database) of that kind, tells
 * their size on disk and, for the scale-out, copies one and names it for a worker process.
 */
export interface StoreTarget {
  kind: 'memory' | 'sqlite' | 'postgres';
  /** The store's name in the tables. */
  label: string;
  /** A fresh, empty store. */
  create(name: string): Promise<EventStore>;
  /** Frees what a closed store took (its file, its database). */
  drop(name: string): Promise<void>;
  /** Bytes on disk of the closed store `name`, and what was counted; null where nothing is on disk. */
  size(name: string): Promise<{ bytes: number; how: string } | null>;
  /** What the closed store `name`'s bytes are made of (tables, indexes, payloads); null where nothing is on disk. */
  breakdown(name: string): Promise<SizeBreakdown | null>;
  /** A copy of the closed store `from` as `to`, and the environment a worker process opens it with; null where a worker cannot share it. */
  copyForWorkers(from: string, to: string): Promise<Record<string, string> | null>;
  /** The closed SQLite store in `file` as the store `name`, left closed; says how it got there (for the log). */
  load(name: string, file: string): Promise<string>;
  /** Opens a store made by create(), load() or copyForWorkers() again. */
  open(name: string): Promise<EventStore>;
  /** Ends what the target started (its server, its directory). */
  close(): Promise<void>;
}

/** `store copy` of the SQLite file `file` into `into` (closed after); what was copied, for the log. */
export async function copySqliteFile(file: string, into: EventStore): Promise<string> {
  const source = await openEventStore({ kind: 'sqlite', path: file });
  try {
    const copied = await copyEventStore(source, into);
    return `copied from SQLite: ${copied.events} events, ${copied.streams} streams, ${copied.snapshots} snapshots`;
  } finally {
    await source.close();
    await into.close();
  }
}

/**
 * The in-memory store: for tests; nothing on disk, not shared with worker processes. A closed one keeps
 * its events (close only stops subscriptions): open() gives it back until drop().
 */
export function memoryTarget(): StoreTarget {
  const stores = new Map<string, EventStore>();
  const create = async (name: string) => {
    const store = await openEventStore({ kind: 'memory' });
    stores.set(name, store);
    return store;
  };
  return {
    kind: 'memory',
    label: 'in-memory',
    create,
    load: async (name, file) => copySqliteFile(file, await create(name)),
    drop: async (name) => void stores.delete(name),
    size: async () => null,
    breakdown: async () => null,
    copyForWorkers: async () => null,
    open: async (name) => {
      const store = stores.get(name);
      if (!store) throw new Error(`bench: no in-memory store '${name}'`);
      return store;
    },
    close: async () => stores.clear(),
  };
}

/** SQLite files in a temporary directory of this run (several GiB at national sizes: removed at the end). */
export function sqliteTarget(): StoreTarget {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
  const path = (name: string) => join(dir, `${name}.sqlite`);
  const files = (name: string) => [path(name), `${path(name)}-wal`, `${path(name)}-shm`];
  const size = async (name: string) => ({
    bytes: files(name)
      .slice(0, 2)
      .reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0),
    how: 'the database file + its WAL',
  });
  return {
    kind: 'sqlite',
    label: 'SQLite (WAL)',
    create: (name) => openEventStore({ kind: 'sqlite', path: path(name) }),
    open: (name) => openEventStore({ kind: 'sqlite', path: path(name) }),
    // The same bytes as building it in place: the file and its WAL (SQLite rebuilds the WAL's index on open).
    load: async (name, file) => {
      for (const [i, f] of [file, `${file}-wal`].entries()) if (existsSync(f)) copyFileSync(f, files(name)[i]!);
      return 'a copy of the SQLite file';
    },
    drop: async (name) => files(name).forEach((f) => rmSync(f, { force: true })),
    size,
    breakdown: async (name) => sqliteBreakdown(path(name), (await size(name)).bytes),
    copyForWorkers: async (from, to) => {
      for (const [i, f] of files(from).entries()) if (existsSync(f)) copyFileSync(f, files(to)[i]!);
      return { SQLITE_PATH: path(to) };
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
