import { postgresAvailable, startPostgres } from '@bijstand/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresEventStore, type RecordedEventText } from '../src/index.js';
import { fromColumns, toColumns } from '../src/postgresRows.js';
import { MIGRATIONS } from '../src/postgresSchema.js';
import { ev } from './contract.js';
import { bigDecision, exampleEvents } from './payloads.js';

/**
 * Migration 3 (the compact layout): a store written at schema version 2 reads exactly the same
 * after it, event by event, and recorded_at round-trips for every form an instant can be given in.
 */

if (!postgresAvailable())
  console.warn(
    'PostgreSQL migration tests NOT RUN: no PostgreSQL server binaries (run infra/scripts/ensure-test-deps.sh)',
  );
const server = postgresAvailable() ? await startPostgres() : null;
const admin = server ? new pg.Pool({ connectionString: server.url, max: 2 }) : null;
// An idle connection ended by the server's shutdown (or a restart under load) is no test failure.
admin?.on('error', () => {});
admin?.on('error', () => {}); // an idle connection ended by the server's shutdown at the end
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});
let databases = 0;
async function freshDatabase(): Promise<string> {
  const name = `mig_${process.pid}_${++databases}`;
  await admin!.query(`CREATE DATABASE ${name}`);
  return server!.urlOf(name);
}

/** The insert of schema version 2 (postgresSchema.ts before migration 3), as the writer of then ran it. */
const INSERT_AT_2 = `
  WITH inserted AS (
    INSERT INTO events (position, stream_name, stream_revision, event_id, type, schema_version, recorded_at, recorded_ms, data, data_packed, metadata)
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::bigint[], $9::text[], $10::bytea[], $11::text[])
  )
  INSERT INTO streams (stream_name, revision, first_position)
  SELECT * FROM unnest($12::text[], $13::integer[], $14::bigint[])
  ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision`;

/** recordedAt as callers may give it: canonical, with .000, offsets, other fractions, extreme years, a date only. */
const ODD_INSTANTS = [
  '2027-01-05T02:00:00Z',
  '2027-01-05T02:00:00.000Z',
  '2027-01-05T03:00:00+01:00',
  '2027-01-05T02:00:00.5Z',
  '2027-01-05T02:00:00.123Z',
  '2027-01-05T02:00:00.1234Z',
  '2027-01-05',
  '1969-12-31T23:59:59.999Z',
  '1969-12-31T23:59:59Z',
  '0999-12-31T23:59:59Z',
  '1000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+010000-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '2027-06-01T00:00:00.000+00:00',
];

type Row = {
  position: number;
  stream: string;
  revision: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  dataText: string;
  metadata: string;
};

/** Rows as the writer of schema version 2 wrote them; streams in the order of their first events. */
function rowsAtVersion2(): Row[] {
  const rows: Row[] = [];
  const revisions = new Map<string, number>();
  const add = (
    stream: string,
    eventId: string,
    type: string,
    schemaVersion: number,
    recordedAt: string,
    data: unknown,
    metadata: unknown,
  ) => {
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    rows.push({
      position: rows.length + 1,
      stream,
      revision,
      eventId,
      type,
      schemaVersion,
      recordedAt,
      dataText: JSON.stringify(data),
      metadata: JSON.stringify(metadata),
    });
  };
  // Real decisions (most packed), several streams interleaved, one night's metadata shared.
  for (const [i, { event }] of exampleEvents().slice(0, 40).entries()) {
    add(
      `household-${String(9 - (i % 4))}`,
      `proposal:${i}`,
      event.type,
      1,
      '2027-02-01T02:00:00Z',
      event.data,
      i % 3 === 0 ? {} : { correlationId: 'nightly:2027-02-01' },
    );
  }
  const big = bigDecision();
  add('household-9', 'big', big.type, 2, '2027-02-25T02:00:00Z', big.data, { correlationId: 'nightly:2027-02-25' });
  // The same event id in another stream; the same type at another schema version; odd instants.
  add(
    'household-7',
    'proposal:0',
    'PaymentProposed',
    2,
    '2027-02-25T02:00:00Z',
    { amount: '1.00' },
    { correlationId: 'nightly:2027-02-25' },
  );
  for (const [i, at] of ODD_INSTANTS.entries())
    add(
      'member-z',
      `at-${i}`,
      'MemberOfHousehold',
      1,
      at,
      { n: i, text: 'cliënt — 𝄞' },
      { correlationId: `case:${i}` },
    );
  add('a-stream-named-first', 'x', 'X', 1, '2027-03-01T00:00:00Z', null, { nested: { b: 1, a: [2] } });
  return rows;
}

