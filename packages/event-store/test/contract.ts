import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WrongExpectedRevisionError, type EventStore, type NewEvent, type RecordedEvent } from '../src/index.js';

let counter = 0;
export const ev = (type: string, data: unknown = {}, over: Partial<NewEvent> = {}): NewEvent => ({
  eventId: `e-${++counter}`,
  type,
  schemaVersion: 1,
  recordedAt: '2027-01-05T02:00:00Z',
  data,
  ...over,
});

export interface ContractOptions {
  /** ESDB has no multi-stream transaction; the adapter says so and skips that one case. */
  atomicAppendMany?: boolean;
}

/**
 * The one contract every event-store adapter passes (Emmett style): the memory and SQLite adapters
 * in every run, EventStoreDB when a server is configured.
 */
export function eventStoreContract(adapter: string, open: () => Promise<EventStore>, options: ContractOptions = {}): void {
  describe(`event-store contract: ${adapter}`, () => {
    let store: EventStore;
    // Stream names unique per test, so that a shared server does not mix tests.
    let prefix: string;
    const s = (name: string) => `${prefix}${name}`;
    beforeEach(async () => {
      store = await open();
      prefix = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}-`;
    });
    afterEach(async () => {
      await store.close();
    });

    it('appends to a new stream with no-stream and reads it back in order with revisions', async () => {
      const r = await store.append(s('a'), [ev('A', { n: 1 }), ev('B', { n: 2 })], { expectedRevision: 'no-stream' });
      expect(r.nextExpectedRevision).toBe(1);
      expect(r.appended).toBe(2);
      const read = await store.readStream(s('a'));
      expect(read.map((e) => [e.type, e.streamRevision, e.data])).toEqual([
        ['A', 0, { n: 1 }],
        ['B', 1, { n: 2 }],
      ]);
      expect(read[0]!.globalPosition).toBeLessThan(read[1]!.globalPosition);
    });

    it('enforces the expected revision and reports the actual one in a typed error', async () => {
      await store.append(s('a'), [ev('A'), ev('B')]);
      await store.append(s('a'), [ev('C')], { expectedRevision: 1 });
      const err = await store.append(s('a'), [ev('D')], { expectedRevision: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongExpectedRevisionError);
      expect((err as WrongExpectedRevisionError).actual).toBe(2);
      await expect(store.append(s('a'), [ev('E')], { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(s('missing'), [ev('F')], { expectedRevision: 'stream-exists' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readStream(s('a'))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('skips an eventId the stream already holds, even with a stale expected revision', async () => {
      const first = ev('A', { v: 1 }, { eventId: 'msg-1' });
      await store.append(s('a'), [first]);
      await store.append(s('a'), [ev('B')]);
      const again = await store.append(s('a'), [{ ...first }], { expectedRevision: 0 });
      expect(again.appended).toBe(0);
      expect(again.lastGlobalPosition).toBeNull();
      expect((await store.readStream(s('a'))).map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('reads from a revision, and as the stream stood at a recordedAt instant', async () => {
      await store.append(s('a'), [
        ev('A', {}, { recordedAt: '2027-01-01T02:00:00Z' }),
        ev('B', {}, { recordedAt: '2027-02-01T02:00:00Z' }),
        ev('C', {}, { recordedAt: '2027-03-01T02:00:00Z' }),
      ]);
      expect((await store.readStream(s('a'), { fromRevision: 1 })).map((e) => e.type)).toEqual(['B', 'C']);
      expect((await store.readStream(s('a'), { asOf: '2027-02-01T02:00:00Z' })).map((e) => e.type)).toEqual(['A', 'B']);
      expect((await store.readStream(s('a'), { asOf: '2027-02-01T01:59:59.999Z' })).map((e) => e.type)).toEqual(['A']);
      expect(await store.readStream(s('nothing'))).toEqual([]);
    });

    it('reads everything in commit order across streams, from an exclusive position, with a max count', async () => {
      await store.append(s('x'), [ev('X1')]);
      await store.append(s('y'), [ev('Y1')]);
      await store.append(s('x'), [ev('X2')]);
      const mine = (es: RecordedEvent[]) => es.filter((e) => e.streamName.startsWith(prefix)).map((e) => e.type);
      const all = await store.readAll();
      expect(mine(all)).toEqual(['X1', 'Y1', 'X2']);
      const y1 = all.find((e) => e.type === 'Y1' && e.streamName.startsWith(prefix))!;
      expect(mine(await store.readAll({ fromPosition: y1.globalPosition }))).toEqual(['X2']);
      expect(await store.readAll({ fromPosition: y1.globalPosition, maxCount: 1 })).toHaveLength(1);
    });

    it('keeps data and metadata exactly: money strings stay strings, correlation and causation round-trip', async () => {
      const data = { amount: '1401.50', nested: { list: ['0.10', '-3.05'] }, n: 3, flag: false, none: null };
      await store.append(s('a'), [ev('A', data, { schemaVersion: 2, metadata: { correlationId: 'c-1', causationId: 'k-1' } })]);
      const [e] = await store.readStream(s('a'));
      expect(e!.data).toEqual(data);
      expect(e!.schemaVersion).toBe(2);
      expect(e!.metadata).toMatchObject({ correlationId: 'c-1', causationId: 'k-1' });
      expect(e!.recordedAt).toBe('2027-01-05T02:00:00Z');
    });

    it.skipIf(options.atomicAppendMany === false)('appendMany is all or nothing', async () => {
      await store.append(s('b'), [ev('B0')]);
      await expect(
        store.appendMany([
          { streamName: s('a'), events: [ev('A0')], expectedRevision: 'no-stream' },
          { streamName: s('b'), events: [ev('B1')], expectedRevision: 5 },
        ]),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(s('a'))).toEqual([]);
      const ok = await store.appendMany([
        { streamName: s('a'), events: [ev('A0')], expectedRevision: 'no-stream' },
        { streamName: s('b'), events: [ev('B1')], expectedRevision: 0 },
      ]);
      expect(ok.map((r) => r.nextExpectedRevision)).toEqual([0, 1]);
    });

    it('lists streams by prefix in order of their first event', async () => {
      await store.append(s('household-2'), [ev('A')]);
      await store.append(s('other-1'), [ev('A')]);
      await store.append(s('household-1'), [ev('A')]);
      await store.append(s('household-2'), [ev('B')]);
      expect(await store.listStreams(s('household-'))).toEqual([s('household-2'), s('household-1')]);
    });

    it('stores and loads checkpoints', async () => {
      expect(await store.loadCheckpoint(s('sub'))).toBeNull();
      await store.storeCheckpoint(s('sub'), 42);
      await store.storeCheckpoint(s('sub'), 43);
      expect(await store.loadCheckpoint(s('sub'))).toBe(43);
    });

    it('a catch-up subscription delivers old then new events in order and resumes after its checkpoint', async () => {
      await store.append(s('a'), [ev('Old1'), ev('Old2')]);
      const seen: string[] = [];
      const handler = async (e: RecordedEvent) => {
        if (e.streamName.startsWith(prefix)) seen.push(e.type);
      };
      const first = store.subscribeToAll({ subscriptionId: s('sub'), handler, pollIntervalMs: 20 });
      await first.caughtUp();
      await store.append(s('b'), [ev('New1')]);
      await first.caughtUp();
      await first.stop();
      expect(seen).toEqual(['Old1', 'Old2', 'New1']);
      await store.append(s('a'), [ev('AfterStop')]);
      expect(seen).toEqual(['Old1', 'Old2', 'New1']);
      const second = store.subscribeToAll({ subscriptionId: s('sub'), handler, pollIntervalMs: 20 });
      await second.caughtUp();
      await second.stop();
      expect(seen).toEqual(['Old1', 'Old2', 'New1', 'AfterStop']);
    });

    it('a subscription filtered by event type still advances past other events', async () => {
      await store.append(s('a'), [ev('Wanted'), ev('Other'), ev('Wanted')]);
      const seen: string[] = [];
      const sub = store.subscribeToAll({ subscriptionId: s('f'), eventTypes: ['Wanted'], handler: async (e) => void (e.streamName.startsWith(prefix) && seen.push(e.type)), pollIntervalMs: 20 });
      await sub.caughtUp();
      await sub.stop();
      expect(seen).toEqual(['Wanted', 'Wanted']);
      const all = (await store.readAll()).filter((e) => e.streamName.startsWith(prefix));
      expect(await store.loadCheckpoint(s('f'))).toBeGreaterThanOrEqual(all.at(-1)!.globalPosition);
    });
  });
}
