import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A reader of a store on read-only media (a mounted backup, a read-only volume). A store in WAL mode
 * cannot be opened in place there unless its -shm and -wal files exist: SQLite must create them, and
 * cannot (sqlite.org/wal.html, "Read-Only Databases"); this build of better-sqlite3 opens no URIs, so
 * `immutable` is not at hand either. Such a reader then reads a private copy of the file and its -wal
 * (committed events in the log included), in a temporary directory removed at close.
 */
export interface ReadOnlyDatabase {
  db: Database.Database;
  /** The temporary directory of the copy, when one was needed. */
  copyDir?: string;
}

function openAndTouch(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    // Opening is lazy: the first read is where SQLite finds it cannot set up the WAL index.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

const cannotOpenInPlace = (err: unknown) =>
  String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_CANTOPEN');

export function openReadOnly(path: string): ReadOnlyDatabase {
  try {
    return { db: openAndTouch(path) };
  } catch (err) {
    if (!cannotOpenInPlace(err)) throw err;
  }
  const copyDir = mkdtempSync(join(tmpdir(), 'bijstand-read-only-store-'));
  try {
    const copy = join(copyDir, 'events.sqlite');
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    return { db: openAndTouch(copy), copyDir };
  } catch (err) {
    removeCopy(copyDir);
    throw err;
  }
}

export function removeCopy(copyDir: string | undefined): void {
  if (copyDir) rmSync(copyDir, { recursive: true, force: true });
}
