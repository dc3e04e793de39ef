import { fork } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  EventStoreFormatError,
  EventStoreMigrationError,
  SqliteEventStore,
  type RecordedEvent,
  type StateSnapshot,
} from '../src/index.js';
import { packPayload } from '../src/payloadCodec.js';
import { bigDecision } from './payloads.js';
import { writeFormat1Store, type Format1Event, type Format1Store } from './sqliteFormat1.js';
import type { NewEvent } from '../src/index.js';
import { raw, tempStoreFiles } from './support/sqliteFiles.js';

const { fresh } = tempStoreFiles('event-store-migration-');

const bigText = JSON.stringify(bigDecision().data);
const packedBig = packPayload(JSON.stringify({ ...(bigDecision().data as object), packed: true }));
const nightly = '{"correlationId":"nightly:2027-01-01"}';

/** An old installation's store: interleaved streams, gaps in positions, odd texts, TEXT and packed payloads. */
const OLD: Format1Store = {
  events: [
    {
      streamName: 'household-2',
      revision: 0,
      eventId: 'case:2',
      type: 'CaseOpened',
      recordedAt: '2027-01-01T02:00:00Z',
      data: '{"amount":"1401.50"}',
      metadata: '{"correlationId":"msg-1","causationId":"x"}',
    },
    {
      streamName: 'household-1',
      revision: 0,
      eventId: 'case:1',
      type: 'CaseOpened',
      recordedAt: '2027-01-01T03:00:00+01:00',
      data: bigText,
    },
    {
      streamName: 'member-ü',
      revision: 0,
      eventId: 'm:1',
      type: 'MemberOfHousehold',
      recordedAt: '2027-01-01T02:00:00.250Z',
      data: '{}',
      metadata: nightly,
    },
    {
      streamName: 'household-1',
      revision: 1,
      eventId: 'settled:2026-12:v1',
      type: 'MonthSettled',
      recordedAt: '2027-01-01T02:00:00.000Z',
      data: packedBig,
      metadata: nightly,
    },
    {
      streamName: 'household-2',
      revision: 1,
      eventId: 'settled:2026-12:v1',
      type: 'MonthSettled',
      recordedAt: '2027-01-01T02:00:00Z',
      data: packedBig,
      metadata: nightly,
    },
    {
      streamName: 'household-10',
      revision: 0,
      eventId: 'case:10',
      type: 'CaseOpened',
      schemaVersion: 3,
      recordedAt: '2027-01-25',
      data: 'null',
      metadata: '{ "spaced" : true }',
    },
    {
      streamName: 'household-2',
      revision: 2,
      eventId: 'paid:2026-12',
      type: 'PaymentMade',
      recordedAt: '2027-01-25T02:00:00.123456Z',
      data: '{"amount":"12.00","note":"\\u00fc"}',
      metadata: '{}',
    },
  ],
  gapBefore: { 3: 4, 6: 1 },
  snapshots: [
    { streamName: 'household-2', revision: 1, format: 'state/1', data: '{"old":"snapshot","amount":"12.50"}' },
    { streamName: 'household-1', revision: 1, format: 'state/1', data: packPayload(bigText) },
    { streamName: 'no-events-yet', revision: 0, format: 'state/1', data: '{}' },
  ],
  checkpoints: [{ subscriptionId: 'projector', position: 5 }],
};

/** What the port must give for OLD, derived from the rows themselves (not from any adapter). */
function expectedEvents(events: Format1Event[], positions: number[]): RecordedEvent[] {
  return events.map((e, i) => ({
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion ?? 1,
    recordedAt: e.recordedAt,
    data: JSON.parse(
      typeof e.data === 'string' ? e.data : JSON.stringify({ ...(bigDecision().data as object), packed: true }),
    ),
    metadata: JSON.parse(e.metadata ?? '{}'),
    streamName: e.streamName,
    streamRevision: e.revision,
    globalPosition: positions[i]!,
  }));
}

