import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, openSync, closeSync, writeSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  EventStoreDamagedError,
  EventStoreAccessError,
  EventStoreNotFoundError,
  openEventStore,
  SqliteEventStore,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'event-store-open-'));
let files = 0;
const fresh = () => join(dir, `store-${++files}.sqlite`);
const event = (n: number) => ({
  eventId: `e-${n}`,
  type: 'Thing',
  schemaVersion: 1,
  recordedAt: '2027-01-01T00:00:00Z',
  data: { n, text: 'x'.repeat(900) },
});

async function storeWithEvents(path: string, count = 300): Promise<void> {
  const store = new SqliteEventStore(path);
  await store.append(
    's-1',
    Array.from({ length: count }, (_, i) => event(i)),
  );
  await store.close();
}

/** Overwrites `length` bytes in the middle of the file (not the header): SQLite still opens it. */
function damagePages(path: string): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, Math.floor(statSync(path).size / 2 / 4096) * 4096);
  closeSync(fd);
}

describe('opening a SQLite store: read-only, must exist, integrity', () => {
  it('read-only on a missing file: EventStoreNotFoundError naming the path, and nothing is created', async () => {
    const path = join(dir, 'missing', 'events.sqlite');
    await expect(openEventStore({ kind: 'sqlite', path, mode: 'read-only' })).rejects.toThrow(
      new EventStoreNotFoundError(path),
    );
    await expect(openEventStore({ kind: 'sqlite', path, mode: 'existing' })).rejects.toThrow(
      `no event store at ${path}`,
    );
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('read-only reads what a writer wrote, refuses every write, and leaves the file as it was', async () => {
    const path = fresh();
    await storeWithEvents(path, 3);
    const before = statSync(path).mtimeMs;
    const store = await openEventStore({ kind: 'sqlite', path, mode: 'read-only' });
    expect((await store.readStream('s-1')).map((e) => e.eventId)).toEqual(['e-0', 'e-1', 'e-2']);
    expect(await store.listStreams('s-')).toEqual(['s-1']);
    await expect(store.append('s-1', [event(9)])).rejects.toThrow(
      new EventStoreAccessError(path, 'is open read-only: nothing can be written through this connection'),
    );
    await expect(store.writeSnapshots([{ streamName: 's-1', revision: 0, format: 'f', data: {} }])).rejects.toThrow(
      EventStoreAccessError,
    );
    await expect(store.storeCheckpoint('sub', 1)).rejects.toThrow(EventStoreAccessError);
    await store.close();
    expect(statSync(path).mtimeMs).toBe(before);
    expect(await (await openEventStore({ kind: 'sqlite', path, mode: 'read-only' })).readStream('s-1')).toHaveLength(3);
  });

  it('a file that is not a SQLite database is damaged, for readers and for writers', async () => {
    const path = fresh();
    writeFileSync(path, 'this is not a database, just text '.repeat(200));
    for (const mode of ['read-only', 'existing', 'create'] as const) {
      const err = await openEventStore({ kind: 'sqlite', path, mode }).catch((e: unknown) => e);
      expect(err, mode).toBeInstanceOf(EventStoreDamagedError);
      expect((err as Error).message).toBe(`the event store at ${path} is damaged: file is not a database`);
    }
  });

  it('damaged pages inside a valid file: quick_check refuses the store at open, so a writer cannot append to it', async () => {
    const path = fresh();
    await storeWithEvents(path);
    damagePages(path);
    // Without the check the damage goes unnoticed: the file opens and takes a write (the finding).
    const unchecked = new SqliteEventStore(path, { check: false });
    await expect(unchecked.append('s-2', [event(1)])).resolves.toMatchObject({ appended: 1 });
    await unchecked.close();
    for (const mode of ['read-only', 'existing', 'create'] as const) {
      const err = await openEventStore({ kind: 'sqlite', path, mode }).catch((e: unknown) => e);
      expect(err, mode).toBeInstanceOf(EventStoreDamagedError);
      expect((err as Error).message).toMatch(new RegExp(`^the event store at ${path} is damaged: `));
    }
  });

  it("another application's SQLite file is not taken over: no events table, refused without adding ours", async () => {
    const path = fresh();
    const other = new Database(path);
    other.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    other.close();
    for (const mode of ['read-only', 'existing', 'create'] as const) {
      await expect(openEventStore({ kind: 'sqlite', path, mode }), mode).rejects.toThrow(
        new EventStoreNotFoundError(path, 'the file is a SQLite database of something else: it has no events table'),
      );
    }
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['customers']);
    check.close();
  });

  it('an empty file is no store for a reader; a writer in create mode makes it one', async () => {
    const path = fresh();
    writeFileSync(path, '');
    await expect(openEventStore({ kind: 'sqlite', path, mode: 'read-only' })).rejects.toThrow(
      new EventStoreNotFoundError(path, 'the file holds no events'),
    );
    const store = await openEventStore({ kind: 'sqlite', path });
    await store.append('s-1', [event(1)]);
    await store.close();
    expect(await (await openEventStore({ kind: 'sqlite', path, mode: 'read-only' })).readStream('s-1')).toHaveLength(1);
  });

  it('a directory where the file should be: an access error, not a stack trace', async () => {
    const err = await openEventStore({ kind: 'sqlite', path: dir, mode: 'existing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventStoreAccessError);
    expect((err as Error).message).toMatch(new RegExp(`^the event store at ${dir} cannot be opened for writing: `));
    expect(readdirSync(dir).every((f) => f.startsWith('store-'))).toBe(true);
  });
});
