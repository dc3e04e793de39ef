import type Database from 'better-sqlite3';
import type { StoredPayload } from './payloadCodec.js';

/**
 * The SQLite file formats. The format is kept in PRAGMA user_version: 0 (never set) is format 1, the
 * schema before issue #15; 2 is the compact one below; 3 adds the message-claims table (issue #26).
 * A writer migrates format 1 and 2 in place (sqliteMigration.ts); a reader reads any of them.
 */
export const FORMAT_1 = 1;
export const FORMAT_2 = 2;
export const FORMAT_3 = 3;
export const CURRENT_FORMAT = FORMAT_3;
export type StoreFormat = typeof FORMAT_1 | typeof FORMAT_2 | typeof FORMAT_3;

/**
 * Format 2. What repeats is stored once and referenced by a small integer (stream names, event
 * types, metadata texts); what can be rebuilt is not stored (recorded_at when it is the canonical
 * form of recorded_ms, sqliteEncoding.ts); the indexes hold integers only.
 *
 * Idempotency: events_by_key is on (stream_id, event_key), event_key a 47-bit hash of event_id
 * (eventKeyOf): not unique, so the lookup compares event_id on the rows it finds. That an event id
 * is in a stream at most once is therefore enforced by the appender, not by a UNIQUE constraint:
 * it looks the id up and inserts in one transaction that holds the write lock from its start
 * (BEGIN IMMEDIATE), so no other connection or process can insert the same id in between.
 *
 * Column order matters: data goes last, so that reading the other columns (event_id on an
 * idempotency lookup, recorded_ms for asOf) never follows a large payload's overflow pages.
 */
export const FORMAT_2_SCHEMA = `
  -- One row per stream. id is assigned in the order streams get their first event (streams are never
  -- deleted, so an id is never reused); first_position keeps listStreams' order explicit.
  CREATE TABLE IF NOT EXISTS streams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL,                  -- of the stream's last event: read on every append
    first_position INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS event_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
  );
  -- Each distinct metadata text once (e.g. one correlation id for every event of a night); an event
  -- without metadata ({}) references none.
  CREATE TABLE IF NOT EXISTS event_metadata (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE                   -- JSON, exactly as stored for the events
  );
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, -- global position: commit order, never reused
    stream_id INTEGER NOT NULL,                 -- streams.id
    stream_revision INTEGER NOT NULL,
    event_key INTEGER NOT NULL,                 -- eventKeyOf(event_id)
    event_id TEXT NOT NULL,
    type_id INTEGER NOT NULL,                   -- event_types.id
    schema_version INTEGER NOT NULL,
    recorded_ms INTEGER NOT NULL,               -- the instant in ms since the epoch, for asOf
    recorded_at TEXT,                           -- as given, or NULL when it is canonicalRecordedAt(recorded_ms)
    metadata_id INTEGER,                        -- event_metadata.id, NULL for {}
    data BLOB NOT NULL                          -- JSON as TEXT, or a BLOB packed by payloadCodec.ts (BLOB affinity keeps either as it is)
  );
  -- Optimistic concurrency, and the index for reading a stream.
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, stream_revision);
  -- Idempotency (see above): not UNIQUE, two ids may share a key.
  CREATE INDEX IF NOT EXISTS events_by_key ON events (stream_id, event_key);
  -- One snapshot per stream (a cache of its folded state; the events stay the source of truth). By
  -- name, not stream id: a snapshot may be written for a stream without events, which must not
  -- become a stream.
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
  PRAGMA user_version = ${FORMAT_2};
`;

/**
 * Format 3 = format 2 and ingest's message claims (port.ts, MessageClaim): one row per message id, its
 * key and content hash as bytes (16 and 32), without a rowid, so that the primary key is the row
 * (about 60 bytes a claim, against a stream, an event row and two index entries before).
 */
export const FORMAT_3_ADDITION = `
  CREATE TABLE IF NOT EXISTS message_claims (
    key BLOB PRIMARY KEY,                       -- the message id's pseudonym (hex in the port)
    hash BLOB NOT NULL,                         -- sha256 of the content first received
    recorded_ms INTEGER NOT NULL                -- when it was first received
  ) WITHOUT ROWID;
  PRAGMA user_version = ${FORMAT_3};
`;

export const CURRENT_SCHEMA = `${FORMAT_2_SCHEMA}${FORMAT_3_ADDITION}`;

