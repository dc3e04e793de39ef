import { describe, expect, it } from 'vitest';
import { attribute, composition, sizeBreakdownText } from '../src/sizeReport.js';
import type { SizeBreakdown } from '../src/sizes.js';

/** KiB as bytes: with one household-year, a part of `k` KiB reads as k KiB per household-year. */
const K = 1024;
const breakdown: SizeBreakdown = {
  how: 'dbstat',
  totalBytes: 1700 * K,
  parts: [
    { name: 'events', kind: 'table', table: 'events', bytes: 1000 * K },
    { name: 'snapshots', kind: 'table', table: 'snapshots', bytes: 300 * K },
    { name: 'events_by_stream', kind: 'index', table: 'events', bytes: 200 * K },
    { name: 'streams', kind: 'table', table: 'streams', bytes: 100 * K },
    { name: 'free pages, WAL', kind: 'other', table: '', bytes: 50 * K },
    { name: 'streams_name', kind: 'index', table: 'streams', bytes: 50 * K },
  ],
  byStreamKind: [
    { kind: 'household', streams: 10, events: 80, payloadBytes: 500 * K },
    { kind: 'message-id claim', streams: 10, events: 10, payloadBytes: 50 * K },
    { kind: 'member index', streams: 5, events: 10, payloadBytes: 50 * K },
  ],
  snapshots: { rows: 10, payloadBytes: 250 * K },
  notes: [],
};

/** The cells of the table row that starts with `name` (columns are two or more spaces apart). */
const cells = (text: string, name: string) =>
  text
    .split('\n')
    .find((line) => line.startsWith(name))
    ?.trim()
    .split(/\s{2,}/);

describe('what a store’s size is made of', () => {
  it('gives a kind of stream its payloads, a share of the other event bytes by events and of the streams', () => {
    // Events table and indexes without payloads: 1,200 − 600 = 600 KiB over 100 events; streams 150 KiB over 25.
    expect(attribute(breakdown).map((k) => [k.kind, k.bytes / K])).toEqual([
      ['household', 500 + 480 + 60],
      ['message-id claim', 50 + 60 + 60],
      ['member index', 50 + 60 + 30],
    ]);
  });

  it('splits the total into the events heap, payloads, indexes, snapshots, streams and the rest', () => {
    const c = composition(breakdown);
    expect(c).toEqual({
      eventsHeap: 400 * K,
      payloads: 600 * K,
      eventsIndexes: 200 * K,
      snapshots: 300 * K,
      streams: 150 * K,
      claims: 0,
      rest: 50 * K,
      messageIdClaims: 170 * K,
    });
    expect(c.eventsHeap + c.payloads! + c.eventsIndexes + c.snapshots + c.streams + c.rest).toBe(breakdown.totalBytes);
  });

  it('states the figure as the sum of its parts, per household-year', () => {
    const text = sizeBreakdownText('SQLite (WAL)', breakdown, 2);
    expect(text.split('\n')[0]).toBe(
      'SQLite (WAL): 850.00 KiB per household-year = events heap without payloads 200.00 + payloads 300.00 + ' +
        "events' indexes 100.00 + snapshots 150.00 + streams 75.00 + the rest 25.00 (dbstat). The message-id claims " +
        'kept as streams (their events, index entries and streams, attributed) take 85.00 of it.',
    );
    expect(cells(text, 'events_by_stream')).toEqual(['events_by_stream', 'events', '0.2', '100.00', '11.8 %']);
    expect(cells(text, 'events in message-id claim')).toEqual([
      'events in message-id claim streams',
      '10',
      '10',
      '0.0',
      '85.00',
    ]);
  });

  it('reports what it could not count, and no payload figure then', () => {
    const text = sizeBreakdownText(
      'PostgreSQL 15.18',
      { ...breakdown, byStreamKind: null, notes: ['x not counted'] },
      1,
    );
    expect(text.split('\n')[0]).toContain('= events heap without payloads 1,000.00 + events');
    expect(text).toContain('(x not counted)');
  });

  it('counts the message claims table (issue #26) as a part of its own, and no claim streams then', () => {
    const withTable: SizeBreakdown = {
      ...breakdown,
      totalBytes: 1700 * K,
      parts: [
        ...breakdown.parts.filter((p) => p.kind !== 'other'),
        { name: 'message_claims', kind: 'table', table: 'message_claims', bytes: 40 * K },
        { name: 'free pages, WAL', kind: 'other', table: '', bytes: 10 * K },
      ],
      byStreamKind: breakdown.byStreamKind!.filter((k) => k.kind !== 'message-id claim'),
    };
    const c = composition(withTable);
    expect([c.claims, c.rest, c.messageIdClaims]).toEqual([40 * K, 10 * K, null]);
    const first = sizeBreakdownText('SQLite (WAL)', withTable, 1).split('\n')[0]!;
    expect(first).toContain('+ streams 150.00 + message claims 40.00 + the rest 10.00 (dbstat).');
    expect(first).not.toContain('kept as streams');
  });
});
