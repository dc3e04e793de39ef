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
  `
  -- The compact layout (issue #15: <= 20 KiB per household-year). What every event repeated is stored
  -- once and referred to by an integer:
  -- * streams get integer ids, assigned in the order of their first event (so listStreams orders by
  --   id, and first_position is not needed); events are keyed by (stream_id, stream_revision);
  -- * an event's type, schema version and metadata text are interned in event_headers: nearly every
  --   event of a night carries the same {"correlationId":"nightly:..."};
  -- * recorded_at is NULL where it is exactly what canonicalInstant(recorded_ms) rebuilds
  --   (postgresRows.ts); the expression below nulls only forms for which SQL and JS print the same;
  -- * idempotency: an index on (stream_id, hashtext(event_id)) instead of (stream_name, event_id),
  --   the text compared on the candidates. It is not UNIQUE: the appender, which holds
  --   COMMIT_ORDER_LOCK, never writes an event id its stream already has. hashtext is in the index
  --   only, never stored: a dump and restore rebuilds it with the server's own function.
  -- Rows are copied exactly (positions, revisions, ids, payloads as text or packed); new tables are
  -- filled before their indexes are built, then take the old names. Appenders wait meanwhile.
  SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${COMMIT_ORDER_LOCK});
  CREATE TABLE event_headers (
    id integer PRIMARY KEY,
    type text COLLATE "C" NOT NULL,
    schema_version integer NOT NULL,
    metadata text COLLATE "C" NOT NULL            -- JSON text as appended
  );
  INSERT INTO event_headers (id, type, schema_version, metadata)
    SELECT row_number() OVER (ORDER BY min(position)), type, schema_version, metadata
    FROM events GROUP BY type, schema_version, metadata;
  CREATE INDEX event_headers_by_metadata ON event_headers (hashtext(metadata));

  CREATE TABLE streams_3 (
    id integer NOT NULL,
    name text COLLATE "C" NOT NULL,
    revision integer NOT NULL
  );
  INSERT INTO streams_3 (id, name, revision)
    SELECT row_number() OVER (ORDER BY first_position), stream_name, revision FROM streams;

  -- Fixed-width columns first: no alignment padding between them.
  CREATE TABLE events_3 (
    position bigint NOT NULL,
    recorded_ms bigint NOT NULL,
    stream_id integer NOT NULL,
    stream_revision integer NOT NULL,
    header_id integer NOT NULL,
    event_id text COLLATE "C" NOT NULL,
    recorded_at text,
    data text,
    data_packed bytea
  );
  INSERT INTO events_3 (position, recorded_ms, stream_id, stream_revision, header_id, event_id, recorded_at, data, data_packed)
    SELECT e.position, e.recorded_ms, s.id, e.stream_revision, h.id, e.event_id,
      CASE WHEN e.recorded_ms BETWEEN -30610224000000 AND 253402300799999  -- years 1000 to 9999
            AND e.recorded_at = to_char(timestamp '1970-01-01 00:00:00' + e.recorded_ms * interval '1 millisecond',
                  CASE WHEN e.recorded_ms % 1000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"' END)
           THEN NULL ELSE e.recorded_at END,
      e.data, e.data_packed
    FROM events e
    JOIN streams_3 s ON s.name = e.stream_name
    JOIN event_headers h ON h.type = e.type AND h.schema_version = e.schema_version AND h.metadata = e.metadata
    ORDER BY e.position;

  DROP TABLE events;
  DROP TABLE streams;
  ALTER TABLE streams_3 RENAME TO streams;
  ALTER TABLE streams
    ADD CONSTRAINT streams_pkey PRIMARY KEY (id),
    ADD CONSTRAINT streams_name_key UNIQUE (name);  -- also serves LIKE 'prefix%' (collation "C")
  ALTER TABLE events_3 RENAME TO events;
  ALTER TABLE events
    ADD CONSTRAINT events_pkey PRIMARY KEY (position),  -- readAll and subscriptions: commit order
    ADD CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision),  -- optimistic concurrency; reading a stream
    ADD CONSTRAINT events_data_or_packed CHECK ((data IS NULL) <> (data_packed IS NULL));
  CREATE INDEX events_by_event_id ON events (stream_id, hashtext(event_id));
  -- Every snapshot is rewritten every night: room on its page lets the new version be a HOT update
  -- (no index entry, the old version pruned on the page) instead of a new row elsewhere.
  ALTER TABLE snapshots SET (fillfactor = 50);
  `,
  `
  -- Ingest's message claims (issue #26; port.ts, MessageClaim): one narrow row per message id, its key
  -- and content hash as bytes, instead of a stream, an event row and three index entries each.
  CREATE TABLE message_claims (
    key bytea PRIMARY KEY,                      -- the message id's pseudonym (hex in the port)
    hash bytea NOT NULL,                        -- sha256 of the content first received
    recorded_ms bigint NOT NULL                 -- when it was first received
  );
  `,
];

/** The columns an event is read with (events e, streams s, event_headers h). */
const EVENT_COLUMNS =
  'e.position, s.name AS stream_name, e.stream_revision, e.event_id, h.type, h.schema_version, e.recorded_at, e.recorded_ms, e.data, e.data_packed, h.metadata';
const EVENT_JOINS = 'JOIN event_headers h ON h.id = e.header_id';

