import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresAvailable, startPostgres } from '@bijstand/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copyEventStore,
  CopyMismatchError,
  CopyTargetNotEmptyError,
  openEventStore,
  verifyCopy,
  type EventStore,
} from '../src/index.js';
import { ev } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'event-store-copy-'));
/** The move the copy is for: SQLite into PostgreSQL (a throwaway cluster, as in postgres.int.test.ts). */
const server = postgresAvailable() ? await startPostgres() : null;
const admin = server ? new pg.Pool({ connectionString: server.url, max: 1 }) : null;
// An idle connection ended by the server's shutdown is no test failure.
admin?.on('error', () => {});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await admin?.end();
  await server?.stop();
});
let files = 0;
const postgres = async () => {
  const name = `copy_${process.pid}_${++files}`;
  await admin!.query(`CREATE DATABASE ${name}`);
  return openEventStore({ kind: 'postgres', connectionString: server!.urlOf(name) });
};
const sqlite = () => openEventStore({ kind: 'sqlite', path: join(dir, `s-${++files}.sqlite`) });
const memory = () => openEventStore({ kind: 'memory' });

/** Streams written in interleaved commits, with odd JSON, metadata, recordedAt forms and snapshots. */
async function filledSource(source: EventStore): Promise<string[]> {
  await source.append('household-1', [
    ev('CaseOpened', { n: 1 }, { eventId: 'case:1' }),
    ev(
      'IncomeStatementRecorded',
      {
        taxableWage: '1401.50',
        note: 'é ü — \u2028 "quoted"',
        big: 1e21,
        small: 5e-7,
        nested: { list: [1, 2.5, null, true] },
      },
      { metadata: { correlationId: 'ingest', causationId: 'msg-1' } },
    ),
  ]);
  await source.append('member-abc', [
    ev('MemberOfHousehold', { householdId: '1' }, { recordedAt: '2027-01-05T03:00:00.123+01:00' }),
  ]);
  await source.appendMany([
    { streamName: 'household-2', events: [ev('CaseOpened', {}, { eventId: 'case:2' })] },
    {
      streamName: 'household-1',
      events: [ev('MonthSettled', { month: '2027-01' }), ev('PaymentMade', { amount: '0.00' }, { metadata: {} })],
    },
  ]);
  await source.append('household-2', [ev('MonthSettled', { month: '2027-01' })]);
  await source.writeSnapshots([
    { streamName: 'household-1', revision: 3, format: 'household-state/2', data: { ledger: '12.34' } },
  ]);
  await source.writeClaims(CLAIMS);
  return ['household-1', 'member-abc', 'household-2'];
}

/** Three message claims: with one event per page, three pages of claims. */
const CLAIMS = [
  { key: 'ff'.repeat(16), hash: '01'.repeat(32), recordedAt: '2027-01-05T02:00:00.000Z' },
  { key: '00'.repeat(16), hash: '02'.repeat(32), recordedAt: '2027-01-05T02:00:00.500Z' },
  { key: '7f'.repeat(16), hash: '03'.repeat(32), recordedAt: '2027-02-01T00:00:00.000Z' },
];

