import Database from 'better-sqlite3';
import type pg from 'pg';

/**
 * What a store's bytes are made of (issue #26: the size gap's cause, with numbers): every table and index
 * of the store as the database counts it, and within them the payloads and the events of each kind of
 * stream. Read from the closed store after the measured night. Queries that name columns of today's
 * layout (events.data, streams.name) report nothing, with a note, if an adapter's layout changes.
 */
export interface SizePart {
  name: string;
  kind: 'table' | 'index' | 'other';
  /** The table an index belongs to (a table's own name for a table). */
  table: string;
  bytes: number;
  /** PostgreSQL: live and dead row versions (pg_stat_user_tables; dead ones wait for vacuum). */
  liveRows?: number;
  deadRows?: number;
}

export interface StreamKindSize {
  /** household, message-id claim, member index, other. */
  kind: string;
  streams: number;
  events: number;
  /** The events' payloads as stored (packed or JSON text, after PostgreSQL's own compression). */
  payloadBytes: number;
}

export interface SizeBreakdown {
  /** How the parts were counted. */
  how: string;
  /** The store's size as the table reports it: the parts add up to it. */
  totalBytes: number;
  parts: SizePart[];
  byStreamKind: StreamKindSize[] | null;
  snapshots: { rows: number; payloadBytes: number } | null;
  notes: string[];
}

/** The kind of a stream by its name's prefix (packages/platform/src/streams.ts), in SQL both databases read. */
const STREAM_KIND = `CASE WHEN s.name LIKE 'household-%' THEN 'household'
  WHEN s.name LIKE 'message-id-%' THEN 'message-id claim'
  WHEN s.name LIKE 'member-%' THEN 'member index' ELSE 'other' END`;

const byBytes = (a: SizePart, b: SizePart) => b.bytes - a.bytes;

/** A query of today's layout; where it no longer fits, null and a note saying why (the rest still reported). */
async function optional<T>(notes: string[], what: string, run: () => T | Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    notes.push(`${what} not counted: ${(err as Error).message}`);
    return null;
  }
}

/** A SQLite store (closed; read only): dbstat's pages per table and index; what the file and WAL hold beyond them. */
export async function sqliteBreakdown(path: string, totalBytes: number): Promise<SizeBreakdown> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const notes: string[] = [];
  try {
    const rows = await optional(notes, 'pages per table (dbstat)', () =>
      db
        .prepare<[], { name: string; type: string | null; tbl: string | null; bytes: number }>(
          `SELECT d.name AS name, m.type AS type, m.tbl_name AS tbl, sum(d.pgsize) AS bytes
           FROM dbstat d LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY d.name`,
        )
        .all(),
    );
    const parts: SizePart[] = (rows ?? []).map((r) => ({
      name: r.name,
      kind: r.type === 'index' ? 'index' : 'table',
      table: r.tbl ?? r.name,
      bytes: r.bytes,
    }));
    const counted = parts.reduce((sum, p) => sum + p.bytes, 0);
    // Without dbstat (a SQLite built without it) the file is one part; the payloads below are still counted.
    const rest = rows === null ? 'the whole file (no dbstat in this SQLite)' : 'free pages, WAL';
    if (totalBytes > counted) parts.push({ name: rest, kind: 'other', table: '', bytes: totalBytes - counted });
    const byStreamKind = await optional(notes, 'events per kind of stream', () =>
      db
        .prepare<[], StreamKindSize>(
          `SELECT ${STREAM_KIND} AS kind, count(DISTINCT s.id) AS streams, count(*) AS events,
             coalesce(sum(length(e.data)), 0) AS payloadBytes
           FROM events e JOIN streams s ON s.id = e.stream_id GROUP BY 1 ORDER BY 4 DESC`,
        )
        .all(),
    );
    const snapshots = await optional(notes, 'snapshots', () =>
      db
        .prepare<[], { rows: number; payloadBytes: number }>(
          'SELECT count(*) AS rows, coalesce(sum(length(data)), 0) AS payloadBytes FROM snapshots',
        )
        .get()!,
    );
    return {
      how: 'SQLite dbstat: pages per table and index',
      totalBytes,
      parts: parts.sort(byBytes),
      byStreamKind,
      snapshots,
      notes,
    };
  } finally {
    db.close();
  }
}

/** A PostgreSQL store: pg_table_size (heap, TOAST, maps) per table, pg_relation_size per index. */
export async function postgresBreakdown(db: pg.Client): Promise<SizeBreakdown> {
  const notes: string[] = [];
  const { rows } = await db.query<{
    name: string;
    kind: string;
    tbl: string;
    bytes: string;
    live: string | null;
    dead: string | null;
  }>(
    `SELECT c.relname AS name, c.relkind::text AS kind, coalesce(t.relname, c.relname) AS tbl,
       (CASE WHEN c.relkind = 'r' THEN pg_table_size(c.oid) ELSE pg_relation_size(c.oid) END)::text AS bytes,
       st.n_live_tup::text AS live, st.n_dead_tup::text AS dead
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid
     LEFT JOIN pg_stat_user_tables st ON st.relid = c.oid
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')`,
  );
  const parts: SizePart[] = rows.map((r) => ({
    name: r.name,
    kind: r.kind === 'i' ? 'index' : 'table',
    table: r.tbl,
    bytes: Number(r.bytes),
    ...(r.live === null ? {} : { liveRows: Number(r.live), deadRows: Number(r.dead) }),
  }));
  // pg_column_size: a value as stored (after TOAST compression), NULL for a NULL column.
  const payload = (col: string) =>
    `coalesce(pg_column_size(${col}.data), 0) + coalesce(pg_column_size(${col}.data_packed), 0)`;
  const byStreamKind = await optional(notes, 'events per kind of stream', async () =>
    (
      await db.query<{ kind: string; streams: string; events: string; payload: string }>(
        `SELECT ${STREAM_KIND} AS kind, count(DISTINCT s.id)::text AS streams, count(*)::text AS events,
           coalesce(sum(${payload('e')}), 0)::text AS payload
         FROM events e JOIN streams s ON s.id = e.stream_id GROUP BY 1 ORDER BY sum(${payload('e')}) DESC`,
      )
    ).rows.map((r) => ({
      kind: r.kind,
      streams: Number(r.streams),
      events: Number(r.events),
      payloadBytes: Number(r.payload),
    })),
  );
  const snapshots = await optional(notes, 'snapshots', async () => {
    const r = (
      await db.query<{ rows: string; payload: string }>(
        `SELECT count(*)::text AS rows, coalesce(sum(${payload('s')}), 0)::text AS payload FROM snapshots s`,
      )
    ).rows[0]!;
    return { rows: Number(r.rows), payloadBytes: Number(r.payload) };
  });
  return {
    how: 'PostgreSQL pg_table_size per table (heap, TOAST, free-space and visibility maps), pg_relation_size per index',
    totalBytes: parts.reduce((sum, p) => sum + p.bytes, 0),
    parts: parts.sort(byBytes),
    byStreamKind,
    snapshots,
    notes,
  };
}
