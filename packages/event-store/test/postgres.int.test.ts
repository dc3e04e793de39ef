import { postgresAvailable, startPostgres } from '@bijstand/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openEventStore,
  PostgresEventStore,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type RecordedEvent,
} from '../src/index.js';
import { likePrefix, MIGRATIONS, SQL } from '../src/postgresSchema.js';
import { eventStoreContract, ev } from './contract.js';
import { bigDecision } from './payloads.js';

if (!postgresAvailable())
  console.warn(
    'PostgreSQL adapter tests NOT RUN: no PostgreSQL server binaries (run infra/scripts/ensure-test-deps.sh)',
  );

/** One throw-away cluster for this file; every test gets a database of its own on it. */
const server = postgresAvailable() ? await startPostgres() : null;
const admin = server ? new pg.Pool({ connectionString: server.url, max: 2 }) : null;
// An idle connection ended by the server's shutdown (or a restart under load) is no test failure.
admin?.on('error', () => {});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

let databases = 0;
async function freshDatabase(): Promise<string> {
  const name = `es_${process.pid}_${++databases}`;
  await admin!.query(`CREATE DATABASE ${name}`);
  return server!.urlOf(name);
}

const open = async (url: string, poolSize?: number) =>
  PostgresEventStore.open({ connectionString: url, ...(poolSize ? { poolSize } : {}) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (server) {
  eventStoreContract('PostgreSQL', async () =>
    openEventStore({ kind: 'postgres', connectionString: await freshDatabase() }),
  );
}

describe.skipIf(!server)('PostgreSQL adapter', () => {
  const opened: EventStore[] = [];
  /** A store on `url` with a pool of its own, closed after the test. */
  const storeOn = async (url: string, poolSize?: number) => {
    const store = await open(url, poolSize);
    opened.push(store);
    return store;
  };
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  it('parallel writers on separate pools: a subscription sees every event exactly once, in increasing position, none skipped', async () => {
    const url = await freshDatabase();
    const writers = await Promise.all([1, 2, 3, 4].map(() => storeOn(url, 3)));
    const reader = await storeOn(url);
    const handled: RecordedEvent[] = [];
    let firstDelivery: () => void = () => {};
    const delivering = new Promise<void>((resolve) => (firstDelivery = resolve));
    // Polls every millisecond: it reads $all again and again while the writers commit.
    const sub = reader.subscribeToAll({
      subscriptionId: 'ordering',
      pollIntervalMs: 1,
      handler: async (e) => {
        handled.push(e);
        firstDelivery();
      },
    });

    const appendedIds: string[] = [];
    const appendSome = async (store: EventStore, stream: string, count: number) => {
      const events = Array.from({ length: count }, (_, i) => ev(`E${i}`, { stream }));
      await store.append(stream, events);
      appendedIds.push(...events.map((e) => e.eventId));
    };
    /** Short appends, to streams of its own and to one that every writer shares, and groups held open a while. */
    const write = async (store: EventStore, w: number, rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        await appendSome(store, `own-${w}-${round % 5}`, 1 + ((round * 7 + w) % 13));
        await appendSome(store, 'shared', 1 + (round % 3));
        if (round % 10 === 0) {
          await store.groupCommits(async () => {
            await appendSome(store, `group-${w}`, 2);
            await sleep(5); // a transaction that has its positions and commits late
            await appendSome(store, 'shared', 1);
          });
        }
      }
    };
    /** Each writer runs two loops at once (its pool has room for both); the second half only once the subscription delivers. */
    const writeInHalves = async (store: EventStore, w: number) => {
      await Promise.all([write(store, w, 20), write(store, w + 10, 20)]);
      await delivering;
      await Promise.all([write(store, w + 20, 20), write(store, w + 30, 20)]);
    };
    await Promise.all(writers.map((store, w) => writeInHalves(store, w)));
    await sub.caughtUp();
    await sub.stop();

    const positions = handled.map((e) => e.globalPosition);
    for (let i = 1; i < positions.length; i++) expect(positions[i]!).toBeGreaterThan(positions[i - 1]!);
    expect(handled.map((e) => e.eventId).sort()).toEqual([...appendedIds].sort());
    expect(handled).toEqual(await reader.readAll());
    const shared = await reader.readStream('shared');
    expect(shared.map((e) => e.streamRevision)).toEqual(shared.map((_, i) => i));
  });

  it('concurrent appends from two connections with the same expected revision: exactly one wins, the other gets WrongExpectedRevisionError', async () => {
    const url = await freshDatabase();
    const [left, right] = await Promise.all([storeOn(url), storeOn(url)]);
    await left!.append('household-1', [ev('Opened')]);
    for (let revision = 0; revision < 10; revision++) {
      const outcomes = await Promise.allSettled([
        left!.append('household-1', [ev('FromLeft')], { expectedRevision: revision }),
        right!.append('household-1', [ev('FromRight')], { expectedRevision: revision }),
      ]);
      const won = outcomes.filter((o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(won[0]!.value.nextExpectedRevision).toBe(revision + 1);
      expect(lost[0]!.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(lost[0]!.reason).toMatchObject({ expected: revision, actual: revision + 1 });
    }
    expect(await left!.readStream('household-1')).toHaveLength(11);
  });

  it("several connections appending with 'any' to one new stream: every event lands, revisions contiguous", async () => {
    const url = await freshDatabase();
    const stores = await Promise.all([1, 2, 3, 4].map(() => storeOn(url, 2)));
    const ids = await Promise.all(
      stores.map(async (store) => {
        const mine: string[] = [];
        for (let i = 0; i < 10; i++) {
          const e = ev('Tick');
          await store.append('busy', [e]);
          mine.push(e.eventId);
        }
        return mine;
      }),
    );
    const stream = await stores[0]!.readStream('busy');
    expect(stream.map((e) => e.streamRevision)).toEqual(stream.map((_, i) => i));
    expect(stream.map((e) => e.eventId).sort()).toEqual(ids.flat().sort());
    expect(await stores[0]!.listStreams('bu')).toEqual(['busy']);
  });

  it('groupCommits makes one transaction: another connection sees nothing of the group until it ends, then all of it; its appends wait and land after', async () => {
    const url = await freshDatabase();
    const [writer, reader, other] = await Promise.all([storeOn(url), storeOn(url), storeOn(url)]);
    let otherAppend: Promise<AppendResult> | undefined;
    const seenInside = await writer!.groupCommits(async () => {
      await writer!.append('household-1', [ev('A')]);
      await writer!.append('household-2', [ev('B')]);
      await writer!.writeSnapshots([{ streamName: 'household-1', revision: 0, format: 'f/1', data: {} }]);
      await writer!.storeCheckpoint('sub', 2);
      otherAppend = other!.append('household-3', [ev('C')]);
      return {
        streams: await reader!.listStreams('household-'),
        all: await reader!.readAll(),
        snapshot: await reader!.readSnapshot('household-1'),
        checkpoint: await reader!.loadCheckpoint('sub'),
      };
    });
    expect(seenInside).toEqual({ streams: [], all: [], snapshot: null, checkpoint: null });
    const c = await otherAppend!;
    expect(await reader!.listStreams('household-')).toEqual(['household-1', 'household-2', 'household-3']);
    expect((await reader!.readAll()).map((e) => [e.type, e.globalPosition])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', c.lastGlobalPosition],
    ]);
    expect(c.lastGlobalPosition).toBe(3);
    expect(await reader!.readSnapshot('household-1')).toMatchObject({ revision: 0 });
    expect(await reader!.loadCheckpoint('sub')).toBe(2);
  });

  it("a group whose first append is refused still holds the commit-order lock: another writer's append lands after the group", async () => {
    const url = await freshDatabase();
    const [writer, other] = await Promise.all([storeOn(url), storeOn(url)]);
    let otherAppend: Promise<AppendResult> | undefined;
    await writer!.groupCommits(async () => {
      const refused = await writer!
        .append('household-1', [ev('Refused')], { expectedRevision: 3 })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WrongExpectedRevisionError);
      await writer!.append('household-1', [ev('A')]);
      otherAppend = other!.append('household-2', [ev('C')]);
      await sleep(300);
      await writer!.append('household-1', [ev('B')]);
    });
    expect((await otherAppend!).lastGlobalPosition).toBe(3);
    expect((await other!.readAll()).map((e) => [e.type, e.globalPosition])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 3],
    ]);
  });

  it('a write that the server refuses inside a group keeps the group usable and what it appended before', async () => {
    const url = await freshDatabase();
    const [writer, reader] = await Promise.all([storeOn(url), storeOn(url)]);
    const refused = await writer!
      .groupCommits(async () => {
        await writer!.append('household-1', [ev('Before')]);
        // A revision beyond PostgreSQL's integer: the server rejects the statement, not our code.
        await writer!
          .writeSnapshots([{ streamName: 'household-1', revision: 2 ** 40, format: 'f/1', data: {} }])
          .catch((e: unknown) => e);
        await writer!.append('household-1', [ev('After')]);
        return 'work went on';
      })
      .catch((e: unknown) => e);
    expect(refused).toBe('work went on');
    expect((await reader!.readStream('household-1')).map((e) => e.type)).toEqual(['Before', 'After']);
    expect(await reader!.readSnapshot('household-1')).toBeNull();
  });

  it("a subscription sees a group's events only once the group has committed, and is woken by the commit", async () => {
    const store = await storeOn(await freshDatabase());
    const handled: string[] = [];
    const sub = store.subscribeToAll({
      subscriptionId: 'sub',
      handler: async (e) => void handled.push(e.type),
      pollIntervalMs: 60_000,
    });
    await sub.caughtUp();
    await store.groupCommits(async () => {
      await store.append('s', [ev('Inside')]);
      await sub.caughtUp();
      expect(handled).toEqual([]);
    });
    // The poll interval is a minute: only the commit's wake-up can deliver it before the timeout.
    await expect.poll(() => handled, { timeout: 5000, interval: 10 }).toEqual(['Inside']);
    await sub.stop();
  });

  it('writeSnapshots with several snapshots of one stream in one call keeps the highest revision', async () => {
    const store = await storeOn(await freshDatabase());
    await store.writeSnapshots([
      { streamName: 'h', revision: 5, format: 'f/1', data: { n: 5 } },
      { streamName: 'h', revision: 9, format: 'f/1', data: { n: 9 } },
      { streamName: 'h', revision: 7, format: 'f/1', data: { n: 7 } },
    ]);
    expect(await store.readSnapshot('h')).toEqual({ streamName: 'h', revision: 9, format: 'f/1', data: { n: 9 } });
  });

  it('keeps the JSON text exactly as appended: key order included (jsonb would sort keys)', async () => {
    const store = await storeOn(await freshDatabase());
    const data = { zeta: '1.00', alpha: { y: [3, 2, 1], b: null }, 'ë €': '"quoted"\n', mid: 0.1 };
    await store.append('t', [ev('A', data)]);
    const [text] = await store.readStreamText('t');
    expect(text!.dataText).toBe(JSON.stringify(data));
    expect(Object.keys(JSON.parse(text!.dataText))).toEqual(['zeta', 'alpha', 'ë €', 'mid']);
  });

  it('a 100 KB decision round-trips byte for byte through readStreamText, readStream and readAll, stored packed in data_packed', async () => {
    const url = await freshDatabase();
    const store = await storeOn(url);
    const big = bigDecision();
    const text = JSON.stringify(big.data);
    expect(text.length).toBeGreaterThan(100_000);
    await store.append('household-big', [ev('Small', { amount: '1.00' }), big]);
    expect((await store.readStreamText('household-big'))[1]!.dataText).toBe(text);
    expect((await store.readStream('household-big'))[1]!.data).toEqual(big.data);
    expect(JSON.stringify((await store.readAll())[1]!.data)).toBe(text);
    await store.writeSnapshots([{ streamName: 'household-big', revision: 1, format: 'f/1', data: big.data }]);
    expect(JSON.stringify((await store.readSnapshot('household-big'))!.data)).toBe(text);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ type: string; data: string | null; packed: number | null; tag: number | null }>(
        'SELECT h.type, e.data, octet_length(e.data_packed) AS packed, get_byte(e.data_packed, 0) AS tag FROM events e JOIN event_headers h ON h.id = e.header_id ORDER BY e.position',
      );
      expect(rows.map((r) => [r.type, r.data, r.tag])).toEqual([
        ['Small', '{"amount":"1.00"}', null],
        [big.type, null, 3],
      ]);
      expect(rows[1]!.packed).toBeLessThan(text.length * 0.1);
      const snapshot = await db.query('SELECT data, get_byte(data_packed, 0) AS tag FROM snapshots');
      expect(snapshot.rows).toEqual([{ data: null, tag: 3 }]);
      // A row holds its payload once: as text or packed, never neither nor both.
      await expect(
        db.query(`INSERT INTO events (position, recorded_ms, stream_id, stream_revision, header_id, event_id, recorded_at, data, data_packed)
        VALUES (99, 0, 99, 0, 1, 'x', NULL, NULL, NULL)`),
      ).rejects.toThrow(/events_data_or_packed/);
      await expect(
        db.query(`INSERT INTO events (position, recorded_ms, stream_id, stream_revision, header_id, event_id, recorded_at, data, data_packed)
        VALUES (99, 0, 99, 0, 1, 'x', NULL, '{}', '\\x01')`),
      ).rejects.toThrow(/events_data_or_packed/);
    } finally {
      await db.end();
    }
  });

  it('a database of schema version 1 (payloads as text) is migrated without rewriting its rows, and reads exactly next to packed rows', async () => {
    const url = await freshDatabase();
    const big = bigDecision();
    const oldText = JSON.stringify(big.data);
    // The writer before packing: schema version 1 only, every payload as text.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(MIGRATIONS[0]!);
      await db.query(
        'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO schema_migrations (version) VALUES (1)',
      );
      await db.query(
        `INSERT INTO events (position, stream_name, stream_revision, event_id, type, schema_version, recorded_at, recorded_ms, data, metadata)
         VALUES (1, 'household-1', 0, 'old-0', $1, 1, '2027-01-05T02:00:00Z', $2, $3, '{"correlationId":"c-old"}')`,
        [big.type, Date.parse('2027-01-05T02:00:00Z'), oldText],
      );
      await db.query(`INSERT INTO streams (stream_name, revision, first_position) VALUES ('household-1', 0, 1)`);
      await db.query(
        `INSERT INTO snapshots (stream_name, revision, format, data) VALUES ('household-1', 0, 'f/1', '{"old":"snapshot","amount":"12.50"}')`,
      );

      const store = await storeOn(url);
      expect((await store.readStreamText('household-1'))[0]).toMatchObject({
        eventId: 'old-0',
        dataText: oldText,
        metadata: { correlationId: 'c-old' },
      });
      expect(await store.readSnapshot('household-1')).toEqual({
        streamName: 'household-1',
        revision: 0,
        format: 'f/1',
        data: { old: 'snapshot', amount: '12.50' },
      });
      const newer = { ...big, eventId: 'new-1', data: { ...(big.data as object), corrected: true } };
      expect(await store.append('household-1', [newer], { expectedRevision: 0 })).toEqual({
        nextExpectedRevision: 1,
        lastGlobalPosition: 2,
        appended: 1,
      });
      expect((await store.readStreamText('household-1')).map((e) => e.dataText)).toEqual([
        oldText,
        JSON.stringify(newer.data),
      ]);
      expect((await store.readAll()).map((e) => e.data)).toEqual([big.data, newer.data]);

      const { rows } = await db.query(
        'SELECT event_id, data IS NOT NULL AS as_text, data_packed IS NOT NULL AS packed FROM events ORDER BY position',
      );
      expect(rows).toEqual([
        { event_id: 'old-0', as_text: true, packed: false },
        { event_id: 'new-1', as_text: false, packed: true },
      ]);
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

  it('appendMany of 5,000 events over 50 streams: one call, contiguous positions and revisions, all or nothing', async () => {
    const store = await storeOn(await freshDatabase());
    const requests = Array.from({ length: 50 }, (_, s) => ({
      streamName: `household-${String(s).padStart(2, '0')}`,
      events: Array.from({ length: 100 }, (_, i) => ev(`E${i}`, { s, i })),
    }));
    const results = await store.appendMany(requests);
    expect(results.every((r) => r.appended === 100 && r.nextExpectedRevision === 99)).toBe(true);
    const all = await store.readAll();
    expect(all.map((e) => e.globalPosition)).toEqual(all.map((_, i) => i + 1));
    expect(all.map((e) => e.eventId)).toEqual(requests.flatMap((r) => r.events.map((e) => e.eventId)));
    expect(await store.listStreams('household-')).toEqual(requests.map((r) => r.streamName));
    const failing = [
      ...requests.map((r) => ({ ...r, events: [ev('More')] })),
      { streamName: 'household-00', events: [ev('Late')], expectedRevision: 3 },
    ];
    await expect(store.appendMany(failing)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readAll({ fromPosition: 5000 })).toEqual([]);
  });

  it('reopening migrates nothing twice and continues revisions and positions; concurrent openers of a fresh database both succeed', async () => {
    const url = await freshDatabase();
    const [first, second] = await Promise.all([open(url), open(url)]);
    await first.append('household-1', [ev('A'), ev('B')]);
    await first.storeCheckpoint('sub', 2);
    await Promise.all([first.close(), second.close()]);

    const reopened = await storeOn(url);
    expect((await reopened.readStream('household-1')).map((e) => [e.type, e.streamRevision])).toEqual([
      ['A', 0],
      ['B', 1],
    ]);
    expect(await reopened.loadCheckpoint('sub')).toBe(2);
    expect(await reopened.append('household-1', [ev('C')], { expectedRevision: 1 })).toEqual({
      nextExpectedRevision: 2,
      lastGlobalPosition: 3,
      appended: 1,
    });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query('SELECT version FROM schema_migrations ORDER BY version');
    await db.end();
    expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
  });

  it('listStreams reads the index on stream names, and takes % and _ in a prefix literally', async () => {
    const url = await freshDatabase();
    const store = await storeOn(url);
    for (const name of ['a_1', 'ab1', 'a%x', 'a_2', 'b_1']) await store.append(name, [ev('A')]);
    expect(await store.listStreams('a_')).toEqual(['a_1', 'a_2']);
    expect(await store.listStreams('a%')).toEqual(['a%x']);
    expect(await store.listStreams('')).toEqual(['a_1', 'ab1', 'a%x', 'a_2', 'b_1']);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      // A handful of rows would be scanned anyway; forbid that to see whether the index can serve it.
      await db.query('SET enable_seqscan = off');
      // With the pattern bound as the adapter binds it (an unnamed statement is planned for its values).
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${SQL.listStreams}`, [likePrefix('a_')]);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index (Only )?Scan (using|on) streams_name_key/);
      expect(plan).toMatch(/Index Cond: .*name >= 'a_'.*name < 'a`'/);
    } finally {
      await db.end();
    }
  });

  it('a database without the store (issue #21): readers and existing-store writers refuse it and create nothing', async () => {
    const url = await freshDatabase();
    for (const mode of ['read-only', 'existing'] as const)
      await expect(openEventStore({ kind: 'postgres', connectionString: url, mode })).rejects.toThrow(
        `no event store at postgres:${new URL(url).host}${new URL(url).pathname} (the database has no event store tables; only ingest, worker, demo and store copy create them)`,
      );
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const tables = async () =>
      (await db.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n;
    try {
      expect(await tables()).toBe(0);
      const created = await storeOn(url);
      await created.append('household-1', [ev('A')]);
      expect(await tables()).toBeGreaterThan(0);
      const reader = await PostgresEventStore.open({ connectionString: url, mode: 'read-only' });
      expect((await reader.readStream('household-1')).map((e) => e.type)).toEqual(['A']);
      await reader.close();
    } finally {
      await db.end();
    }
  });

  it('names itself without the password of its connection string', async () => {
    const url = new URL(await freshDatabase());
    url.password = 'not-for-logs';
    const store = await storeOn(url.toString());
    expect(store.name).toBe(`postgres:${url.host}${url.pathname}`);
    expect(store.name).not.toContain('not-for-logs');
  });
});
