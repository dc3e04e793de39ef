import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkExpectedRevision, instantOf, newEventsOnly } from './appendRules.js';
import { packPayload, unpackPayload } from './payloadCodec.js';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedRevision,
  ListClaimsOptions,
  MessageClaim,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordedEventText,
  StreamRead,
  StateSnapshot,
  Subscription,
  SubscriptionOptions,
} from './port.js';
import { EMPTY_METADATA, eventKeyOf, recordedAtOf, storedRecordedAt } from './sqliteEncoding.js';
import {
  EventStoreAccessError,
  EventStoreDamagedError,
  EventStoreFormatError,
  EventStoreMigrationError,
  EventStoreNotFoundError,
  openError,
} from './sqliteErrors.js';
import { InternedTexts } from './sqliteIntern.js';
import { openReadOnly, removeCopy } from './sqliteReadOnly.js';
import { compactAfterMigration, migrateFormat1To2 } from './sqliteMigration.js';
import { SqliteClaims } from './sqliteClaims.js';
import {
  CURRENT_FORMAT,
  CURRENT_SCHEMA,
  FORMAT_1,
  FORMAT_2,
  FORMAT_3,
  FORMAT_3_ADDITION,
  prepareReads,
  tablesOfFormat,
  prepareWrites,
  type EventRow,
  type ReadStatements,
  type StoreFormat,
  type WriteStatements,
} from './sqliteSchema.js';
import { runCatchUpSubscription, stopAll, trackUntilStopped } from './subscription.js';

export {
  EventStoreAccessError,
  EventStoreDamagedError,
  EventStoreFormatError,
  EventStoreMigrationError,
  EventStoreNotFoundError,
} from './sqliteErrors.js';

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

/**
 * PRAGMA quick_check: the structure of every page and index (not index contents against rows, which
 * integrity_check adds at many times the cost). Anything but `ok` refuses the store.
 */
function checkIntegrity(db: Database.Database, path: string): void {
  const problems = db.prepare<[], string>('PRAGMA quick_check(5)').pluck().all();
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new EventStoreDamagedError(
      path,
      problems
        .flatMap((p) => p.split('\n'))
        .map((p) => p.trim())
        .filter((p) => p && !p.startsWith('***'))
        .join('; '),
    );
  }
}

/** How long a writer waits for another's write lock (an append, a group of commits). */
const BUSY_TIMEOUT_MS = 5000;
/** How long an open waits for another process's migration of the same file (about 1 s per 30 MB). */
const MIGRATION_WAIT_MS = 600_000;

const tablesOf = (db: Database.Database) =>
  db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();

/** The format of a file that has an events table (sqliteSchema.ts): user_version 0 is format 1. */
function formatOf(db: Database.Database, path: string): StoreFormat {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0) return FORMAT_1;
  if (version === FORMAT_2 || version === FORMAT_3) return version;
  throw new EventStoreFormatError(path, version, CURRENT_FORMAT);
}

/**
 * Makes the file a store of the current format, under the write lock: creates the schema in a file
 * without tables, migrates format 1 (true when it did: its rows were rewritten) and adds format 3's
 * claims table to format 2 (no row rewritten). Whatever another process did before the lock was taken
 * is looked at again inside it (two writers opening a new file at once create the schema once).
 */
function upgradeToCurrentFormat(db: Database.Database, path: string): boolean {
  return db
    .transaction(() => {
      if (!tablesOf(db).includes('events')) {
        db.exec(CURRENT_SCHEMA);
        return false;
      }
      const format = formatOf(db, path);
      if (format === FORMAT_1) {
        try {
          migrateFormat1To2(db);
        } catch (err) {
          // Thrown out of the transaction, which rolls the whole migration back.
          throw new EventStoreMigrationError(path, FORMAT_1, FORMAT_2, err);
        }
      }
      if (format !== FORMAT_3) db.exec(FORMAT_3_ADDITION);
      return format === FORMAT_1;
    })
    .immediate();
}