export interface EventRow {
  position: string; // int8 arrives as text
  stream_name: string;
  stream_revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  /** As appended, or null where it is canonicalInstant(recorded_ms). */
  recorded_at: string | null;
  recorded_ms: string;
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

export interface AppendStateRow {
  head: string;
  max_stream_id: number;
  max_header_id: number;
  /** [name, id, revision] of the batch's streams that exist. */
  streams: Array<[string, number, number]>;
  /** [stream name, event id] of the batch's event ids their streams already hold. */
  known: Array<[string, string]>;
  /** [id, type, schema version, metadata] of the batch's headers that exist. */
  headers: Array<[number, string, number, string]>;
}

export const SQL = {
  /**
   * Run under COMMIT_ORDER_LOCK, in a statement after the one that took it (its snapshot then sees
   * every earlier commit): the next ids are max + 1 because only lock holders insert. The batch's
   * streams are looked up once (by name), their events then by (stream_id, hashtext(event_id)).
   */
  appendState: `
    WITH batch_streams AS MATERIALIZED (SELECT name, id, revision FROM streams WHERE name = ANY($1::text[]))
    SELECT
      (SELECT coalesce(max(position), 0) FROM events)::text AS head,
      (SELECT coalesce(max(id), 0) FROM streams) AS max_stream_id,
      (SELECT coalesce(max(id), 0) FROM event_headers) AS max_header_id,
      (SELECT coalesce(json_agg(json_build_array(name, id, revision)), '[]') FROM batch_streams) AS streams,
      (SELECT coalesce(json_agg(json_build_array(s.name, e.event_id)), '[]')
         FROM unnest($2::text[], $3::text[]) AS wanted(stream_name, event_id)
         JOIN batch_streams s ON s.name = wanted.stream_name
         JOIN events e ON e.stream_id = s.id AND hashtext(e.event_id) = hashtext(wanted.event_id) AND e.event_id = wanted.event_id) AS known,
      (SELECT coalesce(json_agg(json_build_array(h.id, h.type, h.schema_version, h.metadata)), '[]')
         FROM unnest($4::text[], $5::integer[], $6::text[]) AS wanted(type, schema_version, metadata)
         JOIN event_headers h ON hashtext(h.metadata) = hashtext(wanted.metadata) AND h.metadata = wanted.metadata
           AND h.type = wanted.type AND h.schema_version = wanted.schema_version) AS headers`,
  /** Every event of the batch in one statement (arrays, one per column), with the new headers and the streams' rows. */
  insertEvents: `
    WITH headers AS (
      INSERT INTO event_headers (id, type, schema_version, metadata)
      SELECT * FROM unnest($10::integer[], $11::text[], $12::integer[], $13::text[])
    ), stream_rows AS (
      INSERT INTO streams (id, name, revision)
      SELECT * FROM unnest($14::integer[], $15::text[], $16::integer[])
      ON CONFLICT (id) DO UPDATE SET revision = excluded.revision
    )
    INSERT INTO events (position, recorded_ms, stream_id, stream_revision, header_id, event_id, recorded_at, data, data_packed)
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[], $4::integer[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::bytea[])`,
  readStream: `
    SELECT ${EVENT_COLUMNS} FROM streams s JOIN events e ON e.stream_id = s.id ${EVENT_JOINS}
    WHERE s.name = $1 AND e.stream_revision >= $2 AND ($3::bigint IS NULL OR e.recorded_ms <= $3) ORDER BY e.stream_revision`,
  /** i: the 1-based place of the stream in $1 (a name asked twice is read twice). */
  readStreams: `
    SELECT w.i, ${EVENT_COLUMNS}
    FROM unnest($1::text[], $2::integer[]) WITH ORDINALITY AS w(name, from_revision, i)
    JOIN streams s ON s.name = w.name JOIN events e ON e.stream_id = s.id ${EVENT_JOINS}
    WHERE e.stream_revision >= w.from_revision ORDER BY w.i, e.stream_revision`,
  // LIMIT NULL means no limit.
  readAll: `SELECT ${EVENT_COLUMNS} FROM events e JOIN streams s ON s.id = e.stream_id ${EVENT_JOINS} WHERE e.position > $1 ORDER BY e.position LIMIT $2`,
  /** $1 is a LIKE pattern: the prefix with % _ \\ escaped, then %. Ids are in the order of the streams' first events. */
  listStreams: `SELECT name AS stream_name FROM streams WHERE name LIKE $1 ORDER BY id`,
  readSnapshot: 'SELECT revision, format, data, data_packed FROM snapshots WHERE stream_name = $1',
  readSnapshots: `
    SELECT w.i, s.revision, s.format, s.data, s.data_packed
    FROM unnest($1::text[]) WITH ORDINALITY AS w(name, i) JOIN snapshots s ON s.stream_name = w.name`,
  /** An older snapshot (a slower worker finishing late) never replaces a newer one. */
  writeSnapshots: `
    INSERT INTO snapshots (stream_name, revision, format, data, data_packed)
    SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::bytea[])
    ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision, format = excluded.format, data = excluded.data, data_packed = excluded.data_packed
    WHERE excluded.revision >= snapshots.revision`,
  readClaims: 'SELECT key, hash FROM message_claims WHERE key = ANY($1::bytea[])',
  /** The keys inserted are returned: a claim whose key is claimed (or repeats in the batch) is skipped. */
  insertClaims: `
    INSERT INTO message_claims (key, hash, recorded_ms) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bigint[])
    ON CONFLICT (key) DO NOTHING RETURNING key`,
  listClaims:
    'SELECT key, hash, recorded_ms::text AS recorded_ms FROM message_claims WHERE key > $1 ORDER BY key LIMIT $2',
  loadCheckpoint: 'SELECT position::text AS position FROM checkpoints WHERE subscription_id = $1',
  storeCheckpoint: `
    INSERT INTO checkpoints (subscription_id, position) VALUES ($1, $2)
    ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position`,
} as const;

/** The LIKE pattern matching every string that starts with `prefix`. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
