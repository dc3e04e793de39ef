import { fork } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteEventStore, WrongExpectedRevisionError, type NewEvent } from '../src/index.js';
import { canonicalRecordedAt, eventKeyOf } from '../src/sqliteEncoding.js';
import { CURRENT_FORMAT } from '../src/sqliteSchema.js';
import { ev } from './contract.js';
import { raw, tempStoreFiles } from './support/sqliteFiles.js';

const { fresh } = tempStoreFiles('event-store-format2-');

/** Everything the port gives back about an event, as text (key order included). */
const asText = (e: unknown) => JSON.stringify(e);

describe('SQLite format 2: the schema', () => {
  it('a new store is format 3: user_version 3, integer-keyed tables, no index on a text event id', async () => {
    const path = fresh();
    const store = new SqliteEventStore(path);
    expect(store.format).toBe(CURRENT_FORMAT);
    await store.append('household-1', [ev('A')]);
    await store.close();
    expect(raw(path, 'PRAGMA user_version')).toEqual([{ user_version: 3 }]);
    const indexes = raw<{ name: string; tbl_name: string; sql: string | null }>(
      path,
      `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'`,
    );
    expect(indexes.map((i) => i.name).sort()).toEqual(['events_by_key', 'events_by_stream']);
    const columnsOf = (index: string) =>
      raw<{ name: string }>(path, `SELECT name FROM pragma_index_info(?)`, index).map((c) => c.name);
    expect(columnsOf('events_by_key')).toEqual(['stream_id', 'event_key']);
    expect(columnsOf('events_by_stream')).toEqual(['stream_id', 'stream_revision']);
  });

  it('the idempotency lookup and reading a stream go by the integer indexes', async () => {
    const store = new SqliteEventStore(':memory:');
    const db = (store as unknown as { db: Database.Database }).db;
    const plan = (sql: string, ...params: unknown[]) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    expect(plan('SELECT 1 FROM events WHERE stream_id = ? AND event_key = ? AND event_id = ?', 1, 2, 'x')).toMatch(
      /USING INDEX events_by_key \(stream_id=\? AND event_key=\?\)/,
    );
    const writes = (store as unknown as { writes: { hasEventId: { source: string } } }).writes;
    expect(plan(writes.hasEventId.source, 1, 2, 'x')).toMatch(/events_by_key/);
    const reads = (store as unknown as { statements: { readStream: { source: string } } }).statements;
    expect(plan(reads.readStream.source, 's', 0)).toMatch(
      /USING INDEX events_by_stream \(stream_id=\? AND stream_revision>\?\)/,
    );
    await store.close();
  });
});

describe('SQLite format 2: recordedAt', () => {
  // Date.parse accepts every one of these; each must come back exactly as given.
  const forms = [
    '2027-01-05T02:00:00Z', // canonical: not stored
    '2027-01-05T02:00:00.250Z', // canonical with milliseconds: not stored
    '1969-12-31T23:59:59.999Z', // before the epoch, canonical: not stored
    '2027-01-05T02:00:00.000Z', // the same instant as the first, another text
    '2027-01-05T03:00:00+01:00',
    '2027-01-05T02:00:00.5Z',
    '2027-01-05T02:00:00.123456Z',
    '2027-01-05T02:00Z',
    '2027-01-05',
    '2027-01-05T02:00:00-00:00',
    '+002027-01-05T02:00:00Z',
  ];
  const canonical = new Set(['2027-01-05T02:00:00Z', '2027-01-05T02:00:00.250Z', '1969-12-31T23:59:59.999Z']);

  it('every form round-trips exactly; only the canonical form of recorded_ms is left out', async () => {
    const path = fresh();
    const store = new SqliteEventStore(path);
    await store.append(
      's',
      forms.map((recordedAt, i) => ev('T', { i }, { eventId: `at-${i}`, recordedAt })),
    );
    expect((await store.readStream('s')).map((e) => e.recordedAt)).toEqual(forms);
    expect((await store.readStreamText('s')).map((e) => e.recordedAt)).toEqual(forms);
    expect((await store.readAll()).map((e) => e.recordedAt)).toEqual(forms);
    await store.close();
    const stored = raw<{ recorded_at: string | null; recorded_ms: number }>(
      path,
      'SELECT recorded_at, recorded_ms FROM events ORDER BY position',
    );
    expect(stored.map((r) => r.recorded_at)).toEqual(forms.map((f) => (canonical.has(f) ? null : f)));
    expect(stored.map((r) => r.recorded_ms)).toEqual(forms.map((f) => Date.parse(f)));
    const reopened = new SqliteEventStore(path, { mode: 'read-only' });
    expect((await reopened.readStream('s')).map((e) => e.recordedAt)).toEqual(forms);
    await reopened.close();
  });

  it('asOf compares instants, whatever form was stored', async () => {
    const store = new SqliteEventStore(':memory:');
    await store.append('s', [
      ev('Early', {}, { recordedAt: '2027-01-05T03:00:00+01:00' }),
      ev('Late', {}, { recordedAt: '2027-01-05T02:00:00.001Z' }),
    ]);
    expect((await store.readStream('s', { asOf: '2027-01-05T02:00:00Z' })).map((e) => e.type)).toEqual(['Early']);
    await store.close();
  });

  it('the canonical form: whole seconds without milliseconds, else the ISO form', () => {
    expect(canonicalRecordedAt(Date.parse('2027-01-01T02:00:00Z'))).toBe('2027-01-01T02:00:00Z');
    expect(canonicalRecordedAt(Date.parse('2027-01-01T02:00:00.010Z'))).toBe('2027-01-01T02:00:00.010Z');
    expect(canonicalRecordedAt(-1)).toBe('1969-12-31T23:59:59.999Z');
  });
});

