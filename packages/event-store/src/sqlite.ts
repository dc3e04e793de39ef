import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkExpectedRevision, instantOf, newEventsOnly } from './appendRules.js';
import { packPayload, unpackPayload, type StoredPayload } from './payloadCodec.js';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordedEventText,
  StateSnapshot,
  Subscription,
  SubscriptionOptions,
} from './port.js';
import { runCatchUpSubscription, stopAll, trackUntilStopped } from './subscription.js';

interface EventRow {
  position: number;
  stream_name: string;
  stream_revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  recorded_at: string;
  /** TEXT: the JSON as appended (all rows before payloads were packed, and small ones); BLOB: packed (payloadCodec.ts). */
  data: StoredPayload;
  metadata: string;
}

const EVENT_COLUMNS = 'position, stream_name, stream_revision, event_id, type, schema_version, recorded_at, data, metadata';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, -- global position: commit order, never reused
    stream_name TEXT NOT NULL,
    stream_revision INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,                  -- as given, so that it round-trips exactly
    recorded_ms INTEGER NOT NULL,               -- the same instant in ms since the epoch, for asOf
    data TEXT NOT NULL,                         -- JSON as TEXT, or a BLOB packed by payloadCodec.ts (TEXT affinity keeps a BLOB as it is)
    metadata TEXT NOT NULL,                     -- JSON
    UNIQUE (stream_name, stream_revision),      -- optimistic concurrency; also the index for reading a stream
    UNIQUE (stream_name, event_id)              -- idempotency
  );
  -- One row per stream: its current revision (read on every append) and where it began (listStreams order).
  CREATE TABLE IF NOT EXISTS streams (
    stream_name TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    first_position INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS streams_by_first_position ON streams (first_position);
  -- One snapshot per stream (a cache of its folded state; the events stay the source of truth).
  CREATE TABLE IF NOT EXISTS snapshots (
    stream_name TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    format TEXT NOT NULL,
    data TEXT NOT NULL                          -- JSON as TEXT, or a BLOB packed by payloadCodec.ts
  );
  CREATE TABLE IF NOT EXISTS checkpoints (
    subscription_id TEXT PRIMARY KEY,
    position INTEGER NOT NULL
  );
`;

const TABLES = ['events', 'streams', 'snapshots', 'checkpoints'];

/** How a SQLite store is opened. */
export interface SqliteOpenOptions {
  /**
   * `create` (default): the file and its directory are created when missing (ingest, the worker, the demo).
   * `existing`: read-write, but the file must be there (a writer that must not start an empty store by mistake).
   * `read-only`: the file must be there and is never written (reports, listings, replay).
   */
  mode?: 'create' | 'existing' | 'read-only';
  /** PRAGMA quick_check at open (default on): a damaged file is refused, for writers too. */
  check?: boolean;
}

/** No store at the path (a read-only or `existing` open never creates one). */
export class EventStoreNotFoundError extends Error {
  constructor(readonly path: string, detail?: string) {
    super(`no event store at ${path}${detail ? ` (${detail})` : ''}`);
    this.name = 'EventStoreNotFoundError';
  }
}

/** The file is not a sound SQLite database: refused for reading and for writing. */
export class EventStoreDamagedError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`the event store at ${path} is damaged: ${detail}`);
    this.name = 'EventStoreDamagedError';
  }
}

/** The file cannot be opened or written as asked (permissions, a directory, a store opened read-only). */
export class EventStoreAccessError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`the event store at ${path} ${detail}`);
    this.name = 'EventStoreAccessError';
  }
}

const isDamage = (code: string) => code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
const isAccess = (code: string) => code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS';

/** A SQLite or file-system error at open, as one of the store's errors; anything else unchanged. */
function openError(path: string, err: unknown): unknown {
  if (err instanceof EventStoreNotFoundError || err instanceof EventStoreDamagedError || err instanceof EventStoreAccessError) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  const message = (err as Error).message;
  if (isDamage(code)) return new EventStoreDamagedError(path, message);
  if (isAccess(code)) return new EventStoreAccessError(path, `cannot be opened for writing: ${message} (check the file's and its directory's permissions)`);
  return err;
}

/** Prepared once per connection; appends and reads only bind values. */
function prepareStatements(db: Database.Database) {
  return {
    streamRevision: db.prepare<[string], { revision: number }>('SELECT revision FROM streams WHERE stream_name = ?'),
    hasEventId: db.prepare<[string, string], 1>('SELECT 1 FROM events WHERE stream_name = ? AND event_id = ?').pluck(),
    insertEvent: db.prepare<[string, number, string, string, number, string, number, StoredPayload, string]>(
      'INSERT INTO events (stream_name, stream_revision, event_id, type, schema_version, recorded_at, recorded_ms, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertStream: db.prepare<[string, number, number]>('INSERT INTO streams (stream_name, revision, first_position) VALUES (?, ?, ?)'),
    updateStream: db.prepare<[number, string]>('UPDATE streams SET revision = ? WHERE stream_name = ?'),
    readStream: db.prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = ? AND stream_revision >= ? ORDER BY stream_revision`,
    ),
    readStreamAsOf: db.prepare<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = ? AND stream_revision >= ? AND recorded_ms <= ? ORDER BY stream_revision`,
    ),
    // LIMIT -1 means no limit.
    readAll: db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    // Every name that starts with the prefix sorts in [prefix, prefix + the highest code point).
    listStreams: db.prepare<[string, string], string>('SELECT stream_name FROM streams WHERE stream_name >= ? AND stream_name < ? ORDER BY first_position').pluck(),
    readSnapshot: db.prepare<[string], { revision: number; format: string; data: StoredPayload }>('SELECT revision, format, data FROM snapshots WHERE stream_name = ?'),
    writeSnapshot: db.prepare<[string, number, string, StoredPayload]>(
      `INSERT INTO snapshots (stream_name, revision, format, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision, format = excluded.format, data = excluded.data
       WHERE excluded.revision >= snapshots.revision`,
    ),
    loadCheckpoint: db.prepare<[string], number>('SELECT position FROM checkpoints WHERE subscription_id = ?').pluck(),
    storeCheckpoint: db.prepare<[string, number]>(
      'INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?) ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position',
    ),
  };
}

/**
 * PRAGMA quick_check: the structure of every page and index (not index contents against rows, which
 * integrity_check adds at many times the cost). Anything but `ok` refuses the store.
 */
function checkIntegrity(db: Database.Database, path: string): void {
  const problems = db.prepare<[], string>('PRAGMA quick_check(5)').pluck().all();
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new EventStoreDamagedError(path, problems.flatMap((p) => p.split('\n')).map((p) => p.trim()).filter((p) => p && !p.startsWith('***')).join('; '));
  }
}

function toRecordedEventText(row: EventRow): RecordedEventText {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    recordedAt: row.recorded_at,
    dataText: unpackPayload(row.data),
    metadata: JSON.parse(row.metadata),
    streamName: row.stream_name,
    streamRevision: row.stream_revision,
    globalPosition: row.position,
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  const { dataText, ...rest } = toRecordedEventText(row);
  return { ...rest, data: JSON.parse(dataText) };
}

/**
 * The embedded default: one SQLite file in WAL mode. better-sqlite3 is synchronous, which suits a
 * single writer well: an append is a few prepared-statement calls inside one transaction. The port
 * is async for the networked adapters.
 *
 * Several processes may share the file (the worker processes do): appends take the write lock up
 * front (BEGIN IMMEDIATE, waiting up to busy_timeout), and subscriptions poll for what other
 * processes append, besides being woken at once by appends made through this instance.
 */
export class SqliteEventStore implements EventStore {
  readonly name: string;
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly appendInTransaction: Database.Transaction<(requests: AppendRequest[]) => AppendResult[]>;
  private readonly writeSnapshotsInTransaction: Database.Transaction<(snapshots: StateSnapshot[]) => void>;
  private readonly appendListeners = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private groupDepth = 0;
  readonly readOnly: boolean;

  /**
   * `path`: a file or ':memory:'. Opening checks the file (quick_check): a damaged one is refused with
   * EventStoreDamagedError, a missing one (modes `existing`, `read-only`) with EventStoreNotFoundError.
   */
  constructor(readonly path: string, options: SqliteOpenOptions = {}) {
    this.name = `sqlite:${path}`;
    const mode = path === ':memory:' ? 'create' : (options.mode ?? 'create');
    this.readOnly = mode === 'read-only';
    let db: Database.Database | undefined;
    try {
      if (mode !== 'create' && !existsSync(path)) throw new EventStoreNotFoundError(path);
      if (mode === 'create' && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { readonly: this.readOnly, fileMustExist: mode !== 'create' });
      db.pragma('busy_timeout = 5000');
      if (options.check ?? true) checkIntegrity(db, path);
      const tables = db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
      if (!tables.includes('events') && (tables.length > 0 || mode !== 'create')) {
        throw new EventStoreNotFoundError(path, tables.length > 0 ? 'the file is a SQLite database of something else: it has no events table' : 'the file holds no events');
      }
      if (!this.readOnly) {
        db.pragma('journal_mode = WAL');
        // With WAL, NORMAL syncs at checkpoints only: a power cut may lose the last commits, never corrupts.
        db.pragma('synchronous = NORMAL');
        db.exec(SCHEMA);
      } else {
        const missing = TABLES.filter((t) => !tables.includes(t));
        if (missing.length > 0) throw new EventStoreNotFoundError(path, `the file lacks the tables ${missing.join(', ')}`);
      }
    } catch (err) {
      if (db?.open) db.close();
      throw openError(path, err);
    }
    this.db = db!;
    this.statements = prepareStatements(this.db);
    // Anything thrown inside (a WrongExpectedRevisionError in any request) rolls the whole batch back.
    this.writeSnapshotsInTransaction = this.db.transaction((snapshots: StateSnapshot[]) => {
      for (const x of snapshots) this.statements.writeSnapshot.run(x.streamName, x.revision, x.format, packPayload(JSON.stringify(x.data)));
    });
    this.appendInTransaction = this.db.transaction((requests: AppendRequest[]) =>
      requests.map((r) => this.appendOne(r.streamName, r.events, r.expectedRevision ?? 'any')),
    );
  }

  private appendOne(streamName: string, events: NewEvent[], expected: ExpectedRevision): AppendResult {
    const current = this.statements.streamRevision.get(streamName)?.revision ?? -1;
    // A stream that does not exist yet holds no ids: skip the lookups.
    const fresh = newEventsOnly(events, (id) => current >= 0 && this.statements.hasEventId.get(streamName, id) !== undefined);
    if (fresh.length === 0) return { nextExpectedRevision: current, lastGlobalPosition: null, appended: 0 };
    checkExpectedRevision(streamName, expected, current);
    let revision = current;
    let lastPosition = 0;
    for (const e of fresh) {
      revision++;
      const inserted = this.statements.insertEvent.run(
        streamName,
        revision,
        e.eventId,
        e.type,
        e.schemaVersion,
        e.recordedAt,
        instantOf(e.recordedAt, `recordedAt of event ${e.eventId}`),
        packPayload(JSON.stringify(e.data ?? null)),
        JSON.stringify(e.metadata ?? {}),
      );
      lastPosition = Number(inserted.lastInsertRowid);
      if (revision === 0) this.statements.insertStream.run(streamName, 0, lastPosition);
    }
    this.statements.updateStream.run(revision, streamName);
    return { nextExpectedRevision: revision, lastGlobalPosition: lastPosition, appended: fresh.length };
  }

  async append(streamName: string, events: NewEvent[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamName, events, expectedRevision: options.expectedRevision ?? 'any' }]);
    return result!;
  }

  /** All requests in one transaction: all or nothing. */
  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    this.refuseWritesWhenReadOnly();
    // IMMEDIATE takes the write lock before the revisions are read, so another process cannot slip
    // in between (a deferred transaction would fail with SQLITE_BUSY_SNAPSHOT instead of waiting).
    const results = this.appendInTransaction.immediate(requests);
    if (results.some((r) => r.appended > 0)) for (const listener of this.appendListeners) listener();
    return results;
  }

  /**
   * One commit for all appends made while `work` runs (each append inside is a savepoint). Holds the
   * write lock meanwhile: other processes wait (busy_timeout), this connection's readers see the
   * appends at once. Nested or concurrent calls in this process join the open group; the last to finish commits.
   */
  async groupCommits<T>(work: () => Promise<T>): Promise<T> {
    if (this.readOnly) return work();
    if (this.groupDepth === 0) this.db.exec('BEGIN IMMEDIATE');
    this.groupDepth++;
    try {
      return await work();
    } finally {
      // The last one out commits, also after an error: what was appended stays appended, as it
      // would without the group.
      if (--this.groupDepth === 0 && this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.rowsOfStream(streamName, options).map(toRecordedEvent);
  }

  private rowsOfStream(streamName: string, options: ReadStreamOptions): EventRow[] {
    const fromRevision = options.fromRevision ?? 0;
    return options.asOf !== undefined
      ? this.statements.readStreamAsOf.all(streamName, fromRevision, instantOf(options.asOf, 'asOf'))
      : this.statements.readStream.all(streamName, fromRevision);
  }

  async readStreamText(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEventText[]> {
    return this.rowsOfStream(streamName, options).map(toRecordedEventText);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.statements.readAll.all(options.fromPosition ?? 0, options.maxCount ?? -1).map(toRecordedEvent);
  }

  async listStreams(prefix: string): Promise<string[]> {
    // [prefix, prefix with its last character raised by one): every name that starts with the prefix,
    // whatever follows (a bound of prefix + U+10FFFF missed names that go on after that character).
    return this.statements.listStreams.all(prefix, prefixUpperBound(prefix));
  }

  async loadCheckpoint(subscriptionId: string): Promise<number | null> {
    return this.statements.loadCheckpoint.get(subscriptionId) ?? null;
  }

  async storeCheckpoint(subscriptionId: string, position: number): Promise<void> {
    this.refuseWritesWhenReadOnly();
    this.statements.storeCheckpoint.run(subscriptionId, position);
  }

  async readSnapshot(streamName: string): Promise<StateSnapshot | null> {
    const row = this.statements.readSnapshot.get(streamName);
    return row ? { streamName, revision: row.revision, format: row.format, data: JSON.parse(unpackPayload(row.data)) } : null;
  }

  async writeSnapshots(snapshots: StateSnapshot[]): Promise<void> {
    this.refuseWritesWhenReadOnly();
    this.writeSnapshotsInTransaction.immediate(snapshots);
  }

  private refuseWritesWhenReadOnly(): void {
    if (this.readOnly) throw new EventStoreAccessError(this.path, 'is open read-only: nothing can be written through this connection');
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    const subscription = runCatchUpSubscription(this, options, (wake) => {
      this.appendListeners.add(wake);
      return () => this.appendListeners.delete(wake);
    });
    return trackUntilStopped(this.subscriptions, subscription);
  }

  async close(): Promise<void> {
    await stopAll(this.subscriptions);
    if (this.db.open) this.db.close();
  }
}

/** The least string above every string that starts with `prefix` (its last UTF-16 unit raised by one). */
export function prefixUpperBound(prefix: string): string {
  if (prefix.length === 0) return '\u{10FFFF}\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
