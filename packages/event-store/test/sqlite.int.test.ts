import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '../src/index.js';
import { eventStoreContract, ev } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'es-sqlite-'));
let n = 0;
eventStoreContract('SQLite (file, WAL)', () => openEventStore({ kind: 'sqlite', path: join(dir, `contract-${++n}.sqlite`) }));

describe('SQLite adapter durability', () => {
  it('keeps events and checkpoints when the file is reopened, and continues revisions and positions', async () => {
    const path = join(dir, 'reopen.sqlite');
    const a = await openEventStore({ kind: 'sqlite', path });
    await a.append('s', [ev('A'), ev('B')]);
    await a.storeCheckpoint('sub', 2);
    await a.close();
    const b = await openEventStore({ kind: 'sqlite', path });
    expect((await b.readStream('s')).map((e) => [e.type, e.streamRevision])).toEqual([
      ['A', 0],
      ['B', 1],
    ]);
    expect(await b.loadCheckpoint('sub')).toBe(2);
    const r = await b.append('s', [ev('C')], { expectedRevision: 1 });
    expect(r.nextExpectedRevision).toBe(2);
    expect(r.lastGlobalPosition).toBe(3);
    await b.close();
  });
});
