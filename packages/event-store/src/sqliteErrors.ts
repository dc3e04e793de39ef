/** No store at the path (a read-only or `existing` open never creates one). */
export class EventStoreNotFoundError extends Error {
  constructor(
    readonly path: string,
    detail?: string,
  ) {
    super(`no event store at ${path}${detail ? ` (${detail})` : ''}`);
    this.name = 'EventStoreNotFoundError';
  }
}

/** The file is not a sound SQLite database: refused for reading and for writing. */
export class EventStoreDamagedError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`the event store at ${path} is damaged: ${detail}`);
    this.name = 'EventStoreDamagedError';
  }
}

/** The file cannot be opened or written as asked (permissions, a directory, a store opened read-only). */
export class EventStoreAccessError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`the event store at ${path} ${detail}`);
    this.name = 'EventStoreAccessError';
  }
}

/** The store is in a file format this version does not know (written by a newer version). */
export class EventStoreFormatError extends Error {
  constructor(
    readonly path: string,
    readonly format: number,
    readonly known: number,
  ) {
    super(
      `the event store at ${path} is in format ${format}; this version reads formats 1 to ${known} (written by a newer version?)`,
    );
    this.name = 'EventStoreFormatError';
  }
}

/** A format-1 store could not be migrated to the current format; the migration was rolled back, the file is as it was. */
export class EventStoreMigrationError extends Error {
  constructor(
    readonly path: string,
    readonly from: number,
    readonly to: number,
    override readonly cause: unknown,
  ) {
    super(
      `the event store at ${path} could not be migrated from format ${from} to ${to} (nothing was changed): ${(cause as Error).message}`,
    );
    this.name = 'EventStoreMigrationError';
  }
}

const isDamage = (code: string) => code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
const isAccess = (code: string) =>
  code.startsWith('SQLITE_READONLY') ||
  code.startsWith('SQLITE_CANTOPEN') ||
  code === 'SQLITE_PERM' ||
  code === 'SQLITE_AUTH' ||
  code === 'EACCES' ||
  code === 'EPERM' ||
  code === 'EROFS';

/** A SQLite or file-system error at open, as one of the store's errors; anything else unchanged. */
export function openError(path: string, err: unknown, mode: 'create' | 'existing' | 'read-only' = 'create'): unknown {
  if (
    err instanceof EventStoreNotFoundError ||
    err instanceof EventStoreDamagedError ||
    err instanceof EventStoreAccessError ||
    err instanceof EventStoreFormatError ||
    err instanceof EventStoreMigrationError
  )
    return err;
  const code = String((err as { code?: unknown }).code ?? '');
  const message = (err as Error).message;
  if (isDamage(code)) return new EventStoreDamagedError(path, message);
  if (isAccess(code))
    return new EventStoreAccessError(
      path,
      `cannot be opened for ${mode === 'read-only' ? 'reading' : 'writing'}: ${message} (check the file's and its directory's permissions)`,
    );
  return err;
}
