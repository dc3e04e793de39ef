import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventStore, SqliteEventStore } from '../src/index.js';
import { unpackPayload } from '../src/payloadCodec.js';
import { eventStoreContract, ev } from './contract.js';
import { bigDecision, exampleEvents } from './payloads.js';
import { writeFormat1Store } from './sqliteFormat1.js';

const dir = mkdtempSync(join(tmpdir(), 'event-store-sqlite-'));
let files = 0;

eventStoreContract(
  'SQLite (file, WAL)',
  () => openEventStore({ kind: 'sqlite', path: join(dir, `contract-${++files}.sqlite`) }),
  () => rmSync(dir, { recursive: true, force: true }),
);

eventStoreContract('SQLite (:memory:)', () => openEventStore({ kind: 'sqlite', path: ':memory:' }));

describe('SQLite adapter: the file', () => {
  const fileDir = mkdtempSync(join(tmpdir(), 'event-store-sqlite-file-'));
  afterAll(() => rmSync(fileDir, { recursive: true, force: true }));

  it('keeps events and checkpoints when the file is reopened, and continues revisions and positions', async () => {
    const path = join(fileDir, 'reopen.sqlite');
    const before = await openEventStore({ kind: 'sqlite', path });
    await before.append('household-1', [ev('A', { amount: '1401.50' }), ev('B')]);
    await before.append('household-2', [ev('C')]);
    await before.storeCheckpoint('sub', 2);
    await before.close();

    const after = await openEventStore({ kind: 'sqlite', path });
    expect((await after.readStream('household-1')).map((e) => [e.type, e.streamRevision, e.data])).toEqual([
      ['A', 0, { amount: '1401.50' }],
      ['B', 1, {}],
    ]);
    expect(await after.loadCheckpoint('sub')).toBe(2);
    expect(await after.listStreams('household-')).toEqual(['household-1', 'household-2']);
    const appended = await after.append('household-1', [ev('D')], { expectedRevision: 1 });
    expect(appended).toEqual({ nextExpectedRevision: 2, lastGlobalPosition: 4, appended: 1 });
    await after.close();
  });

  it('groupCommits makes one commit: another connection sees nothing of the group until it ends, then all of it', async () => {
    const path = join(fileDir, 'group.sqlite');
    const writer = new SqliteEventStore(path);
    const reader = new SqliteEventStore(path);
    const seenInside = await writer.groupCommits(async () => {
      await writer.append('household-1', [ev('A')]);
      await writer.append('household-2', [ev('B')]);
      await writer.writeSnapshots([{ streamName: 'household-1', revision: 0, format: 'f/1', data: {} }]);
      return { streams: await reader.listStreams('household-'), snapshot: await reader.readSnapshot('household-1') };
    });
    expect(seenInside).toEqual({ streams: [], snapshot: null });
    expect(await reader.listStreams('household-')).toEqual(['household-1', 'household-2']);
    expect(await reader.readSnapshot('household-1')).toMatchObject({ revision: 0 });
    await writer.close();
    await reader.close();
  });

  it('creates the parent directory and uses WAL with synchronous=NORMAL', async () => {
    const path = join(fileDir, 'nested', 'deeper', 'events.sqlite');
    const store = new SqliteEventStore(path);
    await store.append('s', [ev('A')]);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // synchronous is per connection: check it on the adapter's own.
    const reopened = new SqliteEventStore(path);
    expect((reopened as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(1); // 1 = NORMAL
    await reopened.close();
  });

  it('a subscription sees what another connection to the same file appends (by polling)', async () => {
    const path = join(fileDir, 'two-connections.sqlite');
    const reader = new SqliteEventStore(path);
    const writer = new SqliteEventStore(path);
    const handled: string[] = [];
    const sub = reader.subscribeToAll({
      subscriptionId: 'sub',
      handler: async (e) => void handled.push(e.type),
      pollIntervalMs: 10,
    });
    await sub.caughtUp();
    await writer.append('s', [ev('FromElsewhere')]);
    await expect.poll(() => handled, { timeout: 2000, interval: 10 }).toEqual(['FromElsewhere']);
    await sub.stop();
    await Promise.all([reader.close(), writer.close()]);
  });

  it('rejects a recordedAt that is not an instant, and writes nothing of the batch', async () => {
    const store = new SqliteEventStore(':memory:');
    await expect(
      store.appendMany([
        { streamName: 'a', events: [ev('A')] },
        { streamName: 'b', events: [ev('B', {}, { recordedAt: 'next tuesday' })] },
      ]),
    ).rejects.toThrow(/recordedAt .* is not an ISO instant/);
    expect(await store.readAll()).toEqual([]);
    await store.close();
  });
});

describe('SQLite adapter: packed payloads', () => {
  const packDir = mkdtempSync(join(tmpdir(), 'event-store-sqlite-pack-'));
  afterAll(() => rmSync(packDir, { recursive: true, force: true }));
  const storageOf = (path: string, sql: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };

  it('a 100 KB decision round-trips byte for byte through readStreamText, readStream and readAll, stored packed', async () => {
    const path = join(packDir, 'big.sqlite');
    const store = new SqliteEventStore(path);
    const big = bigDecision();
    const text = JSON.stringify(big.data);
    expect(text.length).toBeGreaterThan(100_000);
    await store.append('household-big', [ev('Small', { amount: '1.00' }), big]);
    const [, asText] = await store.readStreamText('household-big');
    expect(asText!.dataText).toBe(text);
    expect((await store.readStream('household-big'))[1]!.data).toEqual(big.data);
    expect(JSON.stringify((await store.readAll())[1]!.data)).toBe(text);
    const snapshot = { streamName: 'household-big', revision: 1, format: 'f/1', data: big.data };
    await store.writeSnapshots([snapshot]);
    expect(JSON.stringify((await store.readSnapshot('household-big'))!.data)).toBe(text);
    await store.close();

    const rows = storageOf(
      path,
      `SELECT t.name AS type, typeof(data) AS class, length(data) AS bytes, hex(substr(data, 1, 1)) AS tag FROM events e JOIN event_types t ON t.id = e.type_id ORDER BY position`,
    ) as Array<{ type: string; class: string; bytes: number; tag: string }>;
    expect(rows.map((r) => [r.type, r.class])).toEqual([
      ['Small', 'text'],
      [big.type, 'blob'],
    ]);
    expect(rows[1]!.tag).toBe('03'); // codec 3 (payloadCodec.ts): the decisions' dictionary
    expect(rows[1]!.bytes).toBeLessThan(text.length * 0.1);
    expect(storageOf(path, `SELECT typeof(data) AS class FROM snapshots`)).toEqual([{ class: 'blob' }]);
  });

  it('rows written before packing (plain JSON text) still read exactly, next to packed ones', async () => {
    const path = join(packDir, 'old.sqlite');
    // The old writer: every payload as TEXT, also the large ones (and the old schema, format 1).
    const big = bigDecision();
    const oldText = JSON.stringify(big.data);
    writeFormat1Store(path, {
      events: [
        {
          streamName: 'household-1',
          revision: 0,
          eventId: 'old-0',
          type: big.type,
          recordedAt: '2027-01-05T02:00:00Z',
          data: oldText,
          metadata: '{"correlationId":"c-old"}',
        },
      ],
      snapshots: [
        { streamName: 'household-1', revision: 0, format: 'f/1', data: '{"old":"snapshot","amount":"12.50"}' },
      ],
    });

    const store = new SqliteEventStore(path);
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
    await store.append('household-1', [newer], { expectedRevision: 0 });
    const texts = (await store.readStreamText('household-1')).map((e) => e.dataText);
    expect(texts).toEqual([oldText, JSON.stringify(newer.data)]);
    expect((await store.readAll()).map((e) => e.data)).toEqual([big.data, newer.data]);
    await store.close();
    expect(storageOf(path, 'SELECT event_id, typeof(data) AS class FROM events ORDER BY position')).toEqual([
      { event_id: 'old-0', class: 'text' },
      { event_id: 'new-1', class: 'blob' },
    ]);
  });

  it("the worked examples' events take less than 40 % of the disk they took as plain text, and read back the same", async () => {
    const events = exampleEvents();
    const packedPath = join(packDir, 'examples-packed.sqlite');
    const plainPath = join(packDir, 'examples-plain.sqlite');
    const store = new SqliteEventStore(packedPath);
    const scenarios = [...new Set(events.map((e) => e.scenario))];
    for (const scenario of scenarios)
      await store.append(
        `household-${scenario}`,
        events.filter((e) => e.scenario === scenario).map((e) => e.event),
      );
    await store.close();
    // The same store as the writer before packing would have left it: every payload as its JSON text.
    const packedDb = new Database(packedPath);
    packedDb.exec(`VACUUM INTO '${plainPath}'`);
    packedDb.exec('VACUUM');
    packedDb.close();
    const plainDb = new Database(plainPath);
    plainDb.function('unpacked', (stored: unknown) => unpackPayload(stored as string | Buffer));
    plainDb.exec(`UPDATE events SET data = unpacked(data); VACUUM`);
    expect(plainDb.prepare(`SELECT count(*) FROM events WHERE typeof(data) <> 'text'`).pluck().get()).toBe(0);
    plainDb.close();

    const plainBytes = statSync(plainPath).size;
    const packedBytes = statSync(packedPath).size;
    console.log(
      `worked examples: ${events.length} events, ${plainBytes} bytes plain, ${packedBytes} packed (${((packedBytes / plainBytes) * 100).toFixed(1)} %)`,
    );
    expect(packedBytes).toBeLessThan(plainBytes * 0.4);

    const [packed, plain] = [
      new SqliteEventStore(packedPath, { mode: 'read-only' }),
      new SqliteEventStore(plainPath, { mode: 'read-only' }),
    ];
    for (const scenario of scenarios) {
      const texts = (await packed.readStreamText(`household-${scenario}`)).map((e) => e.dataText);
      expect(texts).toEqual(events.filter((e) => e.scenario === scenario).map((e) => JSON.stringify(e.event.data)));
      expect(await plain.readStreamText(`household-${scenario}`)).toEqual(
        await packed.readStreamText(`household-${scenario}`),
      );
    }
    expect(await plain.readAll()).toEqual(await packed.readAll());
    await Promise.all([packed.close(), plain.close()]);
  });
});