export const FORMAT_1_TABLES = ['events', 'streams', 'snapshots', 'checkpoints'];
export const FORMAT_2_TABLES = ['events', 'streams', 'event_types', 'event_metadata', 'snapshots', 'checkpoints'];
export const FORMAT_3_TABLES = [...FORMAT_2_TABLES, 'message_claims'];

export const tablesOfFormat = (format: StoreFormat): string[] =>
  format === FORMAT_1 ? FORMAT_1_TABLES : format === FORMAT_2 ? FORMAT_2_TABLES : FORMAT_3_TABLES;

/** An event as the read statements of either format give it. */
export interface EventRow {
  position: number;
  stream_name: string;
  stream_revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  /** NULL (format 2): the canonical form of recorded_ms. */
  recorded_at: string | null;
  recorded_ms: number;
  /** TEXT: the JSON as appended (all rows before payloads were packed, and small ones); BLOB: packed (payloadCodec.ts). */
  data: StoredPayload;
  /** NULL (format 2): {}. */
  metadata: string | null;
}

const FORMAT_1_SELECT =
  'SELECT position, stream_name, stream_revision, event_id, type, schema_version, recorded_at, recorded_ms, data, metadata FROM events';

// CROSS JOIN fixes the join order: the stream first (by name), then its events by events_by_stream.
const FORMAT_2_STREAM_SELECT = `SELECT e.position, s.name AS stream_name, e.stream_revision, e.event_id, t.name AS type, e.schema_version,
    e.recorded_at, e.recorded_ms, e.data, m.text AS metadata
  FROM streams s CROSS JOIN events e ON e.stream_id = s.id JOIN event_types t ON t.id = e.type_id LEFT JOIN event_metadata m ON m.id = e.metadata_id`;
// The events in position order first, then their stream, type and metadata by primary key.
const FORMAT_2_ALL_SELECT = `SELECT e.position, s.name AS stream_name, e.stream_revision, e.event_id, t.name AS type, e.schema_version,
    e.recorded_at, e.recorded_ms, e.data, m.text AS metadata
  FROM events e CROSS JOIN streams s ON s.id = e.stream_id JOIN event_types t ON t.id = e.type_id LEFT JOIN event_metadata m ON m.id = e.metadata_id`;

type Stmt<P extends unknown[], R = unknown> = Database.Statement<P, R>;

export interface ReadStatements {
  readStream: Stmt<[string, number], EventRow>;
  readStreamAsOf: Stmt<[string, number, number], EventRow>;
  readAll: Stmt<[number, number], EventRow>;
  listStreams: Stmt<[string, string], string>;
  readSnapshot: Stmt<[string], { revision: number; format: string; data: StoredPayload }>;
  loadCheckpoint: Stmt<[string], number>;
}

export interface WriteStatements {
  stream: Stmt<[string], { id: number; revision: number }>;
  hasEventId: Stmt<[number, number, string], 1>;
  insertEvent: Stmt<
    [number, number, number, string, number, number, number, string | null, number | null, StoredPayload]
  >;
  insertStream: Stmt<[string]>;
  updateStream: Stmt<[number, number]>;
  startStream: Stmt<[number, number, number]>;
  findType: Stmt<[string], number>;
  insertType: Stmt<[string]>;
  findMetadata: Stmt<[string], number>;
  insertMetadata: Stmt<[string]>;
  writeSnapshot: Stmt<[string, number, string, StoredPayload]>;
  storeCheckpoint: Stmt<[string, number]>;
  /** Inserts a claim unless its key is claimed: changes is 0 then. */
  insertClaim: Stmt<[Buffer, Buffer, number]>;
}

/** Reading claims: format 3 only (a reader of an older file has none to read). */
export interface ClaimReads {
  readClaim: Stmt<[Buffer], Buffer>;
  listClaims: Stmt<[Buffer, number], { key: Buffer; hash: Buffer; recorded_ms: number }>;
}

export function prepareClaimReads(db: Database.Database): ClaimReads {
  return {
    readClaim: db.prepare<[Buffer], Buffer>('SELECT hash FROM message_claims WHERE key = ?').pluck(),
    listClaims: db.prepare<[Buffer, number], { key: Buffer; hash: Buffer; recorded_ms: number }>(
      'SELECT key, hash, recorded_ms FROM message_claims WHERE key > ? ORDER BY key LIMIT ?',
    ),
  };
}

