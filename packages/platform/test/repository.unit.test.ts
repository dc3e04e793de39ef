import { describe, expect, it } from 'vitest';
import { snapshotOf, SNAPSHOT_FORMAT } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { householdStream, loadHousehold, loadLatestHousehold, SCHEMA_VERSIONS } from '../src/index.js';

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
  statement: {
    messageId: `m-${n}`,
    bsn: '111222333',
    employer: { payrollTaxNumber: '123456789L01' },
    incomeRelationshipId: 'IKV-1',
    period: { start: `2027-0${n}-01`, end: `2027-0${n}-28`, kind: 'other' },
    paymentDate: `2027-0${n}-28`,
    taxableWage: '500.00',
    withheldTax: '0.00',
    withheldZvw: '0.00',
    companyCarBenefit: '0.00',
    companyCarContribution: '0.00',
    holidayAllowancePaid: '0.00',
    holidayAllowanceAccrued: '0.00',
    ikbPaid: '0.00',
    ikbAccrued: '0.00',
    extraPeriodSalaryPaid: '0.00',
    untaxedAllowances: '0.00',
    kind: 'initial',
    incomeKind: 'employment',
    source: 'polis',
  },
  recordedAt: `2027-0${n}-28T12:00:00Z`,
  channel: 'inline',
});

async function storeWithHousehold(): Promise<EventStore> {
  const store = await openEventStore({ kind: 'memory' });
  await store.append(householdStream('H-1'), [
    { eventId: 'case', type: 'CaseOpened', schemaVersion: SCHEMA_VERSIONS.CaseOpened, recordedAt: opened.recordedAt, data: opened },
    ...[1, 2, 3].map((n) => ({ eventId: `statement:m-${n}`, type: 'IncomeStatementRecorded', schemaVersion: SCHEMA_VERSIONS.IncomeStatementRecorded, recordedAt: `2027-0${n}-28T12:00:00Z`, data: statement(n) })),
  ]);
  return store;
}

describe('loading a household from its snapshot (a cache: a bad one costs a full fold, never a wrong state)', () => {
  const folded = async (store: EventStore) => snapshotOf((await loadHousehold(store, 'H-1')).state);

  it('a good snapshot plus the events after it gives the folded state', async () => {
    const store = await storeWithHousehold();
    const atTwo = await loadHousehold(store, 'H-1', '2027-02-28T12:00:00Z');
    await store.writeSnapshots([{ streamName: householdStream('H-1'), revision: 2, format: SNAPSHOT_FORMAT, data: { latestRecordedMs: atTwo.latestRecordedMs, household: snapshotOf(atTwo.state) } }]);
    const loaded = await loadLatestHousehold(store, 'H-1');
    expect(loaded.snapshotRevision).toBe(2);
    expect(loaded.revision).toBe(3);
    expect(snapshotOf(loaded.state)).toEqual(await folded(store));
  });

  it.each([
    ['damaged data', 2, { latestRecordedMs: 0, household: { format: SNAPSHOT_FORMAT, state: { householdId: 'H-1' } } }],
    ['not an object', 2, 'garbage'],
    ['ahead of the stream (a store restored without its snapshots in step)', 9, null],
  ])('%s: ignored, the stream is folded', async (_, revision, data) => {
    const store = await storeWithHousehold();
    const household = data === null ? snapshotOf((await loadHousehold(store, 'H-1')).state) : undefined;
    const snapshotData = data === null ? { latestRecordedMs: 0, household } : data;
    await store.writeSnapshots([{ streamName: householdStream('H-1'), revision, format: SNAPSHOT_FORMAT, data: snapshotData }]);
    const loaded = await loadLatestHousehold(store, 'H-1');
    expect(loaded.snapshotRevision).toBe(-1);
    expect(loaded.revision).toBe(3);
    expect(snapshotOf(loaded.state)).toEqual(await folded(store));
  });
});
