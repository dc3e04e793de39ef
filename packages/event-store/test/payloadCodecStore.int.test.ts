import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from '../src/index.js';
import { ev } from './contract.js';
import { bigDecision, exampleEvents } from './payloads.js';

/**
 * A store written before codecs 2 and 3 (codec 1 rows, PAYLOAD_CODEC=1 writes them as that version
 * did) goes on with the new codecs: every payload of both reads back exactly, the old ones untouched.
 */
describe('payload codecs in a SQLite store: rows of codec 1 next to codecs 2 and 3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-codecs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  const tagsOf = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return (
        db
          .prepare(
            `SELECT CASE typeof(data) WHEN 'blob' THEN unicode(CAST(substr(data, 1, 1) AS TEXT)) ELSE 'text' END AS tag
            FROM events ORDER BY position`,
          )
          .all() as { tag: number | string }[]
      ).map((r) => r.tag);
    } finally {
      db.close();
    }
  };

  it('an old store written with codec 1 reads back exactly after new rows are packed with codecs 2 and 3', async () => {
    const path = join(dir, 'mixed.sqlite');
    const payloads = [
      ...exampleEvents().map((e) => e.event.data),
      bigDecision().data,
      { month: '2027-06', year: '2027', reason: 'no-claim-offset', shortfall: '-15.61' },
    ];
    vi.stubEnv('PAYLOAD_CODEC', '1');
    const old = new SqliteEventStore(path);
    await old.append(
      'household-old',
      payloads.map((data) => ev('Old', data)),
    );
    await old.close();
    vi.unstubAllEnvs();

    const store = new SqliteEventStore(path);
    await store.append(
      'household-new',
      payloads.map((data) => ev('New', data)),
    );
    const texts = (await store.readAll()).map((e) => JSON.stringify(e.data));
    const [oldText, newText] = [
      await store.readStreamText('household-old'),
      await store.readStreamText('household-new'),
    ];
    await store.close();

    const expected = payloads.map((data) => JSON.stringify(data));
    expect(texts).toEqual([...expected, ...expected]);
    expect(oldText.map((e) => e.dataText)).toEqual(expected);
    expect(newText.map((e) => e.dataText)).toEqual(expected);
    const tags = tagsOf(path);
    const [oldTags, newTags] = [new Set(tags.slice(0, payloads.length)), new Set(tags.slice(payloads.length))];
    expect([...oldTags].sort()).toEqual([1, 'text']);
    expect([...newTags].sort()).toEqual([2, 3]);
  });
});
