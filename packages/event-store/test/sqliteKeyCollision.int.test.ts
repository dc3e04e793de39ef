import { describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../src/index.js';
import { eventStoreContract, ev } from './contract.js';

// Every event id gets one of two keys: nearly every idempotency lookup meets rows of other ids with
// the same key, so the contract passes only if the lookup compares the event id text.
vi.mock(import('../src/sqliteEncoding.js'), async (importOriginal) => ({
  ...(await importOriginal()),
  eventKeyOf: (eventId: string) => eventId.length % 2,
}));

eventStoreContract(
  'SQLite (:memory:), every event id on one of two keys',
  async () => new SqliteEventStore(':memory:'),
);

describe('SQLite: event ids that share a key', () => {
  it('each appends once; a repeat of either, alone or in a batch, is a no-op', async () => {
    const store = new SqliteEventStore(':memory:');
    const [a, b, c] = ['id-a', 'id-b', 'id-c'].map((eventId) => ev('T', { eventId }, { eventId }));
    expect((await store.append('s', [a!, b!])).appended).toBe(2);
    expect(await store.append('s', [{ ...b! }, { ...a! }])).toEqual({
      nextExpectedRevision: 1,
      lastGlobalPosition: null,
      appended: 0,
    });
    expect((await store.append('s', [{ ...a! }, c!, { ...c! }])).appended).toBe(1);
    expect((await store.append('other', [{ ...a! }])).appended).toBe(1);
    expect((await store.readStream('s')).map((e) => e.eventId)).toEqual(['id-a', 'id-b', 'id-c']);
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.prepare('SELECT DISTINCT event_key FROM events').pluck().all()).toEqual([0]);
    await store.close();
  });
});
