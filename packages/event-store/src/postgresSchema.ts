/**
 * The PostgreSQL adapter's schema, as numbered migrations applied on open, and the statements it
 * runs. Kept apart from the adapter so that the tests can check a statement's plan.
 */

/**
 * Advisory lock keys (the two-int form, so they cannot collide with one-bigint keys of others).
 * COMMIT_ORDER is held by every transaction that appends, from before it reads the streams'
 * revisions until it commits; MIGRATIONS by whoever migrates the schema.
 */
export const LOCK_NAMESPACE = 0x45_53_54_52; // 'ESTR'
export const COMMIT_ORDER_LOCK = 1;
export const MIGRATIONS_LOCK = 2;

/** Applied in order, each once (recorded in schema_migrations); never edit one that has shipped. */
export const MIGRATIONS: readonly string[] = [
  `
  -- Stream names are compared byte for byte (collation "C"): a btree on them then also serves
  -- LIKE 'prefix%', whatever the database's locale.
  CREATE TABLE events (
    position bigint PRIMARY KEY,                 -- global position: commit order, assigned under COMMIT_ORDER_LOCK
    stream_name text COLLATE "C" NOT NULL,
    stream_revision integer NOT NULL,
    event_id text NOT NULL,
    type text NOT NULL,
    schema_version integer NOT NULL,
    recorded_at text NOT NULL,                   -- as given, so that it round-trips exactly
    recorded_ms bigint NOT NULL,                 -- the same instant in ms since the epoch, for asOf
    data text NOT NULL,                          -- JSON text exactly as appended (jsonb would reorder keys)
    metadata text NOT NULL,                      -- JSON
    UNIQUE (stream_name, stream_revision),       -- optimistic concurrency; also the index for reading a stream
    UNIQUE (stream_name, event_id)               -- idempotency
  );
  -- One row per stream: its current revision (read on every append) and where it began (listStreams order).
  CREATE TABLE streams (
    stream_name text COLLATE "C" PRIMARY KEY,
    revision integer NOT NULL,
    first_position bigint NOT NULL
  );
  -- One snapshot per stream (a cache of its folded state; the events stay the source of truth).
  CREATE TABLE snapshots (
    stream_name text COLLATE "C" PRIMARY KEY,
    revision integer NOT NULL,
    format text NOT NULL,
    data text NOT NULL                           -- JSON
  );
  CREATE TABLE checkpoints (
    subscription_id text PRIMARY KEY,
    position bigint NOT NULL
  );
  `,
  `
  -- Packed payloads (payloadCodec.ts: a codec tag byte, then the compressed JSON): a row holds its JSON
  -- either as text in data (every row written before this migration, and small payloads) or packed
  -- in data_packed, never both. Adding a nullable column and dropping NOT NULL rewrite no rows; the
  -- checks are NOT VALID so that the migration does not scan the table under its lock: the rows before
  -- it satisfy them by construction (data NOT NULL, data_packed absent), every later row is checked.
  ALTER TABLE events
    ADD COLUMN data_packed bytea,
    ALTER COLUMN data DROP NOT NULL,
    ADD CONSTRAINT events_data_or_packed CHECK ((data IS NULL) <> (data_packed IS NULL)) NOT VALID;
  ALTER TABLE snapshots
    ADD COLUMN data_packed bytea,
    ALTER COLUMN data DROP NOT NULL,
    ADD CONSTRAINT snapshots_data_or_packed CHECK ((data IS NULL) <> (data_packed IS NULL)) NOT VALID;
  `,
];

export const EVENT_COLUMNS = 'position, stream_name, stream_revision, event_id, type, schema_version, recorded_at, data, data_packed, metadata';

export interface EventRow {
  position: string; // int8 arrives as text
  stream_name: string;
  stream_revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  recorded_at: string;
  /** The JSON as appended, or null when it is packed in data_packed. */
  data: string | null;
  data_packed: Buffer | null;
  metadata: string;
}

export interface SnapshotRow {
  revision: number;
  format: string;
  data: string | null;
  data_packed: Buffer | null;
}

export const SQL = {
  /** Run under COMMIT_ORDER_LOCK, in a statement after the one that took it (its snapshot then sees every earlier commit). */
  appendState: `
    SELECT
      (SELECT coalesce(max(position), 0) FROM events)::text AS head,
      (SELECT coalesce(json_object_agg(stream_name, revision), '{}') FROM streams WHERE stream_name = ANY($1::text[])) AS revisions,
      (SELECT coalesce(json_agg(json_build_array(e.stream_name, e.event_id)), '[]')
         FROM events e JOIN unnest($2::text[], $3::text[]) AS wanted(stream_name, event_id)
           ON e.stream_name = wanted.stream_name AND e.event_id = wanted.event_id) AS known`,
  /** Every event of the batch in one statement (arrays, one per column), and the streams' rows with them. */
  insertEvents: `
    WITH inserted AS (
      INSERT INTO events (position, stream_name, stream_revision, event_id, type, schema_version, recorded_at, recorded_ms, data, data_packed, metadata)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::bigint[], $9::text[], $10::bytea[], $11::text[])
    )
    INSERT INTO streams (stream_name, revision, first_position)
    SELECT * FROM unnest($12::text[], $13::integer[], $14::bigint[])
    ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision`,
  readStream: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = $1 AND stream_revision >= $2 AND ($3::bigint IS NULL OR recorded_ms <= $3) ORDER BY stream_revision`,
  // LIMIT NULL means no limit.
  readAll: `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
  /** $1 is a LIKE pattern: the prefix with % _ \ escaped, then %. */
  listStreams: `SELECT stream_name FROM streams WHERE stream_name LIKE $1 ORDER BY first_position`,
  readSnapshot: 'SELECT revision, format, data, data_packed FROM snapshots WHERE stream_name = $1',
  /** An older snapshot (a slower worker finishing late) never replaces a newer one. */
  writeSnapshots: `
    INSERT INTO snapshots (stream_name, revision, format, data, data_packed)
    SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::bytea[])
    ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision, format = excluded.format, data = excluded.data, data_packed = excluded.data_packed
    WHERE excluded.revision >= snapshots.revision`,
  loadCheckpoint: 'SELECT position::text AS position FROM checkpoints WHERE subscription_id = $1',
  storeCheckpoint: `
    INSERT INTO checkpoints (subscription_id, position) VALUES ($1, $2)
    ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position`,
} as const;

/** The LIKE pattern matching every string that starts with `prefix`. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
