import { describe, expect, it } from 'vitest';
import { polisIncomeStatementSchema, snapshotOf, SNAPSHOT_FORMAT } from '@bijstand/domain';
import { polisStatement } from '@bijstand/testkit/statements';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import {
  EVENT_SCHEMAS_FINGERPRINT,
  HouseholdCache,
  householdStream,
  loadHousehold,
  loadLatestHousehold,
  SCHEMA_VERSIONS,
  UnknownEventError,
} from '../src/index.js';

const opened = {
  type: 'CaseOpened',
  householdId: 'H-1',
  members: [{ bsn: '111222333', role: 'applicant', entitled: true }],
  category: 'single',
  startDate: '2027-01-01',
  costSharers: 1,
  recordedAt: '2027-01-01T09:00:00Z',
};
const statement = (n: number) => ({
  statement: polisIncomeStatementSchema.parse(
    polisStatement({
      messageId: `m-${n}`,
      period: { start: `2027-0${n}-01`, end: `2027-0${n}-28`, kind: 'other' },
      paymentDate: `2027-0${n}-28`,
      taxableWage: '500.00',
      withheldTax: '0.00',
    }),
  ),
  recordedAt: `2027-0${n}-28T12:00:00Z`,
  channel: 'inline',
});

async function storeWithHousehold(): Promise<EventStore> {
  const store = await openEventStore({ kind: 'memory' });
  await store.append(householdStream('H-1'), [
    {
      eventId: 'case',
      type: 'CaseOpened',
      schemaVersion: SCHEMA_VERSIONS.CaseOpened,
      recordedAt: opened.recordedAt,
      data: opened,
    },
    ...[1, 2, 3].map((n) => ({
      eventId: `statement:m-${n}`,
      type: 'IncomeStatementRecorded',
      schemaVersion: SCHEMA_VERSIONS.IncomeStatementRecorded,
      recordedAt: `2027-0${n}-28T12:00:00Z`,
      data: statement(n),
    })),
  ]);
  return store;
}

describe('loading a household from its snapshot (a cache: a bad one costs a full fold, never a wrong state)', () => {
  const folded = async (store: EventStore) => snapshotOf((await loadHousehold(store, 'H-1')).state);

  it('a good snapshot plus the events after it gives the folded state', async () => {
    const store = await storeWithHousehold();
    const atTwo = await loadHousehold(store, 'H-1', '2027-02-28T12:00:00Z');
    await store.writeSnapshots([
      {
        streamName: householdStream('H-1'),
        revision: 2,
        format: SNAPSHOT_FORMAT,
        data: {
          latestRecordedMs: atTwo.latestRecordedMs,
          household: snapshotOf(atTwo.state),
          eventSchemas: EVENT_SCHEMAS_FINGERPRINT,
        },
      },
    ]);
    const loaded = await loadLatestHousehold(store, 'H-1');
    expect(loaded.snapshotRevision).toBe(2);
    expect(loaded.revision).toBe(3);
    expect(snapshotOf(loaded.state)).toEqual(await folded(store));
    // A cold loadMany (snapshots and tails read for several households at once) loads it the same.
    const many = (await new HouseholdCache().loadMany(store, ['H-1'])).get('H-1')!;
    expect({ ...many, state: snapshotOf(many.state) }).toEqual({
      ...loaded,
      cached: true,
      state: snapshotOf(loaded.state),
    });
  });

  it('a snapshot of the format before (household-state/2) is ignored: the stream is folded', async () => {
    const store = await storeWithHousehold();
    const atTwo = await loadHousehold(store, 'H-1', '2027-02-28T12:00:00Z');
    const format = SNAPSHOT_FORMAT.replace('household-state/3', 'household-state/2');
    expect(format).not.toBe(SNAPSHOT_FORMAT);
    const household = { ...snapshotOf(atTwo.state), format };
    await store.writeSnapshots([
      {
        streamName: householdStream('H-1'),
        revision: 2,
        format,
        data: { latestRecordedMs: atTwo.latestRecordedMs, household, eventSchemas: EVENT_SCHEMAS_FINGERPRINT },
      },
    ]);
    const loaded = await loadLatestHousehold(store, 'H-1');
    expect(loaded.snapshotRevision).toBe(-1);
    expect(snapshotOf(loaded.state)).toEqual(await folded(store));
  });

  it.each([
    ['damaged data', 2, { latestRecordedMs: 0, household: { format: SNAPSHOT_FORMAT, state: { householdId: 'H-1' } } }],
    ['not an object', 2, 'garbage'],
    ['ahead of the stream (a store restored without its snapshots in step)', 9, null],
    ['without the event schemas it was folded under (an engine that skipped unknown events)', 2, 'no-schemas'],
  ])('%s: ignored, the stream is folded', async (_, revision, data) => {
    const store = await storeWithHousehold();
    const household =
      data === null || data === 'no-schemas'
        ? snapshotOf((await loadHousehold(store, 'H-1', '2027-02-28T12:00:00Z')).state)
        : undefined;
    const snapshotData =
      data === null
        ? { latestRecordedMs: 0, household, eventSchemas: EVENT_SCHEMAS_FINGERPRINT }
        : data === 'no-schemas'
          ? { latestRecordedMs: 0, household }
          : data;
    await store.writeSnapshots([
      { streamName: householdStream('H-1'), revision, format: SNAPSHOT_FORMAT, data: snapshotData },
    ]);
    const loaded = await loadLatestHousehold(store, 'H-1');
    expect(loaded.snapshotRevision).toBe(-1);
    expect(loaded.revision).toBe(3);
    expect(snapshotOf(loaded.state)).toEqual(await folded(store));
    const many = (await new HouseholdCache().loadMany(store, ['H-1'])).get('H-1')!;
    expect({ ...many, state: snapshotOf(many.state) }).toEqual({
      ...loaded,
      cached: true,
      state: snapshotOf(loaded.state),
    });
  });
});

