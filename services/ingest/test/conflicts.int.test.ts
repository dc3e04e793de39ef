import { beforeEach, describe, expect, it } from 'vitest';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import {
  createLogger,
  householdStream,
  LEGACY_MESSAGE_ID_STREAM_PREFIX,
  messageClaimKey,
  REJECTED_STREAM,
} from '@bijstand/platform';
import { foldHousehold, statementKey } from '@bijstand/domain';
import { isHouseholdEvent, toHouseholdEvent } from '@bijstand/platform';
import { alertOverdueParked, Ingestor, listIngestAlerts, listParked } from '../src/index.js';
import { LEGACY_CLAIMS_ADOPTED } from '../src/messageIdClaims.js';
import { caseOpened, ctx, month, msg, statement } from './fixtures.js';

const logger = createLogger('test', { level: 'silent' });
const BSN = '111222333';
const OTHER = '123456782';

describe('conflicts are recorded, never silent (issue #12, 6)', () => {
  let store: EventStore;
  let ingestor: Ingestor;
  beforeEach(async () => {
    store = await openEventStore({ kind: 'memory' });
    ingestor = new Ingestor(store, ctx, logger);
    await ingestor.ingest(msg('case', caseOpened('H-1', [BSN])));
    await ingestor.ingest(msg('case', caseOpened('H-2', [OTHER])));
  });
  const stateOf = async (h: string) =>
    foldHousehold((await store.readStream(householdStream(h))).filter(isHouseholdEvent).map(toHouseholdEvent));

  it('the same messageId with other content is rejected as conflicting-redelivery with both hashes', async () => {
    expect((await ingestor.ingest(msg('statement', statement()))).status).toBe('recorded');
    const other = await ingestor.ingest(msg('statement', statement({ taxableWage: '1900.00' })));
    expect(other).toEqual({
      status: 'rejected',
      reason: expect.stringMatching(
        /^conflicting-redelivery: messageId m-1 was first received with content sha256 [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}…, now [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}…$/,
      ),
    });
    const [first, now] = [
      ...(other as { reason: string }).reason.matchAll(/[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}…/g),
    ].map((x) => x[0]);
    expect(first).not.toBe(now);
    expect((await store.readStream(REJECTED_STREAM)).map((e) => (e.data as { reason: string }).reason)).toEqual([
      (other as { reason: string }).reason,
    ]);
    expect([...(await stateOf('H-1')).statementsInForce.values()].map((r) => r.statement.taxableWage)).toEqual([
      '900.00',
    ]);
  });

  it('a store from before issue #26 keeps its claims as streams: they are adopted before the first claim is read', async () => {
    expect((await ingestor.ingest(msg('statement', statement()))).status).toBe('recorded');
    const key = messageClaimKey('m-1');
    const hash = (await store.readClaims([key])).get(key)!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // The same claim as such a store held it: a stream whose first event holds the hash, no claim row.
    const legacy = await openEventStore({ kind: 'memory' });
    await legacy.append(`${LEGACY_MESSAGE_ID_STREAM_PREFIX}${key}`, [
      {
        eventId: `message-id:${hash}`,
        type: 'MessageIdClaimed',
        schemaVersion: 1,
        recordedAt: '2027-03-01T10:00:00Z',
        data: { hash },
      },
    ]);
    const upgraded = new Ingestor(legacy, ctx, logger);
    await upgraded.ingest(msg('case', caseOpened('H-1', [BSN])));
    const other = await upgraded.ingest(msg('statement', statement({ taxableWage: '1900.00' })));
    expect(other).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^conflicting-redelivery: messageId m-1 /),
    });
    expect(await legacy.readClaims([key])).toEqual(new Map([[key, hash]]));
    expect(await legacy.loadCheckpoint(LEGACY_CLAIMS_ADOPTED)).toBe(1);
    expect((await upgraded.ingest(msg('statement', statement()))).status).toBe('recorded');
    // A new store has nothing to adopt: marked once, at its first claim.
    expect(await store.loadCheckpoint(LEGACY_CLAIMS_ADOPTED)).toBe(0);
  });

  it('the same messageId under another BSN is not stored in the other household', async () => {
    await ingestor.ingest(msg('statement', statement()));
    expect((await ingestor.ingest(msg('statement', statement({ bsn: OTHER })))).status).toBe('rejected');
    expect((await stateOf('H-2')).statementCount).toBe(0);
  });

  it('the same content again (keys in another order) is a re-delivery, not a conflict', async () => {
    await ingestor.ingest(msg('statement', statement()));
    const { kind, ...rest } = statement();
    expect(await ingestor.ingest(msg('statement', { kind, ...rest }))).toEqual({
      status: 'duplicate',
      householdId: 'H-1',
    });
    expect(await store.readStream(REJECTED_STREAM)).toEqual([]);
  });

  it('a correction for a key never seen is recorded as the first version and flagged; its late initial is superseded', async () => {
    const correction = statement({ messageId: 'c-1', kind: 'correction', taxableWage: '950.00' });
    expect((await ingestor.ingest(msg('statement', correction))).status).toBe('recorded');
    const late = await ingestor.ingest(msg('statement', statement({ messageId: 'i-1' })));
    expect(late).toEqual({
      status: 'rejected',
      reason:
        'kind: superseded: this initial statement arrived after the correction (messageId c-1) of the same income relationship and period, which stays in force (SPEC §1.1)',
    });
    const state = await stateOf('H-1');
    expect(
      state.statementsInForce.get(statementKey({ bsn: BSN, incomeRelationshipId: 'IKV-1', period: month('2027-01') }))!
        .statement.taxableWage,
    ).toBe('950.00');
    expect((await listIngestAlerts(store)).map((a) => [a.kind, a.householdId, a.member, a.reference])).toEqual([
      ['correction-without-initial', 'H-1', '*****2333', 'c-1'],
    ]);
  });

  it('a withdrawal for a key never seen is recorded and flagged: nothing in force for it, also when its initial comes later', async () => {
    expect(
      (
        await ingestor.ingest(
          msg(
            'statement',
            statement({ messageId: 'w-1', kind: 'withdrawal', taxableWage: undefined, withheldTax: undefined }),
          ),
        )
      ).status,
    ).toBe('recorded');
    expect((await ingestor.ingest(msg('statement', statement({ messageId: 'i-1' })))).status).toBe('rejected');
    expect((await stateOf('H-1')).statementsInForce.size).toBe(0);
    expect((await listIngestAlerts(store)).map((a) => a.kind)).toEqual(['withdrawal-without-initial']);
  });

  it('statements of a BSN without a case are listed (masked) and alerted once after N days', async () => {
    await ingestor.ingest(
      msg('statement', statement({ messageId: 'orphan', bsn: '100000009' }), '2027-02-01T10:00:00Z'),
    );
    await ingestor.ingest(
      msg(
        'case',
        {
          type: 'MeasureImposed',
          householdId: 'H-never',
          measureId: 'M-1',
          rate: '0.10',
          from: '2027-02-01',
          to: '2027-02-28',
        },
        '2027-02-10T10:00:00Z',
      ),
    );
    const listed = await listParked(store, '2027-02-20T10:00:00Z');
    expect(listed.map((p) => [p.kind, p.reference, p.member, p.householdId, p.days, p.overdue])).toEqual([
      ['statement', 'orphan', '*****0009', null, 19, true],
      ['case', 'MeasureImposed', null, 'H-never', 10, false],
    ]);
    expect(
      (await alertOverdueParked(store, '2027-02-20T10:00:00Z')).map((a) => [a.kind, a.reference, a.member, a.reason]),
    ).toEqual([['parked-too-long', 'orphan', '*****0009', 'statement parked 19 days: no case holds this BSN']]);
    expect(await alertOverdueParked(store, '2027-02-21T10:00:00Z')).toEqual([]);
    expect(JSON.stringify(await listIngestAlerts(store))).not.toContain('100000009');
  });
});
