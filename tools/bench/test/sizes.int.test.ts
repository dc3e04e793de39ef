import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStore } from '@bijstand/event-store';
import { sqliteBreakdown } from '../src/sizes.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const event = (i: number, data: unknown) => ({
  eventId: `e-${i}`,
  type: 'Test',
  schemaVersion: 1,
  recordedAt: '2027-01-01T02:00:00Z',
  data,
});

/** The breakdown reads today's SQLite layout: if an adapter's layout changes, this says so before a bench run. */
describe("a SQLite store's size breakdown", () => {
  it('counts every table and index to the byte of the file, and the events per kind of stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-sizes-'));
    dirs.push(dir);
    const path = join(dir, 'store.sqlite');
    const store = await openEventStore({ kind: 'sqlite', path });
    await store.append('household-a', [event(1, { month: '2027-01' }), event(2, { month: '2027-02' })]);
    await store.append('household-b', [event(3, { month: '2027-01' })]);
    await store.append('message-id-0123', [event(4, { hash: 'ab' })]);
    await store.append('member-x', [event(5, { household: 'a' })]);
    await store.append('nightly-runs', [event(6, { runDate: '2027-02-01' })]);
    await store.writeSnapshots([{ streamName: 'household-a', revision: 1, format: 'test', data: { n: 2 } }]);
    await store.close();

    const total = statSync(path).size;
    const b = await sqliteBreakdown(path, total);
    expect(b.notes).toEqual([]);
    expect(b.parts.reduce((s, p) => s + p.bytes, 0)).toBe(total);
    expect(b.parts.find((p) => p.name === 'events')).toMatchObject({ kind: 'table', table: 'events' });
    expect(b.parts.find((p) => p.name === 'events_by_stream')).toMatchObject({ kind: 'index', table: 'events' });
    expect(b.byStreamKind?.map(({ kind, streams, events }) => [kind, streams, events]).sort()).toEqual([
      ['household', 2, 3],
      ['member index', 1, 1],
      ['message-id claim', 1, 1],
      ['other', 1, 1],
    ]);
    expect(b.byStreamKind!.every((k) => k.payloadBytes > 0)).toBe(true);
    expect(b.snapshots?.rows).toBe(1);
  });
});
