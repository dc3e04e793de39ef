import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, WrongExpectedRevisionError, type EventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { Ingestor, readNdjson, type InboundMessage, type IngestOutcome } from '../src/index.js';
import { ctx } from './fixtures.js';
import { plan } from './hostileMessages.js';
import { writeSyntheticFile } from './syntheticHouseholds.js';

/*
 * The batched path of ingestBatch against the per-message path: the same messages through ingest()
 * one by one and through ingestBatch in batches of 1, 7 and 5,000, each on a fresh SQLite store, with
 * the segments' reads ahead (prefetch) on and off. The outcome of every message and every stored event
 * (in commit order, positions aside) are the same.
 */
const logger = createLogger('equivalence', { level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'batch-equivalence-'));
let stores = 0;
const freshStore = () => openEventStore({ kind: 'sqlite', path: join(dir, `events-${++stores}.sqlite`) });

/** Everything stored, in commit order, without the store-wide positions. */
async function contents(store: EventStore) {
  return (await store.readAll()).map(({ globalPosition: _, ...rest }) => rest);
}

async function oneByOne(messages: readonly InboundMessage[]) {
  const store = await freshStore();
  const ingestor = new Ingestor(store, ctx, logger);
  const outcomes: IngestOutcome[] = [];
  for (const m of messages) outcomes.push(await ingestor.ingest(m));
  const stored = await contents(store);
  await store.close();
  return { outcomes, stored };
}

async function inBatches(
  messages: readonly InboundMessage[],
  size: number,
  wrap: (store: EventStore) => EventStore = (s) => s,
  prefetch = true,
) {
  const store = await freshStore();
  const ingestor = new Ingestor(wrap(store), ctx, logger, { prefetch });
  const outcomes: IngestOutcome[] = [];
  for (let i = 0; i < messages.length; i += size)
    outcomes.push(...(await ingestor.ingestBatch(messages.slice(i, i + size))));
  const stored = await contents(store);
  await store.close();
  return { outcomes, stored };
}

/** A store whose appendMany of several requests fails now and then as if another writer got in first (nothing written). */
function withLostRaces(store: EventStore, every: number): EventStore {
  let calls = 0;
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'appendMany') {
        return async (...[requests, claims]: Parameters<EventStore['appendMany']>) => {
          if (requests.length > 1 && ++calls % every === 0)
            throw new WrongExpectedRevisionError(requests[0]!.streamName, 0, 1);
          return target.appendMany(requests, claims);
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Batches of 1, 7 and 5,000 with the read-ahead on, and 5,000 with it off: each as `reference` (one by one). */
async function expectEveryBatchingAs(
  messages: readonly InboundMessage[],
  reference: Awaited<ReturnType<typeof oneByOne>>,
): Promise<void> {
  for (const [size, prefetch] of [
    [1, true],
    [7, true],
    [5_000, true],
    [5_000, false],
  ] as const) {
    const batched = await inBatches(messages, size, undefined, prefetch);
    expect(batched.outcomes, `batch size ${size}, prefetch ${prefetch}`).toEqual(reference.outcomes);
    expect(batched.stored, `batch size ${size}, prefetch ${prefetch}`).toEqual(reference.stored);
  }
}

const tally = (outcomes: IngestOutcome[]) =>
  outcomes.reduce<Record<string, number>>((t, o) => ((t[o.status] = (t[o.status] ?? 0) + 1), t), {});

describe('ingestBatch gives the outcomes of ingest() one by one', () => {
  const hostile: InboundMessage[] = plan(12).map((p, i) => ({
    kind: p.kind,
    payload: p.payload,
    recordedAt: '2027-09-01T10:00:00Z',
    source: { type: 'file', name: 'hostile.ndjson', line: i + 1 },
  }));

  it('hostile messages: batches of 1, 7 and 5,000, prefetch on and off, and lost races, against one by one', async () => {
    const reference = await oneByOne(hostile);
    // The mix the comparison covers (all kinds of outcome, conflicts, parking and alerts among them).
    expect(reference.outcomes).toHaveLength(hostile.length);
    expect(tally(reference.outcomes)).toEqual({ recorded: 7_846, rejected: 3_499, parked: 368, duplicate: 357 });
    await expectEveryBatchingAs(hostile, reference);
    // Lost races with the read-ahead on (with it off this is the path the other tests have always covered).
    const raced = await inBatches(hostile, 500, (s) => withLostRaces(s, 3), true);
    expect(raced.outcomes, 'lost races').toEqual(reference.outcomes);
    expect(raced.stored, 'lost races').toEqual(reference.stored);
  }, 600_000);

  it('a synthetic-household file: batches of 1, 7 and 5,000 against one by one', async () => {
    const file = join(dir, 'synthetic.ndjson');
    writeSyntheticFile(file, 600, 7);
    let tick = Date.UTC(2027, 0, 1);
    const messages: InboundMessage[] = [];
    for await (const m of readNdjson(file, { now: () => new Date((tick += 3_600_000)).toISOString() }))
      messages.push(m);
    const reference = await oneByOne(messages);
    expect(tally(reference.outcomes)).toEqual({ recorded: 7_324, parked: 24, duplicate: 326 });
    await expectEveryBatchingAs(messages, reference);
  }, 300_000);
});
