import { describe, expect, it } from 'vitest';
import { openEventStore } from '@bijstand/event-store';
import { StreamTail } from '../src/streamTail.js';

const night = (n: number) => ({
  eventId: `night-${n}`,
  type: 'NightlyRunRecorded',
  schemaVersion: 1,
  recordedAt: `2027-01-0${n}T02:00:00Z`,
  data: { n },
});

describe('StreamTail: an append-only stream read once, then from where the last read ended', () => {
  it('gives every event in order, also those another writer appended since, and each once when read at once', async () => {
    const store = await openEventStore({ kind: 'memory' });
    const tail = new StreamTail(store, 'nightly-runs', (e) => (e.data as { n: number }).n);
    expect(await tail.read()).toEqual([]);
    await store.append('nightly-runs', [night(1), night(2)]);
    expect(await tail.read()).toEqual([1, 2]);
    // Another process (here: the store itself) appends; two reads at once add each new event once.
    await store.append('nightly-runs', [night(3)]);
    const [a, b] = await Promise.all([tail.read(), tail.read()]);
    expect([...a]).toEqual([1, 2, 3]);
    expect([...b]).toEqual([1, 2, 3]);
    await store.append('nightly-runs', [night(4)]);
    expect(await tail.read()).toEqual([1, 2, 3, 4]);
  });
});
