import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventStore, SqliteEventStore } from '../src/index.js';
import { eventStoreContract, ev } from './contract.js';

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
    const sub = reader.subscribeToAll({ subscriptionId: 'sub', handler: async (e) => void handled.push(e.type), pollIntervalMs: 10 });
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