describe('an event this engine cannot read is a named error for that household, never skipped (issue #12, finding 6)', () => {
  const unknown = (revision: number, type: string, schemaVersion: number) => ({
    eventId: `odd-${revision}`,
    type,
    schemaVersion,
    recordedAt: '2027-04-01T00:00:00Z',
    data: {},
  });
  const message = (id: string, type: string, version: number, revision: number, detail: string) =>
    `household ${id}: event ${type} schema version ${version} at revision ${revision}: ${detail}; the household is not loaded (an engine that reads it is needed)`;

  it('an unknown type: loading fails naming the household, the type, the version and the revision', async () => {
    const store = await storeWithHousehold();
    await store.append(householdStream('H-1'), [unknown(4, 'BenefitSuspended', 1)]);
    const expected = new UnknownEventError(householdStream('H-1'), 'BenefitSuspended', 1, 4, 'x');
    expect(expected.message).toBe(message('H-1', 'BenefitSuspended', 1, 4, 'x'));
    await expect(loadHousehold(store, 'H-1')).rejects.toThrow(
      message('H-1', 'BenefitSuspended', 1, 4, 'not an event type this engine knows'),
    );
    await expect(loadLatestHousehold(store, 'H-1')).rejects.toThrow(UnknownEventError);
    // As of before it was recorded, the household loads.
    expect((await loadHousehold(store, 'H-1', '2027-03-31T00:00:00Z')).revision).toBe(3);
  });

  it('a schema version newer than this engine reads', async () => {
    const store = await storeWithHousehold();
    await store.append(householdStream('H-1'), [
      unknown(4, 'IncomeStatementRecorded', SCHEMA_VERSIONS.IncomeStatementRecorded + 1),
    ]);
    await expect(loadHousehold(store, 'H-1')).rejects.toThrow(
      message(
        'H-1',
        'IncomeStatementRecorded',
        SCHEMA_VERSIONS.IncomeStatementRecorded + 1,
        4,
        `this engine reads IncomeStatementRecorded up to schema version ${SCHEMA_VERSIONS.IncomeStatementRecorded}`,
      ),
    );
  });

  it("the household id is masked in the message: a case system's id may hold a BSN", () => {
    expect(new UnknownEventError(householdStream('H-123456782'), 'X', 1, 0, 'd').message).toBe(
      message('H-*****6782', 'X', 1, 0, 'd'),
    );
  });

  it('a snapshot never hides one: before it (a snapshot of an engine that skipped it is not used) or after it', async () => {
    // Before: a snapshot at revision 5 over an unknown event at 4, written by an engine that skipped it.
    const before = await storeWithHousehold();
    await before.append(householdStream('H-1'), [
      unknown(4, 'BenefitSuspended', 1),
      {
        ...unknown(5, 'CaseClosed', 1),
        data: { type: 'CaseClosed', householdId: 'H-1', endDate: '2027-06-30', recordedAt: '2027-04-01T00:00:00Z' },
      },
    ]);
    const state = snapshotOf((await loadHousehold(await storeWithHousehold(), 'H-1')).state);
    await before.writeSnapshots([
      {
        streamName: householdStream('H-1'),
        revision: 5,
        format: SNAPSHOT_FORMAT,
        data: { latestRecordedMs: 0, household: state },
      },
    ]);
    await expect(loadLatestHousehold(before, 'H-1')).rejects.toThrow(
      message('H-1', 'BenefitSuspended', 1, 4, 'not an event type this engine knows'),
    );
    // After: a good snapshot at 3, the unknown event in the tail.
    const after = await storeWithHousehold();
    await after.writeSnapshots([
      {
        streamName: householdStream('H-1'),
        revision: 3,
        format: SNAPSHOT_FORMAT,
        data: { latestRecordedMs: 0, household: state, eventSchemas: EVENT_SCHEMAS_FINGERPRINT },
      },
    ]);
    expect((await loadLatestHousehold(after, 'H-1')).snapshotRevision).toBe(3);
    await after.append(householdStream('H-1'), [unknown(4, 'BenefitSuspended', 1)]);
    await expect(loadLatestHousehold(after, 'H-1')).rejects.toThrow(UnknownEventError);
  });

  it('the settlement cache does not count it as folded: every later load fails again', async () => {
    const store = await storeWithHousehold();
    const cache = new HouseholdCache(10);
    expect((await cache.load(store, 'H-1')).revision).toBe(3);
    await store.append(householdStream('H-1'), [unknown(4, 'BenefitSuspended', 1)]);
    await expect(cache.load(store, 'H-1')).rejects.toThrow(UnknownEventError);
    await expect(cache.load(store, 'H-1')).rejects.toThrow(UnknownEventError);
  });
});

