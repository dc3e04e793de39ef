import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  ClaimTakenError,
  WrongExpectedRevisionError,
  type EventStore,
  type MessageClaim,
  type NewEvent,
  type RecordedEvent,
} from '../src/index.js';

let counter = 0;
/** A new event with a unique eventId (unless `over` gives one). */
export const ev = (type: string, data: unknown = {}, over: Partial<NewEvent> = {}): NewEvent => ({
  eventId: `e-${++counter}`,
  type,
  schemaVersion: 1,
  recordedAt: '2027-01-05T02:00:00Z',
  data,
  ...over,
});

export interface ContractOptions {
  /**
   * Why appendMany cannot be all or nothing for this adapter, when it cannot (EventStoreDB has no
   * transaction across streams). The atomicity case is then skipped, with this reason in its title.
   */
  appendManyNotAtomicBecause?: string;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one contract every event-store adapter passes: the in-memory and SQLite adapters in every run,
 * EventStoreDB when a server is configured. Each test works in streams of its own (a unique prefix),
 * so that a shared server does not mix tests, and ignores events of other tests in $all.
 *
 * `cleanup` runs once after the suite (e.g. to delete temporary files).
 */
export function eventStoreContract(
  adapterName: string,
  open: () => Promise<EventStore>,
  cleanup?: () => Promise<void> | void,
  options: ContractOptions = {},
): void {
  describe(`event-store contract: ${adapterName}`, () => {
    let store: EventStore;
    let prefix: string;
    /** A stream name of this test's own. */
    const s = (name: string) => `${prefix}${name}`;
    const mine = (events: RecordedEvent[]) => events.filter((e) => e.streamName.startsWith(prefix));
    const typesOf = (events: RecordedEvent[]) => events.map((e) => e.type);

    beforeEach(async () => {
      store = await open();
      prefix = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}-`;
    });
    afterEach(async () => {
      await store.close();
    });
    afterAll(async () => {
      await cleanup?.();
    });

    describe('append and optimistic concurrency', () => {
      it("appends to a new stream with 'no-stream' and reads it back in order with revisions", async () => {
        const result = await store.append(s('a'), [ev('A', { n: 1 }), ev('B', { n: 2 })], {
          expectedRevision: 'no-stream',
        });
        expect(result).toMatchObject({ nextExpectedRevision: 1, appended: 2 });
        const read = await store.readStream(s('a'));
        expect(read.map((e) => [e.type, e.streamRevision, e.data, e.streamName])).toEqual([
          ['A', 0, { n: 1 }, s('a')],
          ['B', 1, { n: 2 }, s('a')],
        ]);
        expect(read[0]!.globalPosition).toBeLessThan(read[1]!.globalPosition);
        expect(result.lastGlobalPosition).toBe(read[1]!.globalPosition);
      });

      it('appends with the correct numeric expected revision', async () => {
        await store.append(s('a'), [ev('A'), ev('B')], { expectedRevision: 'no-stream' });
        const result = await store.append(s('a'), [ev('C')], { expectedRevision: 1 });
        expect(result).toMatchObject({ nextExpectedRevision: 2, appended: 1 });
        expect(typesOf(await store.readStream(s('a')))).toEqual(['A', 'B', 'C']);
      });

      it('rejects an incorrect numeric expected revision with a WrongExpectedRevisionError carrying the actual revision', async () => {
        await store.append(s('a'), [ev('A'), ev('B'), ev('C')]);
        const err = await store.append(s('a'), [ev('D')], { expectedRevision: 1 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err).toMatchObject({ streamName: s('a'), expected: 1, actual: 2 });
        const onMissing = await store.append(s('missing'), [ev('E')], { expectedRevision: 0 }).catch((e: unknown) => e);
        expect(onMissing).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 'no-stream' });
        expect(typesOf(await store.readStream(s('a')))).toEqual(['A', 'B', 'C']);
        expect(await store.readStream(s('missing'))).toEqual([]);
      });

      it("rejects 'no-stream' on an existing stream and 'stream-exists' on a missing one", async () => {
        await store.append(s('a'), [ev('A')]);
        await expect(store.append(s('a'), [ev('B')], { expectedRevision: 'no-stream' })).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          actual: 0,
        });
        await expect(
          store.append(s('missing'), [ev('C')], { expectedRevision: 'stream-exists' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        const ok = await store.append(s('a'), [ev('D')], { expectedRevision: 'stream-exists' });
        expect(ok.nextExpectedRevision).toBe(1);
        expect(await store.listStreams(s('missing'))).toEqual([]);
      });
    });

    describe('idempotency by eventId', () => {
      it('appending an eventId the stream already holds is a no-op, even with a stale expected revision', async () => {
        const first = ev('A', { v: 1 }, { eventId: 'msg-1' });
        await store.append(s('a'), [first]);
        await store.append(s('a'), [ev('B')]);
        const again = await store.append(s('a'), [{ ...first }], { expectedRevision: 0 });
        expect(again).toEqual({ nextExpectedRevision: 1, lastGlobalPosition: null, appended: 0 });
        expect(typesOf(await store.readStream(s('a')))).toEqual(['A', 'B']);
      });

      it('skips the duplicates of a partly new batch (and repeats within it) and appends the rest', async () => {
        const known = ev('A', {}, { eventId: 'msg-1' });
        await store.append(s('a'), [known]);
        const fresh = ev('B', {}, { eventId: 'msg-2' });
        const result = await store.append(s('a'), [known, fresh, { ...fresh }], { expectedRevision: 0 });
        expect(result).toMatchObject({ nextExpectedRevision: 1, appended: 1 });
        expect((await store.readStream(s('a'))).map((e) => e.eventId)).toEqual(['msg-1', 'msg-2']);
      });

      it('a partly new batch still has its expected revision checked', async () => {
        const known = ev('A', {}, { eventId: 'msg-1' });
        await store.append(s('a'), [known, ev('B')]);
        await expect(store.append(s('a'), [known, ev('C')], { expectedRevision: 0 })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
      });

      it('the same eventId in another stream is a different event', async () => {
        await store.append(s('a'), [ev('A', {}, { eventId: 'msg-1' })]);
        const other = await store.append(s('b'), [ev('A', {}, { eventId: 'msg-1' })]);
        expect(other.appended).toBe(1);
      });
    });

    describe('reading', () => {
      it('reads a stream from a revision; a missing stream reads as empty', async () => {
        await store.append(s('a'), [ev('A'), ev('B'), ev('C')]);
        expect(typesOf(await store.readStream(s('a'), { fromRevision: 1 }))).toEqual(['B', 'C']);
        expect(await store.readStream(s('a'), { fromRevision: 3 })).toEqual([]);
        expect(await store.readStream(s('nothing'))).toEqual([]);
      });

      it('reads a stream as it stood at an instant: recordedAt ≤ asOf, compared as instants', async () => {
        await store.append(s('a'), [
          ev('Jan', {}, { recordedAt: '2027-01-01T02:00:00Z' }),
          ev('Feb', {}, { recordedAt: '2027-02-01T02:00:00Z' }),
          // Half a second later: sorts before '…02:00:00Z' as a string, but is after it.
          ev('FebLater', {}, { recordedAt: '2027-02-01T02:00:00.500Z' }),
          ev('Mar', {}, { recordedAt: '2027-03-01T02:00:00Z' }),
        ]);
        expect(typesOf(await store.readStream(s('a'), { asOf: '2027-02-01T02:00:00Z' }))).toEqual(['Jan', 'Feb']);
        // The same instant with an offset.
        expect(typesOf(await store.readStream(s('a'), { asOf: '2027-02-01T03:00:00+01:00' }))).toEqual(['Jan', 'Feb']);
        expect(typesOf(await store.readStream(s('a'), { asOf: '2027-02-01T01:59:59.999Z' }))).toEqual(['Jan']);
        expect(typesOf(await store.readStream(s('a'), { asOf: '2027-12-31T00:00:00Z', fromRevision: 2 }))).toEqual([
          'FebLater',
          'Mar',
        ]);
        expect(await store.readStream(s('a'), { asOf: '2026-12-31T00:00:00Z' })).toEqual([]);
      });

      it('reads everything in commit order across streams, after an exclusive position, with a max count', async () => {
        await store.append(s('x'), [ev('X1')]);
        await store.append(s('y'), [ev('Y1'), ev('Y2')]);
        await store.append(s('x'), [ev('X2')]);
        const all = mine(await store.readAll());
        expect(all.map((e) => [e.type, e.streamName, e.streamRevision])).toEqual([
          ['X1', s('x'), 0],
          ['Y1', s('y'), 0],
          ['Y2', s('y'), 1],
          ['X2', s('x'), 1],
        ]);
        const positions = all.map((e) => e.globalPosition);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        expect(new Set(positions).size).toBe(positions.length);
        const [, y1] = all;
        expect(typesOf(mine(await store.readAll({ fromPosition: y1!.globalPosition })))).toEqual(['Y2', 'X2']);
        const limited = await store.readAll({ fromPosition: y1!.globalPosition, maxCount: 1 });
        expect(limited).toHaveLength(1);
        expect(limited[0]!.type).toBe('Y2');
        expect(await store.readAll({ fromPosition: all.at(-1)!.globalPosition })).toEqual([]);
      });

      it('keeps data exactly (money strings stay strings) and round-trips metadata, correlation and causation', async () => {
        const data = {
          amount: '1401.50',
          nested: { list: ['0.10', '-3.05'], zero: '0.00' },
          n: 3,
          flag: false,
          none: null,
          text: 'ë € "quoted"',
        };
        await store.append(s('a'), [
          ev('A', data, {
            schemaVersion: 2,
            recordedAt: '2027-01-05T02:00:00Z',
            metadata: { correlationId: 'c-1', causationId: 'k-1', source: 'polis' },
          }),
        ]);
        const [e] = await store.readStream(s('a'));
        expect(e!.data).toEqual(data);
        expect(typeof (e!.data as typeof data).amount).toBe('string');
        expect(e!.schemaVersion).toBe(2);
        expect(e!.recordedAt).toBe('2027-01-05T02:00:00Z');
        expect(e!.metadata).toEqual({ correlationId: 'c-1', causationId: 'k-1', source: 'polis' });
        const [fromAll] = mine(await store.readAll());
        expect(fromAll).toEqual(e);
      });

      it('lists the streams that start with a prefix, in order of their first event', async () => {
        await store.append(s('household-2'), [ev('A')]);
        await store.append(s('other-1'), [ev('A')]);
        await store.append(s('household-1'), [ev('A')]);
        await store.append(s('household-2'), [ev('B')]);
        expect(await store.listStreams(s('household-'))).toEqual([s('household-2'), s('household-1')]);
        expect(await store.listStreams(s('nobody-'))).toEqual([]);
      });

      it('lists a stream whatever characters follow the prefix (issue: ids starting with U+10FFFF were never settled)', async () => {
        await store.append(s('household-\u{10FFFF}x'), [ev('A')]);
        await store.append(s('household-\u{FFFF}'), [ev('A')]);
        await store.append(s('household.'), [ev('A')]);
        expect(await store.listStreams(s('household-'))).toEqual([s('household-\u{10FFFF}x'), s('household-\u{FFFF}')]);
      });
    });

    describe('appendMany', () => {
      it('appends several streams and returns one result per request, a later request seeing an earlier one', async () => {
        await store.append(s('b'), [ev('B0')]);
        const results = await store.appendMany([
          { streamName: s('a'), events: [ev('A0')], expectedRevision: 'no-stream' },
          { streamName: s('b'), events: [ev('B1'), ev('B2')], expectedRevision: 0 },
          { streamName: s('a'), events: [ev('A1')], expectedRevision: 0 },
        ]);
        expect(results.map((r) => [r.nextExpectedRevision, r.appended])).toEqual([
          [0, 1],
          [2, 2],
          [1, 1],
        ]);
        expect(typesOf(await store.readStream(s('a')))).toEqual(['A0', 'A1']);
        expect(typesOf(await store.readStream(s('b')))).toEqual(['B0', 'B1', 'B2']);
      });

      const atomicTitle = options.appendManyNotAtomicBecause
        ? `appendMany is all or nothing — NOT APPLICABLE to ${adapterName}: ${options.appendManyNotAtomicBecause}`
        : 'appendMany is all or nothing: a wrong revision in the second request stores nothing of the first';
      it.skipIf(options.appendManyNotAtomicBecause !== undefined)(atomicTitle, async () => {
        await store.append(s('b'), [ev('B0')]);
        const err = await store
          .appendMany([
            { streamName: s('a'), events: [ev('A0')], expectedRevision: 'no-stream' },
            { streamName: s('b'), events: [ev('B1')], expectedRevision: 5 },
          ])
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err).toMatchObject({ streamName: s('b'), actual: 0 });
        expect(await store.readStream(s('a'))).toEqual([]);
        expect(typesOf(await store.readStream(s('b')))).toEqual(['B0']);
        expect(await store.listStreams(s('a'))).toEqual([]);
        expect(typesOf(mine(await store.readAll()))).toEqual(['B0']);
      });
    });

    describe('message claims', () => {
      /** A claim of a key no other test uses (claims have no stream to scope them by). */
      const claim = (hash = 'a'.repeat(64), over: Partial<MessageClaim> = {}): MessageClaim => ({
        key: randomBytes(16).toString('hex'),
        hash,
        recordedAt: '2027-01-05T02:00:00.000Z',
        ...over,
      });
      const hashA = 'a1'.repeat(32);
      const hashB = 'b2'.repeat(32);

      it('reads nothing for keys not claimed, then the first hash of each key written', async () => {
        const [x, y] = [claim(hashA), claim(hashB)];
        expect(await store.readClaims([x.key, y.key])).toEqual(new Map());
        await store.writeClaims([x, y, { ...x, hash: hashB }]);
        await store.writeClaims([{ ...y, hash: hashA }]);
        expect(await store.readClaims([y.key, x.key, claim().key])).toEqual(
          new Map([
            [y.key, hashB],
            [x.key, hashA],
          ]),
        );
      });

      it('appendMany stores its claims with its events; a key claimed already stores nothing and throws ClaimTakenError', async () => {
        const [x, y] = [claim(hashA), claim(hashB)];
        await store.appendMany([{ streamName: s('a'), events: [ev('A0')] }], [x]);
        expect(await store.readClaims([x.key])).toEqual(new Map([[x.key, hashA]]));
        const err = await store
          .appendMany([{ streamName: s('b'), events: [ev('B0')] }], [y, { ...x, hash: hashB }])
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ClaimTakenError);
        expect(err).toMatchObject({ key: x.key });
        expect(await store.readClaims([x.key, y.key])).toEqual(new Map([[x.key, hashA]]));
        expect(await store.readStream(s('b'))).toEqual([]);
        const twice = await store.appendMany([], [y, y]).catch((e: unknown) => e);
        expect(twice).toMatchObject({ name: 'ClaimTakenError', key: y.key });
        expect(await store.readClaims([y.key])).toEqual(new Map());
      });

      it('lists claims in key order after a key, each instant in canonical form, and refuses a claim it could not store, naming the field', async () => {
        // The same instant written in another form reads back canonical: a copy compares claims as listed.
        const offset = { recordedAt: '2027-01-05T03:00:00.5+01:00' };
        const made = [claim(hashA), claim(hashB, offset), claim(hashA, offset)].sort((p, q) =>
          p.key < q.key ? -1 : 1,
        );
        await store.writeClaims(made);
        const listed = await store.listClaims({ afterKey: made[0]!.key, maxCount: 1_000_000 });
        const mineOnly = listed.filter((c) => made.some((m) => m.key === c.key));
        expect(mineOnly).toEqual(
          made.slice(1).map((c) => ({ ...c, recordedAt: new Date(Date.parse(c.recordedAt)).toISOString() })),
        );
        expect(mineOnly.map((c) => c.recordedAt)).toContain('2027-01-05T02:00:00.500Z');
        expect(listed.map((c) => c.key)).toEqual([...listed.map((c) => c.key)].sort());
        await expect(store.writeClaims([claim('not-hex')])).rejects.toThrow(/hash must be 64 lowercase hex digits/);
        await expect(store.readClaims(['XYZ'])).rejects.toThrow(/message claim key "XYZ"/);
        await expect(store.appendMany([], [claim(hashA, { recordedAt: 'yesterday' })])).rejects.toThrow(
          /recordedAt of message claim .* is not an ISO instant/,
        );
      });
    });

    describe('checkpoints', () => {
      it('loads null before any, then the last one stored', async () => {
        expect(await store.loadCheckpoint(s('sub'))).toBeNull();
        await store.storeCheckpoint(s('sub'), 42);
        await store.storeCheckpoint(s('sub'), 43);
        expect(await store.loadCheckpoint(s('sub'))).toBe(43);
        expect(await store.loadCheckpoint(s('other-sub'))).toBeNull();
      });
    });

    describe('readStreamText', () => {
      it('gives the events of readStream with their data as the JSON text appended, asOf and fromRevision alike', async () => {
        await store.append(s('t'), [
          ev('A', { amount: '1401.50', nested: { list: [1, 'x'] } }, { recordedAt: '2027-01-01T02:00:00Z' }),
          ev('B', null, { recordedAt: '2027-02-01T02:00:00Z' }),
        ]);
        const parsed = await store.readStream(s('t'));
        const text = await store.readStreamText(s('t'));
        expect(text.map(({ dataText, ...rest }) => ({ ...rest, data: JSON.parse(dataText) }))).toEqual(parsed);
        expect(text[0]!.dataText).toBe(JSON.stringify({ amount: '1401.50', nested: { list: [1, 'x'] } }));
        expect((await store.readStreamText(s('t'), { asOf: '2027-01-15T00:00:00Z' })).map((e) => e.type)).toEqual([
          'A',
        ]);
        expect((await store.readStreamText(s('t'), { fromRevision: 1 })).map((e) => e.type)).toEqual(['B']);
      });
    });

    describe('readStreams', () => {
      it('reads each stream as readStream would, in the order asked: from a revision, missing, twice', async () => {
        await store.append(s('a'), [ev('A0', { n: 0 }), ev('A1', { n: 1 }), ev('A2', { n: 2 })]);
        await store.append(s('b'), [ev('B0', { amount: '1401.50' })]);
        await store.append(s('a'), [ev('A3')]);
        const read = await store.readStreams([
          { streamName: s('b') },
          { streamName: s('a'), fromRevision: 2 },
          { streamName: s('missing') },
          { streamName: s('a') },
          { streamName: s('b'), fromRevision: 1 },
        ]);
        expect(read).toEqual([
          await store.readStream(s('b')),
          await store.readStream(s('a'), { fromRevision: 2 }),
          [],
          await store.readStream(s('a')),
          [],
        ]);
        expect(read.map(typesOf)).toEqual([['B0'], ['A2', 'A3'], [], ['A0', 'A1', 'A2', 'A3'], []]);
        expect(await store.readStreams([])).toEqual([]);
      });

      it('inside groupCommits sees what the group appended', async () => {
        const inside = await store.groupCommits(async () => {
          await store.append(s('g'), [ev('G0')]);
          return (await store.readStreams([{ streamName: s('g') }, { streamName: s('h') }])).map(typesOf);
        });
        expect(inside).toEqual([['G0'], []]);
      });
    });

    describe('snapshots', () => {
      it('null before any; then the one of the highest revision, as written', async () => {
        expect(await store.readSnapshot(s('h'))).toBeNull();
        await store.writeSnapshots([
          {
            streamName: s('h'),
            revision: 3,
            format: 'f/1',
            data: { balance: '-1288.47', months: [['2027-01', { v: 1 }]] },
          },
        ]);
        expect(await store.readSnapshot(s('h'))).toEqual({
          streamName: s('h'),
          revision: 3,
          format: 'f/1',
          data: { balance: '-1288.47', months: [['2027-01', { v: 1 }]] },
        });
        await store.writeSnapshots([
          { streamName: s('h'), revision: 7, format: 'f/1', data: { balance: '0.00' } },
          { streamName: s('other'), revision: 0, format: 'f/1', data: {} },
        ]);
        // An older snapshot (a slower worker finishing late) never replaces a newer one.
        await store.writeSnapshots([{ streamName: s('h'), revision: 5, format: 'f/1', data: { balance: '9.99' } }]);
        expect(await store.readSnapshot(s('h'))).toMatchObject({ revision: 7, data: { balance: '0.00' } });
        expect(await store.readSnapshot(s('other'))).toMatchObject({ revision: 0 });
      });

      it('readSnapshots: readSnapshot of each stream, in the order asked', async () => {
        await store.writeSnapshots([
          { streamName: s('h'), revision: 3, format: 'f/1', data: { balance: '-1288.47' } },
          { streamName: s('k'), revision: 0, format: 'f/2', data: [1, 'x'] },
        ]);
        expect(await store.readSnapshots([s('k'), s('none'), s('h'), s('k')])).toEqual([
          { streamName: s('k'), revision: 0, format: 'f/2', data: [1, 'x'] },
          null,
          { streamName: s('h'), revision: 3, format: 'f/1', data: { balance: '-1288.47' } },
          { streamName: s('k'), revision: 0, format: 'f/2', data: [1, 'x'] },
        ]);
        expect(await store.readSnapshots([])).toEqual([]);
      });

      it('a snapshot is not an event: not in the stream, not in $all, not a stream of its own', async () => {
        await store.append(s('h'), [ev('A')]);
        await store.writeSnapshots([{ streamName: s('h'), revision: 0, format: 'f/1', data: { x: 1 } }]);
        expect(typesOf(await store.readStream(s('h')))).toEqual(['A']);
        expect(typesOf(mine(await store.readAll()))).toEqual(['A']);
        expect(await store.listStreams(prefix)).toEqual([s('h')]);
      });
    });

    describe('groupCommits', () => {
      it('appends inside are read back inside and stay after; an error inside keeps what was appended before it', async () => {
        const inside = await store.groupCommits(async () => {
          await store.append(s('g'), [ev('G0')]);
          await store.appendMany([
            { streamName: s('g'), events: [ev('G1')] },
            { streamName: s('h'), events: [ev('H0')] },
          ]);
          return typesOf(await store.readStream(s('g')));
        });
        expect(inside).toEqual(['G0', 'G1']);
        const err = await store
          .groupCommits(async () => {
            await store.append(s('g'), [ev('G2')]);
            await store.append(s('h'), [ev('H1')], { expectedRevision: 5 });
          })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(typesOf(await store.readStream(s('g')))).toEqual(['G0', 'G1', 'G2']);
        expect(typesOf(await store.readStream(s('h')))).toEqual(['H0']);
        // Groups nest (and overlap) without losing anything.
        await Promise.all([
          store.groupCommits(() => store.append(s('n'), [ev('N0')])),
          store.groupCommits(async () => store.groupCommits(() => store.append(s('m'), [ev('M0')]))),
        ]);
        expect(await store.listStreams(s('n'))).toEqual([s('n')]);
        expect(await store.listStreams(s('m'))).toEqual([s('m')]);
      });
    });

    describe('subscribeToAll', () => {
      /** Start a subscription at the current end of $all, so a shared server's history is not replayed. */
      const startAtEnd = async (subscriptionId: string) => {
        const marker = await store.append(s('marker'), [ev('Marker')]);
        await store.storeCheckpoint(subscriptionId, marker.lastGlobalPosition!);
      };

      it('delivers existing then new events in order, stores its checkpoint, stops, and a new subscription resumes after the checkpoint', async () => {
        const id = s('sub');
        await startAtEnd(id);
        await store.append(s('a'), [ev('Old1'), ev('Old2')]);
        const handled: RecordedEvent[] = [];
        const handler = async (e: RecordedEvent) => {
          if (e.streamName.startsWith(prefix)) handled.push(e);
        };
        const first = store.subscribeToAll({ subscriptionId: id, handler, pollIntervalMs: 20 });
        await first.caughtUp();
        expect(typesOf(handled)).toEqual(['Old1', 'Old2']);
        await store.append(s('b'), [ev('New1')]);
        await store.append(s('a'), [ev('New2')]);
        await first.caughtUp();
        expect(typesOf(handled)).toEqual(['Old1', 'Old2', 'New1', 'New2']);
        expect(await store.loadCheckpoint(id)).toBe(handled.at(-1)!.globalPosition);

        await first.stop();
        await store.append(s('a'), [ev('AfterStop')]);
        await settle(80); // several poll intervals: a running subscription would have picked it up
        expect(typesOf(handled)).toEqual(['Old1', 'Old2', 'New1', 'New2']);

        const second = store.subscribeToAll({ subscriptionId: id, handler, pollIntervalMs: 20 });
        await second.caughtUp();
        await second.stop();
        expect(typesOf(handled)).toEqual(['Old1', 'Old2', 'New1', 'New2', 'AfterStop']);
        expect(new Set(handled.map((e) => e.globalPosition)).size).toBe(handled.length);
      });

      it('without a checkpoint starts at the beginning; an eventTypes filter passes only those types but moves the checkpoint past the others', async () => {
        // Types of this test's own, so that on a shared server only its events reach the handler.
        const wanted = `${prefix}Wanted`;
        await store.append(s('a'), [ev(wanted), ev('Other'), ev(wanted), ev('Other')]);
        const handled: string[] = [];
        const sub = store.subscribeToAll({
          subscriptionId: s('filtered'),
          eventTypes: [wanted],
          handler: async (e) => void handled.push(e.type),
          pollIntervalMs: 20,
        });
        await sub.caughtUp();
        await sub.stop();
        expect(handled).toEqual([wanted, wanted]);
        const last = mine(await store.readAll()).at(-1)!;
        expect(last.type).toBe('Other');
        expect(await store.loadCheckpoint(s('filtered'))).toBeGreaterThanOrEqual(last.globalPosition);
      });

      it('a failing handler ends the subscription without moving the checkpoint past the failed event', async () => {
        const id = s('failing');
        await startAtEnd(id);
        await store.append(s('a'), [ev('Fine'), ev('Poison'), ev('Later')]);
        const handled: string[] = [];
        const failing = store.subscribeToAll({
          subscriptionId: id,
          handler: async (e) => {
            if (!e.streamName.startsWith(prefix)) return;
            if (e.type === 'Poison') throw new Error('handler failed');
            handled.push(e.type);
          },
          pollIntervalMs: 20,
        });
        await expect(failing.caughtUp()).rejects.toThrow('handler failed');
        await failing.stop();
        expect(handled).toEqual(['Fine']);
        const retry = store.subscribeToAll({
          subscriptionId: id,
          handler: async (e) => void (e.streamName.startsWith(prefix) && handled.push(e.type)),
          pollIntervalMs: 20,
        });
        await retry.caughtUp();
        await retry.stop();
        expect(handled).toEqual(['Fine', 'Poison', 'Later']);
      });

      it('caughtUp after stop resolves, and close stops open subscriptions', async () => {
        const sub = store.subscribeToAll({ subscriptionId: s('closing'), handler: async () => {}, pollIntervalMs: 20 });
        await sub.caughtUp();
        await sub.stop();
        await expect(sub.caughtUp()).resolves.toBeUndefined();
        store.subscribeToAll({ subscriptionId: s('left-open'), handler: async () => {}, pollIntervalMs: 20 });
        // afterEach closes the store; it must not hang on, or leave a timer behind for, this subscription.
      });
    });
  });
}