describe.each([
  ['SQLite → memory', sqlite, memory],
  ['memory → SQLite', memory, sqlite],
  ['SQLite → SQLite, one event per page', sqlite, sqlite],
  ...(server
    ? ([
        ['SQLite → PostgreSQL', sqlite, postgres],
        ['PostgreSQL → SQLite', postgres, sqlite],
      ] as const)
    : []),
] as const)('copyEventStore: %s', (label, openSource, openTarget) => {
  const pageEvents = label.includes('one event') ? 1 : 5000;

  it('copies every event with its revision, id, type, recordedAt, metadata and exact JSON text, in commit order, and the snapshots', async () => {
    const source = await openSource();
    const target = await openTarget();
    const names = await filledSource(source);
    const progress: number[] = [];
    const summary = await copyEventStore(source, target, { pageEvents, onProgress: (p) => progress.push(p.events) });
    expect(summary).toEqual({ events: 7, streams: 3, snapshots: 1, claims: 3 });
    expect(await target.listClaims({ maxCount: 10 })).toEqual([CLAIMS[1], CLAIMS[2], CLAIMS[0]]);
    expect(progress[progress.length - 1]).toBe(7);
    await verifyCopy(source, target, names);
    const order = (all: Awaited<ReturnType<EventStore['readAll']>>) =>
      all.map((e) => `${e.streamName}@${e.streamRevision}:${e.type}`);
    const [a, b] = [await source.readAll(), await target.readAll()];
    expect(order(b)).toEqual(order(a));
    expect(b.map((e) => e.globalPosition)).toEqual([...b.map((e) => e.globalPosition)].sort((x, y) => x - y));
    expect(await target.listStreams('household-')).toEqual(['household-1', 'household-2']);
    expect((await target.readStream('member-abc'))[0]!.recordedAt).toBe('2027-01-05T03:00:00.123+01:00');
    expect(await target.readSnapshot('household-1')).toEqual({
      streamName: 'household-1',
      revision: 3,
      format: 'household-state/2',
      data: { ledger: '12.34' },
    });
    // The copy goes on as a store of its own: the next append continues the revisions.
    expect(await target.append('household-2', [ev('PaymentMade')], { expectedRevision: 1 })).toMatchObject({
      nextExpectedRevision: 2,
      appended: 1,
    });
    await source.close();
    await target.close();
  });
});

describe('copyEventStore refuses and verifyCopy finds', () => {
  it('refuses a target that holds events, writing nothing', async () => {
    const source = await sqlite();
    const target = await memory();
    await filledSource(source);
    await target.append('household-9', [ev('CaseOpened')]);
    await expect(copyEventStore(source, target)).rejects.toBeInstanceOf(CopyTargetNotEmptyError);
    expect((await target.readAll()).length).toBe(1);
  });

  it('verifyCopy names the stream that differs: an extra event, another text, another snapshot', async () => {
    const source = await sqlite();
    const names = await filledSource(source);
    const extra = await memory();
    await copyEventStore(source, extra);
    await extra.append('member-abc', [ev('MembershipEnded')]);
    await expect(verifyCopy(source, extra, names)).rejects.toThrow(
      new CopyMismatchError('member-abc', '1 events in the source, 2 in the copy'),
    );

    const snapshot = await memory();
    await copyEventStore(source, snapshot);
    await snapshot.writeSnapshots([{ streamName: 'household-1', revision: 4, format: 'household-state/2', data: {} }]);
    await expect(verifyCopy(source, snapshot, names)).rejects.toThrow(/household-1: its snapshot differs/);

    const other = await memory();
    await other.append(
      'household-1',
      (await source.readStream('household-1')).map((e, i) => ({
        ...e,
        data: i === 1 ? { taxableWage: '1401.5' } : e.data,
      })),
    );
    await expect(verifyCopy(source, other, ['household-1'])).rejects.toThrow(
      /household-1: event .* \(revision 1\) differs/,
    );
  });

  it('verifyCopy names a message claim that differs or is missing', async () => {
    const source = await sqlite();
    const names = await filledSource(source);
    const copied = await memory();
    await copyEventStore(source, copied, { pageEvents: 100 });
    await verifyCopy(source, copied, names);
    // The same claims, one under another hash: named by its key.
    const differing = await memory();
    await differing.writeClaims(CLAIMS.map((c, i) => (i === 2 ? { ...c, hash: 'ee'.repeat(32) } : c)));
    await expect(verifyCopy(source, differing, [])).rejects.toThrow(
      new CopyMismatchError('(message claims)', `claim ${CLAIMS[2]!.key} differs`),
    );
    const missing = await memory();
    await verifyCopy(await memory(), missing, []);
    await expect(verifyCopy(source, missing, [])).rejects.toThrow(
      new CopyMismatchError('(message claims)', `claim ${CLAIMS[1]!.key} differs`),
    );
  });
});