/** The read statements, the same for both formats in what they give. */
export function prepareReads(db: Database.Database, format: StoreFormat): ReadStatements {
  const f1 = format === FORMAT_1;
  return {
    readStream: db.prepare<[string, number], EventRow>(
      f1
        ? `${FORMAT_1_SELECT} WHERE stream_name = ? AND stream_revision >= ? ORDER BY stream_revision`
        : `${FORMAT_2_STREAM_SELECT} WHERE s.name = ? AND e.stream_revision >= ? ORDER BY e.stream_revision`,
    ),
    readStreamAsOf: db.prepare<[string, number, number], EventRow>(
      f1
        ? `${FORMAT_1_SELECT} WHERE stream_name = ? AND stream_revision >= ? AND recorded_ms <= ? ORDER BY stream_revision`
        : `${FORMAT_2_STREAM_SELECT} WHERE s.name = ? AND e.stream_revision >= ? AND e.recorded_ms <= ? ORDER BY e.stream_revision`,
    ),
    // LIMIT -1 means no limit.
    readAll: db.prepare<[number, number], EventRow>(
      f1
        ? `${FORMAT_1_SELECT} WHERE position > ? ORDER BY position LIMIT ?`
        : `${FORMAT_2_ALL_SELECT} WHERE e.position > ? ORDER BY e.position LIMIT ?`,
    ),
    // Every name that starts with the prefix sorts in [prefix, prefixUpperBound(prefix)).
    listStreams: db
      .prepare<[string, string], string>(
        f1
          ? 'SELECT stream_name FROM streams WHERE stream_name >= ? AND stream_name < ? ORDER BY first_position'
          : 'SELECT name FROM streams WHERE name >= ? AND name < ? ORDER BY first_position',
      )
      .pluck(),
    readSnapshot: db.prepare<[string], { revision: number; format: string; data: StoredPayload }>(
      'SELECT revision, format, data FROM snapshots WHERE stream_name = ?',
    ),
    loadCheckpoint: db.prepare<[string], number>('SELECT position FROM checkpoints WHERE subscription_id = ?').pluck(),
  };
}

/** The write statements: the current format only (a writer migrates older ones at open). */
export function prepareWrites(db: Database.Database): WriteStatements {
  return {
    stream: db.prepare<[string], { id: number; revision: number }>('SELECT id, revision FROM streams WHERE name = ?'),
    hasEventId: db
      .prepare<[number, number, string], 1>(
        'SELECT 1 FROM events WHERE stream_id = ? AND event_key = ? AND event_id = ?',
      )
      .pluck(),
    insertEvent: db.prepare<
      [number, number, number, string, number, number, number, string | null, number | null, StoredPayload]
    >(
      `INSERT INTO events (stream_id, stream_revision, event_key, event_id, type_id, schema_version, recorded_ms, recorded_at, metadata_id, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // first_position is set once the stream's first event has its position (in the same transaction).
    insertStream: db.prepare<[string]>('INSERT INTO streams (name, revision, first_position) VALUES (?, -1, 0)'),
    updateStream: db.prepare<[number, number]>('UPDATE streams SET revision = ? WHERE id = ?'),
    startStream: db.prepare<[number, number, number]>(
      'UPDATE streams SET revision = ?, first_position = ? WHERE id = ?',
    ),
    findType: db.prepare<[string], number>('SELECT id FROM event_types WHERE name = ?').pluck(),
    insertType: db.prepare<[string]>('INSERT INTO event_types (name) VALUES (?)'),
    findMetadata: db.prepare<[string], number>('SELECT id FROM event_metadata WHERE text = ?').pluck(),
    insertMetadata: db.prepare<[string]>('INSERT INTO event_metadata (text) VALUES (?)'),
    writeSnapshot: db.prepare<[string, number, string, StoredPayload]>(
      `INSERT INTO snapshots (stream_name, revision, format, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision, format = excluded.format, data = excluded.data
       WHERE excluded.revision >= snapshots.revision`,
    ),
    storeCheckpoint: db.prepare<[string, number]>(
      'INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?) ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position',
    ),
    insertClaim: db.prepare<[Buffer, Buffer, number]>(
      'INSERT INTO message_claims (key, hash, recorded_ms) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
    ),
  };
}