async function writeAtVersion2(db: pg.Client, rows: Row[]): Promise<void> {
  await db.query(MIGRATIONS[0]!);
  await db.query(MIGRATIONS[1]!);
  await db.query(
    'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO schema_migrations (version) VALUES (1), (2)',
  );
  // The first half as text (written before packing), the rest as the packing writer stored it.
  const payloads = rows.map((r, i) => (i < rows.length / 2 ? ([r.dataText, null] as const) : toColumns(r.dataText)));
  const streams = new Map<string, { revision: number; first: number }>();
  for (const r of rows)
    streams.set(r.stream, { revision: r.revision, first: streams.get(r.stream)?.first ?? r.position });
  await db.query(INSERT_AT_2, [
    rows.map((r) => r.position),
    rows.map((r) => r.stream),
    rows.map((r) => r.revision),
    rows.map((r) => r.eventId),
    rows.map((r) => r.type),
    rows.map((r) => r.schemaVersion),
    rows.map((r) => r.recordedAt),
    rows.map((r) => Date.parse(r.recordedAt)),
    payloads.map(([d]) => d),
    payloads.map(([, p]) => p),
    rows.map((r) => r.metadata),
    [...streams.keys()],
    [...streams.values()].map((s) => s.revision),
    [...streams.values()].map((s) => s.first),
  ]);
  const packedSnapshot = toColumns(JSON.stringify(bigDecision().data))[1];
  if (packedSnapshot === null) throw new Error('test data: the big decision should pack');
  await db.query(
    `INSERT INTO snapshots (stream_name, revision, format, data, data_packed) VALUES ('household-9', 3, 'f/1', '{"old":"snapshot","amount":"12.50"}', NULL), ('household-8', 2, 'f/2', NULL, $1)`,
    [packedSnapshot],
  );
  await db.query(
    `INSERT INTO checkpoints (subscription_id, position) VALUES ('alerts', 17), ('buffer', 9007199254740991)`,
  );
}

const asText = (r: Row): RecordedEventText => ({
  eventId: r.eventId,
  type: r.type,
  schemaVersion: r.schemaVersion,
  recordedAt: r.recordedAt,
  dataText: r.dataText,
  metadata: JSON.parse(r.metadata),
  streamName: r.stream,
  streamRevision: r.revision,
  globalPosition: r.position,
});

