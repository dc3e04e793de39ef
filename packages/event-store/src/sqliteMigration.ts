import type Database from 'better-sqlite3';
import { eventKeyOf, EMPTY_METADATA, storedRecordedAt } from './sqliteEncoding.js';
import { FORMAT_2_SCHEMA } from './sqliteSchema.js';

/**
 * Format 1 → 2 in place, in the caller's transaction (it holds the write lock: BEGIN IMMEDIATE), so
 * that a failure leaves the store as it was. Every event keeps its position, stream, revision, event
 * id, type, schema version, recordedAt text, metadata text and stored payload (TEXT or packed BLOB)
 * exactly; snapshots and checkpoints are the same tables in both formats and stay as they are.
 *
 * The file does not shrink by this alone (the old rows' pages become free pages, and while both
 * copies exist it grows by the new one): compactAfterMigration gives them back.
 */
export function migrateFormat1To2(db: Database.Database): void {
  db.function('event_key_of', { deterministic: true }, (eventId: unknown) => eventKeyOf(String(eventId)));
  db.function('stored_recorded_at', { deterministic: true }, (recordedAt: unknown, recordedMs: unknown) =>
    storedRecordedAt(String(recordedAt), Number(recordedMs)),
  );
  db.exec(`
    ALTER TABLE events RENAME TO events_format1;
    ALTER TABLE streams RENAME TO streams_format1;
    DROP INDEX IF EXISTS streams_by_first_position;
    ${FORMAT_2_SCHEMA}
    -- From the events themselves (the source of truth; the same as streams_format1 in a sound store).
    -- Ids in order of the first event, as appends assign them.
    INSERT INTO streams (id, name, revision, first_position)
      SELECT row_number() OVER (ORDER BY min(position)), stream_name, max(stream_revision), min(position)
      FROM events_format1 GROUP BY stream_name ORDER BY min(position);
    INSERT INTO event_types (name) SELECT type FROM events_format1 GROUP BY type ORDER BY min(position);
    INSERT INTO event_metadata (text)
      SELECT metadata FROM events_format1 WHERE metadata <> '${EMPTY_METADATA}' GROUP BY metadata ORDER BY min(position);
    INSERT INTO events (position, stream_id, stream_revision, event_key, event_id, type_id, schema_version, recorded_ms, recorded_at, metadata_id, data)
      SELECT e.position, s.id, e.stream_revision, event_key_of(e.event_id), e.event_id, t.id, e.schema_version, e.recorded_ms,
             stored_recorded_at(e.recorded_at, e.recorded_ms), m.id, e.data
      FROM events_format1 e
      JOIN streams s ON s.name = e.stream_name
      JOIN event_types t ON t.name = e.type
      LEFT JOIN event_metadata m ON m.text = e.metadata
      ORDER BY e.position;
    -- AUTOINCREMENT's high-water mark goes with the events: a position is never handed out twice.
    INSERT INTO sqlite_sequence (name, seq) SELECT 'events', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events');
    UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events_format1'), 0)) WHERE name = 'events';
    DROP TABLE events_format1;
    DROP TABLE streams_format1;
  `);
}

const mayWait = (code: string) =>
  code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === 'SQLITE_FULL';

/**
 * After a migration has committed: VACUUM gives the old rows' pages back to the file system (about
 * 0.5 s for a 58 MB store of 2,000 households; once per store). Optional: when VACUUM cannot run
 * now (another process holds the write lock past busy_timeout, or the disk has no room for the copy
 * it makes), the free pages stay in the file and later appends reuse them; VACUUM by hand later
 * shrinks it then.
 *
 * Then a PASSIVE checkpoint copies what it can of the WAL (which holds the whole migration) into the
 * file. Not TRUNCATE: that waits for every reader to move to the newest snapshot, and a process that
 * opened the file meanwhile and waits for our write lock keeps an old one: both would wait.
 */
export function compactAfterMigration(db: Database.Database): void {
  try {
    db.exec('VACUUM');
  } catch (err) {
    if (!mayWait(String((err as { code?: unknown }).code ?? ''))) throw err;
  }
  db.pragma('wal_checkpoint(PASSIVE)');
}