describe('SQLite format 2: interned metadata and types', () => {
  it('metadata round-trips as appended (key order, unicode, nesting, escapes); each distinct text is stored once, {} not at all', async () => {
    const path = fresh();
    const store = new SqliteEventStore(path);
    const metadatas = [
      undefined,
      {},
      { correlationId: 'nightly:2027-01-01' },
      { correlationId: 'nightly:2027-01-01' },
      { causationId: 'c', correlationId: 'nightly:2027-01-01' }, // other key order: another text
      { correlationId: 'nightly:2027-01-01', causationId: 'c' },
      { correlationId: 'ünï©ødé \u2028 "quoted" \\ back', nested: { list: [1, '2', null, { deep: true }], empty: {} } },
      { lone: '\ud800', emoji: '👩‍⚖️', amount: '1401.50' },
      { correlationId: 'nightly:2027-01-01 ' }, // differs by a trailing space only
    ];
    const events = metadatas.map((metadata, i) => ev('T', { i }, { eventId: `m-${i}`, metadata }));
    await store.append('s', events);
    const read = await store.readStream('s');
    expect(read.map((e) => asText(e.metadata))).toEqual(metadatas.map((m) => JSON.stringify(m ?? {})));
    expect(read.map((e) => e.metadata)).toEqual(metadatas.map((m) => m ?? {}));
    expect((await store.readAll()).map((e) => asText(e.metadata))).toEqual(
      metadatas.map((m) => JSON.stringify(m ?? {})),
    );
    await store.close();

    const texts = raw<{ text: string }>(path, 'SELECT text FROM event_metadata ORDER BY id').map((r) => r.text);
    expect(texts).toEqual([...new Set(metadatas.map((m) => JSON.stringify(m ?? {})).filter((t) => t !== '{}'))]);
    const ids = raw<{ metadata_id: number | null }>(path, 'SELECT metadata_id FROM events ORDER BY position').map(
      (r) => r.metadata_id,
    );
    expect(ids.slice(0, 4)).toEqual([null, null, 1, 1]);
  });

  it('types are interned per exact text (case, unicode and long names kept), and read back on every path', async () => {
    const path = fresh();
    const store = new SqliteEventStore(path);
    const types = [
      'MonthSettled',
      'monthsettled',
      'MonthSettled',
      'Ünïcode type ✓',
      'T'.repeat(2000),
      'MonthSettled ',
      '',
    ];
    await store.append(
      'a',
      types.map((type, i) => ev(type, { i }, { eventId: `t-${i}` })),
    );
    await store.append('b', [ev('MonthSettled')]);
    expect((await store.readStream('a')).map((e) => e.type)).toEqual(types);
    expect((await store.readAll()).map((e) => e.type)).toEqual([...types, 'MonthSettled']);
    await store.close();
    expect(raw<{ name: string }>(path, 'SELECT name FROM event_types ORDER BY id').map((r) => r.name)).toEqual([
      ...new Set(types),
    ]);
  });

  it('a new type and metadata interned by a rolled-back append are interned again by the next one (no stale cached id)', async () => {
    const path = fresh();
    const store = new SqliteEventStore(path);
    await store.append('taken', [ev('Old')]);
    const fresh1 = ev('BrandNew', { n: 1 }, { metadata: { correlationId: 'brand-new' } });
    await expect(
      store.appendMany([
        { streamName: 'a', events: [fresh1] },
        { streamName: 'taken', events: [ev('X')], expectedRevision: 'no-stream' },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(raw(path, 'SELECT * FROM event_types WHERE name = ?', 'BrandNew')).toEqual([]);
    // Inside a group: the failing append is a savepoint rolled back on its own.
    await store.groupCommits(async () => {
      await expect(
        store.appendMany([
          { streamName: 'b', events: [ev('InGroup', {}, { metadata: { correlationId: 'in-group' } })] },
          { streamName: 'taken', events: [ev('X')], expectedRevision: 5 },
        ]),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append('c', [ev('InGroup', {}, { metadata: { correlationId: 'in-group' } })]);
    });
    await store.append('a', [fresh1]);
    expect((await store.readStream('a')).map((e) => [e.type, e.metadata])).toEqual([
      ['BrandNew', { correlationId: 'brand-new' }],
    ]);
    expect((await store.readStream('c')).map((e) => [e.type, e.metadata])).toEqual([
      ['InGroup', { correlationId: 'in-group' }],
    ]);
    expect(await store.listStreams('')).toEqual(['taken', 'c', 'a']);
    await store.close();
    expect(
      raw(path, 'SELECT count(*) AS n FROM events e LEFT JOIN event_types t ON t.id = e.type_id WHERE t.id IS NULL'),
    ).toEqual([{ n: 0 }]);
    expect(
      raw(
        path,
        'SELECT count(*) AS n FROM events e LEFT JOIN event_metadata m ON m.id = e.metadata_id WHERE e.metadata_id IS NOT NULL AND m.id IS NULL',
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('a type or metadata interned through another connection is found, not interned twice', async () => {
    const path = fresh();
    const [one, two] = [new SqliteEventStore(path), new SqliteEventStore(path)];
    await one.append('a', [ev('Shared', {}, { metadata: { correlationId: 'shared' } })]);
    await two.append('b', [ev('Shared', {}, { metadata: { correlationId: 'shared' } })]);
    await one.append('c', [ev('Shared', {}, { metadata: { correlationId: 'shared' } })]);
    expect((await two.readAll()).map((e) => [e.streamName, e.type, e.metadata])).toEqual(
      ['a', 'b', 'c'].map((s) => [s, 'Shared', { correlationId: 'shared' }]),
    );
    await Promise.all([one.close(), two.close()]);
    expect(
      raw(
        path,
        'SELECT (SELECT count(*) FROM event_types) AS types, (SELECT count(*) FROM event_metadata) AS metadata',
      ),
    ).toEqual([{ types: 1, metadata: 1 }]);
  });
});

describe('SQLite format 2: event ids by key', () => {
  it('the key is fixed (part of the file format), an integer below 2^47', async () => {
    // Changing eventKeyOf breaks the idempotency of every stored store: these values must not move.
    expect(KNOWN_KEYS.map(([id]) => eventKeyOf(id))).toEqual(KNOWN_KEYS.map(([, key]) => key));
    for (const id of ['', 'a', 'settled:2026-11:v1', 'x'.repeat(10_000), '\ud800']) {
      const key = eventKeyOf(id);
      expect(Number.isSafeInteger(key) && key >= 0 && key < 2 ** 47, id.slice(0, 10)).toBe(true);
    }
    const path = fresh();
    const store = new SqliteEventStore(path);
    await store.append('s', [ev('A', {}, { eventId: 'settled:2026-11:v1' })]);
    await store.close();
    expect(raw(path, 'SELECT typeof(event_key) AS t, event_key FROM events')).toEqual([
      { t: 'integer', event_key: eventKeyOf('settled:2026-11:v1') },
    ]);
  });

  it("a stored row whose key is another id's does not make that id a duplicate: the text is compared (collisions on every id: sqliteKeyCollision.int.test.ts)", async () => {
    const path = fresh();
    const store = new SqliteEventStore(path);
    await store.append('s', [ev('First', {}, { eventId: 'id-one' })]);
    await store.close();
    // Force a collision: the stored row of id-one gets the key of id-two.
    const db = new Database(path);
    db.prepare('UPDATE events SET event_key = ? WHERE event_id = ?').run(eventKeyOf('id-two'), 'id-one');
    db.close();

    const again = new SqliteEventStore(path);
    const two = ev('Second', {}, { eventId: 'id-two' });
    expect(await again.append('s', [two])).toMatchObject({ appended: 1, nextExpectedRevision: 1 });
    expect(raw(path, 'SELECT count(DISTINCT event_key) AS keys, count(*) AS n FROM events')).toEqual([
      { keys: 1, n: 2 },
    ]);
    expect(await again.append('s', [{ ...two }], { expectedRevision: 0 })).toEqual({
      nextExpectedRevision: 1,
      lastGlobalPosition: null,
      appended: 0,
    });
    expect(
      (await again.append('s', [ev('X', {}, { eventId: 'id-two' }), ev('Third', {}, { eventId: 'id-three' })]))
        .appended,
    ).toBe(1);
    expect((await again.readStream('s')).map((e) => [e.eventId, e.type])).toEqual([
      ['id-one', 'First'],
      ['id-two', 'Second'],
      ['id-three', 'Third'],
    ]);
    await again.close();
  });

  it('two connections appending the same event id: the second is a no-op', async () => {
    const path = fresh();
    const [one, two] = [new SqliteEventStore(path), new SqliteEventStore(path)];
    const event: NewEvent = ev('Claimed', {}, { eventId: 'msg-42' });
    expect((await one.append('claims', [event])).appended).toBe(1);
    expect((await two.append('claims', [{ ...event }])).appended).toBe(0);
    expect(await two.readStream('claims')).toHaveLength(1);
    await Promise.all([one.close(), two.close()]);
  });

  it('two processes appending the same event ids at once: each id is in the stream once, revisions without gaps', async () => {
    const path = fresh();
    await new SqliteEventStore(path).close();
    const ids = Array.from({ length: 150 }, (_, i) => `claim-${i}`);
    const run = (order: string[]) =>
      new Promise<void>((resolve, reject) => {
        const child = fork(
          join(import.meta.dirname, 'support', 'sqliteAppender.ts'),
          [path, 'claims', order.join(',')],
          { execArgv: ['--import', 'tsx'], stdio: 'inherit' },
        );
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`appender exited with ${code}`))));
      });
    await Promise.all([run(ids), run([...ids].reverse()), run(ids)]);
    const store = new SqliteEventStore(path, { mode: 'read-only' });
    const events = await store.readStream('claims');
    expect(events.map((e) => e.eventId).sort()).toEqual([...ids].sort());
    expect(events.map((e) => e.streamRevision)).toEqual(ids.map((_, i) => i));
    await store.close();
  }, 60_000);
});

/** eventKeyOf as defined by format 2 (computed once with the definition in sqliteEncoding.ts). */
const KNOWN_KEYS: Array<[string, number]> = [
  ['', 101945795579267],
  ['settled:2026-11:v1', 20779498222241],
  ['msg-1', 66406445456217],
  ['ü', 33628272123158],
];

describe('SQLite format 3: message claims (issue #26)', () => {
  it('a format-2 file reads without claims, and a writer adds the claims table and keeps every event', async () => {
    const path = fresh();
    const store = new SqliteEventStore(path);
    await store.append('household-1', [ev('A'), ev('B')]);
    await store.close();
    // The file as format 2 wrote it: no claims table, user_version 2.
    const db = new Database(path);
    db.exec('DROP TABLE message_claims; PRAGMA user_version = 2;');
    db.close();
    const key = '0f'.repeat(16);
    const reader = new SqliteEventStore(path, { mode: 'read-only' });
    expect(reader.format).toBe(2);
    expect(await reader.readClaims([key])).toEqual(new Map());
    expect(await reader.listClaims({ maxCount: 10 })).toEqual([]);
    const before = asText(await reader.readAll());
    await reader.close();
    const writer = new SqliteEventStore(path, { mode: 'existing' });
    expect(writer.format).toBe(CURRENT_FORMAT);
    await writer.writeClaims([{ key, hash: 'ab'.repeat(32), recordedAt: '2027-01-05T02:00:00Z' }]);
    expect(await writer.readClaims([key])).toEqual(new Map([[key, 'ab'.repeat(32)]]));
    expect(asText(await writer.readAll())).toBe(before);
    await writer.close();
    expect(raw(path, 'PRAGMA user_version')).toEqual([{ user_version: 3 }]);
    expect(raw(path, 'SELECT length(key) AS k, length(hash) AS h, recorded_ms FROM message_claims')).toEqual([
      { k: 16, h: 32, recorded_ms: Date.parse('2027-01-05T02:00:00Z') },
    ]);
  });
});