describe.skipIf(!server)('PostgreSQL migration 3: the compact layout', () => {
  it('a store of schema version 2 with rows reads exactly the same after it: every event, position, stream, snapshot and checkpoint', async () => {
    const url = await freshDatabase();
    const rows = rowsAtVersion2();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await writeAtVersion2(db, rows);
      // What the old layout holds, read with the old tables (the writer's own columns).
      const before = (
        await db.query('SELECT position::int, event_id, recorded_at, data, data_packed FROM events ORDER BY position')
      ).rows;
      expect(before.map((r) => fromColumns(r))).toEqual(rows.map((r) => r.dataText));
      expect(before.filter((r) => r.data_packed !== null).length).toBeGreaterThan(10);

      const store = await PostgresEventStore.open({ connectionString: url });
      try {
        const all = await store.readAll();
        expect(all).toEqual(
          rows.map((r) => {
            const { dataText, ...rest } = asText(r);
            return { ...rest, data: JSON.parse(dataText) };
          }),
        );
        for (const stream of new Set(rows.map((r) => r.stream))) {
          expect(await store.readStreamText(stream)).toEqual(rows.filter((r) => r.stream === stream).map(asText));
        }
        // Payloads byte for byte, recordedAt exactly as given (the odd forms included).
        expect((await store.readStreamText('member-z')).map((e) => e.recordedAt)).toEqual(ODD_INSTANTS);
        expect(await store.listStreams('')).toEqual([...new Set(rows.map((r) => r.stream))]);
        expect(await store.listStreams('household-')).toEqual([
          'household-9',
          'household-8',
          'household-7',
          'household-6',
        ]);
        expect(await store.readSnapshot('household-9')).toEqual({
          streamName: 'household-9',
          revision: 3,
          format: 'f/1',
          data: { old: 'snapshot', amount: '12.50' },
        });
        expect(await store.readSnapshot('household-8')).toEqual({
          streamName: 'household-8',
          revision: 2,
          format: 'f/2',
          data: bigDecision().data,
        });
        expect(await store.loadCheckpoint('alerts')).toBe(17);
        expect(await store.loadCheckpoint('buffer')).toBe(9007199254740991);
        // asOf still filters by instant.
        expect((await store.readStream('member-z', { asOf: '1970-01-01T00:00:00Z' })).map((e) => e.eventId)).toEqual([
          'at-7',
          'at-8',
          'at-9',
          'at-10',
          'at-13',
        ]);

        // The store goes on where it was: positions, revisions, idempotency on migrated ids, a new stream after the old ones.
        const last = rows.length;
        expect(
          await store.append('household-7', [ev('PaymentProposed', {}, { eventId: 'proposal:0' }), ev('New')], {
            expectedRevision: rows.filter((r) => r.stream === 'household-7').length - 1,
          }),
        ).toMatchObject({ appended: 1, lastGlobalPosition: last + 1 });
        expect(await store.append('household-9', [ev('Again', {}, { eventId: 'big' })])).toMatchObject({ appended: 0 });
        await store.append('b-new', [ev('N')]);
        expect((await store.listStreams('')).slice(-1)).toEqual(['b-new']);
        expect(
          (await store.readAll({ fromPosition: last })).map((e) => [e.globalPosition, e.streamName, e.type]),
        ).toEqual([
          [last + 1, 'household-7', 'New'],
          [last + 2, 'b-new', 'N'],
        ]);
      } finally {
        await store.close();
      }

      // Compact: headers interned, canonical instants not stored, payloads as they were (text or packed).
      const after = (
        await db.query(
          'SELECT position::int, recorded_at, data, data_packed FROM events WHERE position <= $1 ORDER BY position',
          [rows.length],
        )
      ).rows;
      expect(after.map((r) => [r.data, r.data_packed])).toEqual(before.map((r) => [r.data, r.data_packed]));
      expect(after.filter((r) => r.recorded_at === null).length).toBe(
        rows.filter(
          (r) =>
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/.test(r.recordedAt) &&
            !r.recordedAt.endsWith('.000Z') &&
            r.recordedAt >= '1000',
        ).length,
      );
      const headers = (await db.query('SELECT count(*)::int AS n FROM event_headers')).rows[0].n;
      expect(headers).toBe(new Set(rows.map((r) => JSON.stringify([r.type, r.schemaVersion, r.metadata]))).size + 2);
      expect((await db.query('SELECT version FROM schema_migrations ORDER BY version')).rows).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
        { version: 4 },
      ]);
    } finally {
      await db.end();
    }
  });

  it('recordedAt round-trips exactly for every form on new appends, stored only where it is not canonical', async () => {
    const url = await freshDatabase();
    const store = await PostgresEventStore.open({ connectionString: url });
    try {
      await store.append(
        's',
        ODD_INSTANTS.map((recordedAt, i) => ev('T', { i }, { recordedAt })),
      );
      expect((await store.readStreamText('s')).map((e) => e.recordedAt)).toEqual(ODD_INSTANTS);
      expect((await store.readAll()).map((e) => e.recordedAt)).toEqual(ODD_INSTANTS);
    } finally {
      await store.close();
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const stored = (await db.query('SELECT recorded_at FROM events ORDER BY position')).rows.map(
        (r) => r.recorded_at,
      );
      expect(stored).toEqual(
        ODD_INSTANTS.map((at) =>
          [
            '2027-01-05T02:00:00Z',
            '2027-01-05T02:00:00.123Z',
            '1969-12-31T23:59:59.999Z',
            '1969-12-31T23:59:59Z',
            '0999-12-31T23:59:59Z',
            '1000-01-01T00:00:00Z',
            '9999-12-31T23:59:59.999Z',
          ].includes(at)
            ? null
            : at,
        ),
      );
    } finally {
      await db.end();
    }
  });
});