const expectedSnapshots: StateSnapshot[] = [
  { streamName: 'household-2', revision: 1, format: 'state/1', data: { old: 'snapshot', amount: '12.50' } },
  { streamName: 'household-1', revision: 1, format: 'state/1', data: bigDecision().data },
  { streamName: 'no-events-yet', revision: 0, format: 'state/1', data: {} },
];

/** Every read of the port against what OLD holds. */
async function expectReadsOld(store: SqliteEventStore, positions: number[]): Promise<void> {
  const expected = expectedEvents(OLD.events, positions);
  expect(await store.readAll()).toEqual(expected);
  expect(await store.readAll({ fromPosition: positions[2]!, maxCount: 2 })).toEqual(expected.slice(3, 5));
  for (const name of ['household-1', 'household-2', 'household-10', 'member-ü']) {
    const ofStream = expected.filter((e) => e.streamName === name);
    expect(await store.readStream(name)).toEqual(ofStream);
    expect(await store.readStream(name, { fromRevision: 1 })).toEqual(ofStream.slice(1));
    const texts = await store.readStreamText(name);
    expect(texts.map((e) => e.dataText)).toEqual(
      OLD.events
        .filter((e) => e.streamName === name)
        .map((e) =>
          typeof e.data === 'string' ? e.data : JSON.stringify({ ...(bigDecision().data as object), packed: true }),
        ),
    );
  }
  // 2027-01-25T02:00:00Z: before paid:2026-12 (at .123456 past it).
  expect((await store.readStream('household-2', { asOf: '2027-01-24T23:00:00-03:00' })).map((e) => e.eventId)).toEqual([
    'case:2',
    'settled:2026-12:v1',
  ]);
  expect(await store.readStream('household-1', { asOf: '2027-01-01T02:59:59+01:00' })).toEqual([]);
  expect(await store.listStreams('household-')).toEqual(['household-2', 'household-1', 'household-10']);
  expect(await store.listStreams('')).toEqual(['household-2', 'household-1', 'member-ü', 'household-10']);
  expect(await store.listStreams('member-')).toEqual(['member-ü']);
  for (const s of expectedSnapshots) expect(await store.readSnapshot(s.streamName)).toEqual(s);
  expect(await store.loadCheckpoint('projector')).toBe(5);
  expect(await store.loadCheckpoint('other')).toBeNull();
}

function oldStore(tweak?: (db: Database.Database) => void): { path: string; positions: number[] } {
  const path = fresh();
  const positions = writeFormat1Store(path, OLD);
  if (tweak) {
    const db = new Database(path);
    tweak(db);
    db.close();
  }
  return { path, positions };
}