function toRecordedEventText(row: EventRow): RecordedEventText {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    recordedAt: recordedAtOf(row.recorded_at, row.recorded_ms),
    dataText: unpackPayload(row.data),
    metadata: JSON.parse(row.metadata ?? EMPTY_METADATA),
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
  readonly reads = 'in-process' as const;
  /** The file format read (sqliteSchema.ts); a writer has always migrated to the current one. */
  private storeFormat: StoreFormat;
  private readonly db: Database.Database;
  private statements: ReadStatements;
  /** Undefined when read-only (every write is refused before it would be used). */
  private readonly writes: WriteStatements | undefined;
  private readonly types: InternedTexts | undefined;
  private readonly metadataTexts: InternedTexts | undefined;
  private readonly appendInTransaction: Database.Transaction<
    (requests: AppendRequest[], claims: readonly MessageClaim[]) => AppendResult[]
  >;
  private claims: SqliteClaims;
  private readonly writeSnapshotsInTransaction: Database.Transaction<(snapshots: StateSnapshot[]) => void>;
  private readonly appendListeners = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private groupDepth = 0;
  readonly readOnly: boolean;
  /** A reader on read-only media reads a private copy (sqliteReadOnly.ts), removed at close. */
  private readonly copyDir: string | undefined;

  /**
   * `path`: a file or ':memory:'. Opening checks the file (quick_check): a damaged one is refused with
   * EventStoreDamagedError, a missing one (modes `existing`, `read-only`) with EventStoreNotFoundError.
   * A writable open migrates a store of format 1 to the current format (one transaction); a
   * read-only one reads it as it is. A format newer than this version's: EventStoreFormatError.
   */
  constructor(
    readonly path: string,
    options: SqliteOpenOptions = {},
  ) {
    this.name = `sqlite:${path}`;
    const mode = path === ':memory:' ? 'create' : (options.mode ?? 'create');
    this.readOnly = mode === 'read-only';
    let db: Database.Database | undefined;
    let copyDir: string | undefined;
    let format: StoreFormat;
    try {
      if (mode !== 'create' && !existsSync(path)) throw new EventStoreNotFoundError(path);
      if (mode === 'create' && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      if (this.readOnly) {
        const opened = openReadOnly(path);
        db = opened.db;
        copyDir = opened.copyDir;
      } else {
        // SQLite would open a file it cannot write read-only without a word, and fail at the first append.
        if (path !== ':memory:' && existsSync(path)) accessSync(path, constants.W_OK);
        db = new Database(path, { readonly: false, fileMustExist: mode !== 'create' });
      }
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (options.check ?? true) checkIntegrity(db, path);
      const tables = tablesOf(db);
      if (!tables.includes('events') && (tables.length > 0 || mode !== 'create')) {
        throw new EventStoreNotFoundError(
          path,
          tables.length > 0
            ? 'the file is a SQLite database of something else: it has no events table'
            : 'the file holds no events',
        );
      }
      format = tables.includes('events') ? formatOf(db, path) : CURRENT_FORMAT;
      if (!this.readOnly) {
        db.pragma('journal_mode = WAL');
        // With WAL, NORMAL syncs at checkpoints only: a power cut may lose the last commits, never corrupts.
        db.pragma('synchronous = NORMAL');
        if (format !== CURRENT_FORMAT || !tables.includes('events')) {
          // Another process may be migrating the same file (worker processes start together after an
          // upgrade): wait for it as long as a large store's migration takes, then find it done.
          db.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
          let migrated: boolean;
          try {
            migrated = upgradeToCurrentFormat(db, path);
          } finally {
            db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
          }
          if (migrated) compactAfterMigration(db);
        }
        format = CURRENT_FORMAT;
      }
      const present = tablesOf(db);
      const missing = tablesOfFormat(format).filter((t) => !present.includes(t));
      if (missing.length > 0)
        throw new EventStoreNotFoundError(path, `the file lacks the tables ${missing.join(', ')}`);
    } catch (err) {
      if (db?.open) db.close();
      removeCopy(copyDir);
      throw openError(path, err, mode);
    }
    this.db = db!;
    this.copyDir = copyDir;
    this.storeFormat = format;
    this.statements = prepareReads(this.db, format);
    this.writes = this.readOnly ? undefined : prepareWrites(this.db);
    this.types = this.writes && new InternedTexts(this.writes.findType, this.writes.insertType);
    this.metadataTexts = this.writes && new InternedTexts(this.writes.findMetadata, this.writes.insertMetadata);
    // Anything thrown inside (a WrongExpectedRevisionError in any request) rolls the whole batch back.
    this.writeSnapshotsInTransaction = this.db.transaction((snapshots: StateSnapshot[]) => {
      for (const x of snapshots)
        this.writes!.writeSnapshot.run(x.streamName, x.revision, x.format, packPayload(JSON.stringify(x.data)));
    });
    this.claims = new SqliteClaims(this.db, format === FORMAT_3, this.writes);
    this.appendInTransaction = this.db.transaction((requests: AppendRequest[], claims: readonly MessageClaim[]) => {
      this.claims.insert(claims, true);
      return requests.map((r) => this.appendOne(r.streamName, r.events, r.expectedRevision ?? 'any'));
    });
  }

  private appendOne(streamName: string, events: NewEvent[], expected: ExpectedRevision): AppendResult {
    const w = this.writes!;
    const stream = w.stream.get(streamName);
    const current = stream?.revision ?? -1;
    // A stream that does not exist yet holds no ids: skip the lookups. The lookup compares the text
    // (event keys are not unique); the write lock held since BEGIN IMMEDIATE keeps it true until the insert.
    const fresh = newEventsOnly(
      events,
      (id) => stream !== undefined && w.hasEventId.get(stream.id, eventKeyOf(id), id) !== undefined,
    );
    if (fresh.length === 0) return { nextExpectedRevision: current, lastGlobalPosition: null, appended: 0 };
    checkExpectedRevision(streamName, expected, current);
    const streamId = stream?.id ?? Number(w.insertStream.run(streamName).lastInsertRowid);
    let revision = current;
    let firstPosition = 0;
    let lastPosition = 0;
    for (const e of fresh) {
      revision++;
      const recordedMs = instantOf(e.recordedAt, `recordedAt of event ${e.eventId}`);
      const metadata = JSON.stringify(e.metadata ?? {});
      const inserted = w.insertEvent.run(
        streamId,
        revision,
        eventKeyOf(e.eventId),
        e.eventId,
        this.types!.idOf(e.type),
        e.schemaVersion,
        recordedMs,
        storedRecordedAt(e.recordedAt, recordedMs),
        metadata === EMPTY_METADATA ? null : this.metadataTexts!.idOf(metadata),
        packPayload(JSON.stringify(e.data ?? null)),
      );
      lastPosition = Number(inserted.lastInsertRowid);
      if (revision === 0) firstPosition = lastPosition;
    }
    if (stream === undefined) w.startStream.run(revision, firstPosition, streamId);
    else w.updateStream.run(revision, streamId);
    return { nextExpectedRevision: revision, lastGlobalPosition: lastPosition, appended: fresh.length };
  }

  /** After a rollback: the interned ids it inserted are gone (sqliteIntern.ts). */
  private forgetInterned(): void {
    this.types?.forget();
    this.metadataTexts?.forget();
  }

  async append(
    streamName: string,
    events: NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([
      { streamName, events, expectedRevision: options.expectedRevision ?? 'any' },
    ]);
    return result!;
  }

  /** All requests and claims in one transaction: all or nothing. */
  async appendMany(requests: AppendRequest[], claims: readonly MessageClaim[] = []): Promise<AppendResult[]> {
    this.refuseWritesWhenReadOnly();
    // IMMEDIATE takes the write lock before the revisions are read, so another process cannot slip
    // in between (a deferred transaction would fail with SQLITE_BUSY_SNAPSHOT instead of waiting).
    let results: AppendResult[];
    try {
      results = this.appendInTransaction.immediate(requests, claims);
    } catch (err) {
      this.forgetInterned();
      throw err;
    }
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
      if (--this.groupDepth === 0) this.endGroup();
    }
  }

  private endGroup(): void {
    // Not in a transaction any more: SQLite rolled it back itself (e.g. the disk is full).
    if (!this.db.inTransaction) return this.forgetInterned();
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      this.forgetInterned();
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  get format(): StoreFormat {
    return this.storeFormat;
  }

  /**
   * A read, on the format the store is in now. A reader of a format-1 store whose file a writer has
   * migrated meanwhile finds the old tables gone (its statements fail): it reads on in the format found.
   */
  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (this.storeFormat !== FORMAT_1 || formatOf(this.db, this.path) === FORMAT_1) throw err;
      this.storeFormat = formatOf(this.db, this.path);
      this.statements = prepareReads(this.db, this.storeFormat);
      this.claims = new SqliteClaims(this.db, this.storeFormat === FORMAT_3, this.writes);
      return read();
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.rowsOfStream(streamName, options).map(toRecordedEvent);
  }

  private rowsOfStream(streamName: string, options: ReadStreamOptions): EventRow[] {
    const fromRevision = options.fromRevision ?? 0;
    const asOfMs = options.asOf !== undefined ? instantOf(options.asOf, 'asOf') : undefined;
    return asOfMs !== undefined
      ? this.reading(() => this.statements.readStreamAsOf.all(streamName, fromRevision, asOfMs))
      : this.reading(() => this.statements.readStream.all(streamName, fromRevision));
  }

  /** In-process: a prepared statement per stream costs no round trip. */
  async readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    return reads.map((r) =>
      this.rowsOfStream(r.streamName, { fromRevision: r.fromRevision ?? 0 }).map(toRecordedEvent),
    );
  }

  async readStreamText(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEventText[]> {
    return this.rowsOfStream(streamName, options).map(toRecordedEventText);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.reading(() => this.statements.readAll.all(options.fromPosition ?? 0, options.maxCount ?? -1)).map(
      toRecordedEvent,
    );
  }

  async listStreams(prefix: string): Promise<string[]> {
    // [prefix, prefix with its last character raised by one): every name that starts with the prefix,
    // whatever follows (a bound of prefix + U+10FFFF missed names that go on after that character).
    return this.reading(() => this.statements.listStreams.all(prefix, prefixUpperBound(prefix)));
  }

  async loadCheckpoint(subscriptionId: string): Promise<number | null> {
    return this.statements.loadCheckpoint.get(subscriptionId) ?? null;
  }

  async storeCheckpoint(subscriptionId: string, position: number): Promise<void> {
    this.refuseWritesWhenReadOnly();
    this.writes!.storeCheckpoint.run(subscriptionId, position);
  }

  async readSnapshot(streamName: string): Promise<StateSnapshot | null> {
    const row = this.statements.readSnapshot.get(streamName);
    return row
      ? { streamName, revision: row.revision, format: row.format, data: JSON.parse(unpackPayload(row.data)) }
      : null;
  }

  /** In-process: a prepared statement per stream costs no round trip. */
  async readSnapshots(streamNames: readonly string[]): Promise<(StateSnapshot | null)[]> {
    return Promise.all(streamNames.map((name) => this.readSnapshot(name)));
  }

  async writeSnapshots(snapshots: StateSnapshot[]): Promise<void> {
    this.refuseWritesWhenReadOnly();
    this.writeSnapshotsInTransaction.immediate(snapshots);
  }

  private refuseWritesWhenReadOnly(): void {
    if (this.readOnly)
      throw new EventStoreAccessError(this.path, 'is open read-only: nothing can be written through this connection');
  }

  async readClaims(keys: readonly string[]): Promise<Map<string, string>> {
    return this.reading(() => this.claims.read(keys));
  }

  async writeClaims(claims: readonly MessageClaim[]): Promise<void> {
    this.refuseWritesWhenReadOnly();
    this.db.transaction(() => this.claims.insert(claims, false)).immediate();
  }

  async listClaims(options: ListClaimsOptions): Promise<MessageClaim[]> {
    return this.reading(() => this.claims.list(options));
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
    removeCopy(this.copyDir);
  }
}

/** The least string above every string that starts with `prefix` (its last UTF-16 unit raised by one). */
export function prefixUpperBound(prefix: string): string {
  if (prefix.length === 0) return '\u{10FFFF}\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