describe('HouseholdCache.loadMany (ingest reads a segment of households in one round trip)', () => {
  it("gives what load() gives, cached or not, with another writer's events folded in", async () => {
    const store = await storeWithHousehold();
    const cache = new HouseholdCache();
    const cached = await cache.load(store, 'H-1');
    // Another writer appends after the cached revision; H-2 is not cached (and has no stream).
    await store.append(householdStream('H-1'), [
      {
        eventId: 'statement:m-4',
        type: 'IncomeStatementRecorded',
        schemaVersion: SCHEMA_VERSIONS.IncomeStatementRecorded,
        recordedAt: '2027-04-28T12:00:00Z',
        data: statement(4),
      },
    ]);
    const many = await cache.loadMany(store, ['H-1', 'H-2', 'H-1']);
    expect([...many.keys()]).toEqual(['H-1', 'H-2']);
    expect(many.get('H-1')).toBe(cached); // the cache's own entry, moved on
    expect(many.get('H-1')!.revision).toBe(4);
    expect(snapshotOf(many.get('H-1')!.state)).toEqual(snapshotOf((await loadHousehold(store, 'H-1')).state));
    expect(many.get('H-2')).toMatchObject({ revision: -1, cached: true });
    expect(snapshotOf(many.get('H-2')!.state)).toEqual(snapshotOf((await loadHousehold(store, 'H-2')).state));
  });
});
