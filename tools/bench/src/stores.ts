import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, type EventStore } from '@bijstand/event-store';
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
  /** Opens a store made by create() or copyForWorkers() again. */
  open(name: string): Promise<EventStore>;
  /** Ends what the target started (its server, its directory). */
  close(): Promise<void>;
}

/** The in-memory store: for tests; nothing on disk, not shared with worker processes. */
export function memoryTarget(): StoreTarget {
  return {
    kind: 'memory',
    label: 'in-memory',
    create: () => openEventStore({ kind: 'memory' }),
    drop: async () => {},
    size: async () => null,
    breakdown: async () => null,
    copyForWorkers: async () => null,
    open: () => {
      throw new Error('bench: an in-memory store cannot be opened again once closed');
    },
    close: async () => {},
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
