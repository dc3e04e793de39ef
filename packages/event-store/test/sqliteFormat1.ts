import Database from 'better-sqlite3';
import type { StoredPayload } from '../src/payloadCodec.js';

/**
 * A store in format 1, the SQLite schema before issue #15 (copied verbatim from the writer of that
 * time), written with raw SQL: what an old installation's file holds, for the migration tests.
 */
const FORMAT_1_SCHEMA = `
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

export interface Format1Event {
  streamName: string;
  revision: number;
  eventId: string;
  type: string;
  schemaVersion?: number;
  recordedAt: string;
  /** Default: Date.parse(recordedAt), what the old writer stored. */
  recordedMs?: number;
  /** TEXT (before packing, or small) or a packed BLOB. */
  data: StoredPayload;
  metadata?: string;
}

export interface Format1Store {
  events: Format1Event[];
  snapshots?: Array<{ streamName: string; revision: number; format: string; data: StoredPayload }>;
  checkpoints?: Array<{ subscriptionId: string; position: number }>;
  /** Positions to leave unused before each event (the old writer's positions need not be contiguous). */
  gapBefore?: Record<number, number>;
}

/** Writes `store` into a new format-1 file at `path`, as the old writer would have; returns the events' positions. */
export function writeFormat1Store(path: string, store: Format1Store): number[] {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(FORMAT_1_SCHEMA);
    const insert = db.prepare(
      'INSERT INTO events (position, stream_name, stream_revision, event_id, type, schema_version, recorded_at, recorded_ms, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const positions: number[] = [];
    let position = 0;
    db.transaction(() => {
      store.events.forEach((e, i) => {
        position += 1 + (store.gapBefore?.[i] ?? 0);
        insert.run(
          position,
          e.streamName,
          e.revision,
          e.eventId,
          e.type,
          e.schemaVersion ?? 1,
          e.recordedAt,
          e.recordedMs ?? Date.parse(e.recordedAt),
          e.data,
          e.metadata ?? '{}',
        );
        positions.push(position);
        if (e.revision === 0)
          db.prepare('INSERT INTO streams (stream_name, revision, first_position) VALUES (?, 0, ?)').run(
            e.streamName,
            position,
          );
        else db.prepare('UPDATE streams SET revision = ? WHERE stream_name = ?').run(e.revision, e.streamName);
      });
      for (const s of store.snapshots ?? [])
        db.prepare('INSERT INTO snapshots (stream_name, revision, format, data) VALUES (?, ?, ?, ?)').run(
          s.streamName,
          s.revision,
          s.format,
          s.data,
        );
      for (const c of store.checkpoints ?? [])
        db.prepare('INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?)').run(
          c.subscriptionId,
          c.position,
        );
    })();
    return positions;
  } finally {
    db.close();
  }
}