describe('SQLite format 1 (before issue #15)', () => {
  it('a read-only open reads it as it is, every event, snapshot and checkpoint, and leaves the file untouched', async () => {
    const { path, positions } = oldStore();
    const before = readFileSync(path);
    const store = new SqliteEventStore(path, { mode: 'read-only' });
    expect(store.format).toBe(1);
    await expectReadsOld(store, positions);
    await store.close();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(raw(path, 'PRAGMA user_version')).toEqual([{ user_version: 0 }]);
  });

  it('a writable open migrates it in place: the same reads, payloads stored as they were, old tables gone; then appends go on after the highest position', async () => {
    // The old store's AUTOINCREMENT mark above its last event (positions handed out are never reused).
    const { path, positions } = oldStore((db) =>
      db.prepare(`UPDATE sqlite_sequence SET seq = 40 WHERE name = 'events'`).run(),
    );
    const storedBefore = raw<{ position: number; t: string; data: string | Buffer }>(
      path,
      'SELECT position, typeof(data) AS t, data FROM events ORDER BY position',
    );
    for (const mode of ['existing', 'create'] as const) {
      const store = new SqliteEventStore(path, { mode });
      expect(store.format).toBe(3);
      await expectReadsOld(store, positions);
      await store.close();
    }
    expect(raw(path, 'PRAGMA user_version')).toEqual([{ user_version: 3 }]);
    expect(
      raw<{ name: string }>(path, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).map(
        (t) => t.name,
      ),
    ).toEqual([
      'checkpoints',
      'event_metadata',
      'event_types',
      'events',
      'message_claims',
      'snapshots',
      'sqlite_sequence',
      'streams',
    ]);
    // VACUUM after the migration: the old rows' pages are given back.
    expect(raw(path, 'PRAGMA freelist_count')).toEqual([{ freelist_count: 0 }]);
    expect(raw(path, 'SELECT position, typeof(data) AS t, data FROM events ORDER BY position')).toEqual(storedBefore);
    expect(raw<{ t: string }>(path, 'SELECT typeof(data) AS t FROM events ORDER BY position').map((r) => r.t)).toEqual([
      'text',
      'text',
      'text',
      'blob',
      'blob',
      'text',
      'text',
    ]);
    // Odd recordedAt texts are kept; canonical ones are rebuilt from recorded_ms.
    expect(
      raw<{ recorded_at: string | null }>(path, 'SELECT recorded_at FROM events ORDER BY position').map(
        (r) => r.recorded_at,
      ),
    ).toEqual([
      null,
      '2027-01-01T03:00:00+01:00',
      null,
      '2027-01-01T02:00:00.000Z',
      null,
      '2027-01-25',
      '2027-01-25T02:00:00.123456Z',
    ]);

    const store = new SqliteEventStore(path);
    expect(
      await store.append('household-2', [
        {
          eventId: 'paid:2026-12',
          type: 'PaymentMade',
          schemaVersion: 1,
          recordedAt: '2027-01-25T02:00:00Z',
          data: {},
        },
      ]),
    ).toMatchObject({ appended: 0, nextExpectedRevision: 2 });
    const next = await store.append(
      'household-2',
      [
        {
          eventId: 'settled:2027-01:v1',
          type: 'MonthSettled',
          schemaVersion: 1,
          recordedAt: '2027-02-01T02:00:00Z',
          data: { n: 1 },
          metadata: JSON.parse(nightly),
        },
      ],
      { expectedRevision: 2 },
    );
    expect(next).toEqual({ nextExpectedRevision: 3, lastGlobalPosition: 41, appended: 1 });
    expect(
      (
        await store.append(
          'household-new',
          [{ eventId: 'case:new', type: 'CaseOpened', schemaVersion: 1, recordedAt: '2027-02-01T02:00:00Z', data: {} }],
          { expectedRevision: 'no-stream' },
        )
      ).lastGlobalPosition,
    ).toBe(42);
    expect(await store.listStreams('household-')).toEqual([
      'household-2',
      'household-1',
      'household-10',
      'household-new',
    ]);
    expect((await store.readStream('household-2')).map((e) => [e.eventId, e.streamRevision, e.metadata])).toEqual([
      ['case:2', 0, { correlationId: 'msg-1', causationId: 'x' }],
      ['settled:2026-12:v1', 1, { correlationId: 'nightly:2027-01-01' }],
      ['paid:2026-12', 2, {}],
      ['settled:2027-01:v1', 3, { correlationId: 'nightly:2027-01-01' }],
    ]);
    await store.writeSnapshots([{ streamName: 'household-2', revision: 3, format: 'state/2', data: { n: 3 } }]);
    await store.close();
    // The nightly correlation id stays one row, shared by the old events and the new one.
    expect(raw(path, 'SELECT count(*) AS n FROM event_metadata WHERE text = ?', nightly)).toEqual([{ n: 1 }]);
    const reader = new SqliteEventStore(path, { mode: 'read-only' });
    expect((await reader.readAll({ fromPosition: 40 })).map((e) => e.eventId)).toEqual([
      'settled:2027-01:v1',
      'case:new',
    ]);
    expect(await reader.readSnapshot('household-2')).toMatchObject({ revision: 3, data: { n: 3 } });
    await reader.close();
  });

  it('an empty format-1 store, and one from before snapshots and checkpoints, migrate too', async () => {
    const empty = fresh();
    writeFormat1Store(empty, { events: [] });
    const store = new SqliteEventStore(empty);
    expect(await store.readAll()).toEqual([]);
    expect(
      (
        await store.append('s', [
          { eventId: 'e', type: 'T', schemaVersion: 1, recordedAt: '2027-01-01T00:00:00Z', data: {} },
        ])
      ).lastGlobalPosition,
    ).toBe(1);
    await store.close();

    const older = fresh();
    writeFormat1Store(older, { events: OLD.events.slice(0, 2) });
    const db = new Database(older);
    db.exec('DROP TABLE snapshots; DROP TABLE checkpoints');
    db.close();
    const migrated = new SqliteEventStore(older);
    expect((await migrated.readAll()).map((e) => e.eventId)).toEqual(['case:2', 'case:1']);
    expect(await migrated.readSnapshot('household-1')).toBeNull();
    await migrated.storeCheckpoint('sub', 2);
    await migrated.close();
  });

  it('a migration that fails is rolled back whole: EventStoreMigrationError, and the file is still a readable format-1 store', async () => {
    // A table in the way of format 2's, with other columns: copying into it fails halfway.
    const { path, positions } = oldStore((db) => db.exec('CREATE TABLE event_metadata (something_else TEXT)'));
    const err = (() => {
      try {
        return new SqliteEventStore(path);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(EventStoreMigrationError);
    expect((err as Error).message).toMatch(
      new RegExp(`^the event store at ${path} could not be migrated from format 1 to 2 \\(nothing was changed\\): `),
    );
    expect(raw(path, 'PRAGMA user_version')).toEqual([{ user_version: 0 }]);
    expect(
      raw<{ name: string }>(path, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).map(
        (t) => t.name,
      ),
    ).toEqual(['checkpoints', 'event_metadata', 'events', 'snapshots', 'sqlite_sequence', 'streams']);
    const reader = new SqliteEventStore(path, { mode: 'read-only' });
    await expectReadsOld(reader, positions);
    await reader.close();
  });

  it('a reader open on format 1 while a writer migrates the file reads on in the current format', async () => {
    const { path, positions } = oldStore();
    const reader = new SqliteEventStore(path, { mode: 'read-only' });
    expect(await reader.listStreams('member-')).toEqual(['member-ü']);
    expect(reader.format).toBe(1);
    // Another connection in the middle of a read (a read transaction) does not stop the migration.
    const holder = new Database(path, { readonly: true });
    const rows = holder.prepare('SELECT event_id FROM events ORDER BY position').pluck().iterate();
    expect(rows.next().value).toBe('case:2');
    const writer = new SqliteEventStore(path, { mode: 'existing' });
    expect(rows.next().value).toBe('case:1');
    rows.return?.();
    holder.close();
    await writer.append('member-ü', [
      { eventId: 'm:2', type: 'MembershipEnded', schemaVersion: 1, recordedAt: '2027-02-01T02:00:00Z', data: {} },
    ]);
    expect((await reader.readStream('member-ü')).map((e) => e.eventId)).toEqual(['m:1', 'm:2']);
    expect(reader.format).toBe(3);
    await writer.close();
    expect((await reader.readAll()).slice(0, positions.length)).toEqual(expectedEvents(OLD.events, positions));
    await reader.close();
  });

  it('two processes opening the same format-1 store at once: one migrates, the other waits for it, both append', async () => {
    const { path, positions } = oldStore();
    const append = (ids: string[]) =>
      new Promise<void>((resolve, reject) => {
        const child = fork(join(import.meta.dirname, 'support', 'sqliteAppender.ts'), [path, 'claims', ids.join(',')], {
          execArgv: ['--import', 'tsx'],
          stdio: 'inherit',
        });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`appender exited with ${code}`))));
      });
    await Promise.all([append(['a-1', 'a-2', 'shared']), append(['b-1', 'shared', 'b-2'])]);
    const store = new SqliteEventStore(path, { mode: 'read-only' });
    expect(store.format).toBe(3);
    const all = await store.readAll();
    expect(all.slice(0, positions.length)).toEqual(expectedEvents(OLD.events, positions));
    expect(
      all
        .slice(positions.length)
        .map((e) => e.eventId)
        .sort(),
    ).toEqual(['a-1', 'a-2', 'b-1', 'b-2', 'shared']);
    await store.close();
  }, 60_000);

  it('a format this version does not know is refused, for readers and writers, and left alone', async () => {
    const path = fresh();
    await new SqliteEventStore(path).close();
    const db = new Database(path);
    db.pragma('user_version = 4');
    db.close();
    for (const mode of ['read-only', 'existing', 'create'] as const) {
      expect(() => new SqliteEventStore(path, { mode }), mode).toThrow(new EventStoreFormatError(path, 4, 3));
    }
    expect(raw(path, 'PRAGMA user_version')).toEqual([{ user_version: 4 }]);
  });
});

describe('SQLite format 2: size', () => {
  it("a year of 200 households takes less than 70 % of format 1's bytes (issue #15), both vacuumed, and the same events read back", async () => {
    const months = Array.from({ length: 12 }, (_, m) => `2027-${String(m + 1).padStart(2, '0')}`);
    // One night per month: every household's events of the month, as the nightly run appends them.
    const nights = months.map((month) =>
      Array.from({ length: 200 }, (_, h) => {
        const streamName = `household-H-syn-${String(h).padStart(6, '0')}`;
        const recordedAt = `${month}-01T02:00:00Z`;
        const metadata = { correlationId: `nightly:${month}-01` };
        const amount = `${1000 + ((h * 37) % 500)}.${String(h % 100).padStart(2, '0')}`;
        const events: NewEvent[] = [
          {
            eventId: `settled:${month}:v1`,
            type: 'MonthSettled',
            schemaVersion: 1,
            recordedAt,
            metadata,
            data: {
              month,
              householdId: streamName,
              netIncome: amount,
              norm: '1401.50',
              lines: [{ article: '31(2)(n)', amount }],
            },
          },
          {
            eventId: `proposed:${month}`,
            type: 'PaymentProposed',
            schemaVersion: 1,
            recordedAt,
            metadata,
            data: { month, amount, iban: 'NL00BANK0123456789' },
          },
          {
            eventId: `paid:${month}`,
            type: 'PaymentMade',
            schemaVersion: 1,
            recordedAt,
            metadata,
            data: { month, amount },
          },
        ];
        return { streamName, events };
      }),
    );
    // Format 1 as the old writer left it (payloads packed the same way), in the same order.
    const oldPath = fresh();
    const revisions = new Map<string, number>();
    writeFormat1Store(oldPath, {
      events: nights.flat().flatMap(({ streamName, events }) =>
        events.map((e) => {
          const revision = revisions.get(streamName) ?? 0;
          revisions.set(streamName, revision + 1);
          return {
            streamName,
            revision,
            eventId: e.eventId,
            type: e.type,
            recordedAt: e.recordedAt,
            data: packPayload(JSON.stringify(e.data)),
            metadata: JSON.stringify(e.metadata),
          };
        }),
      ),
    });
    const newPath = fresh();
    const store = new SqliteEventStore(newPath);
    for (const night of nights) await store.appendMany(night);
    await store.close();
    for (const path of [oldPath, newPath]) {
      const db = new Database(path);
      db.exec('VACUUM');
      db.close();
    }
    const [oldBytes, newBytes] = [statSync(oldPath).size, statSync(newPath).size];
    console.log(
      `200 households x 12 months, ${nights.flat().length * 3} events: format 1 ${oldBytes} bytes, format 2 ${newBytes} (${((newBytes / oldBytes) * 100).toFixed(1)} %)`,
    );
    expect(newBytes).toBeLessThan(oldBytes * 0.7);
    const [oldStore, newStore] = [
      new SqliteEventStore(oldPath, { mode: 'read-only' }),
      new SqliteEventStore(newPath, { mode: 'read-only' }),
    ];
    expect(await newStore.readAll()).toEqual(await oldStore.readAll());
    await Promise.all([oldStore.close(), newStore.close()]);
  });
});
