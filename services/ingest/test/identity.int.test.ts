import { beforeEach, describe, expect, it } from 'vitest';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, householdStream, REJECTED_STREAM } from '@bijstand/platform';
import { Ingestor, listIngestAlerts } from '../src/index.js';
import { caseOpened, ctx, month, msg, statement } from './fixtures.js';

const logger = createLogger('test', { level: 'silent' });
const VICTIM = '111222333';
const ATTACKER = '123456782';

/** Issue #12, finding 1: one BSN in any number of open cases. */
describe('identity: one person, one open case (issue #12, 1)', () => {
  let store: EventStore;
  let ingestor: Ingestor;
  beforeEach(async () => {
    store = await openEventStore({ kind: 'memory' });
    ingestor = new Ingestor(store, ctx, logger);
  });
  const statementsOf = async (householdId: string) =>
    (await store.readStream(householdStream(householdId)))
      .filter((e) => e.type === 'IncomeStatementRecorded')
      .map((e) => (e.data as { statement: { messageId: string } }).statement.messageId);

  it('50 openings with the same applicant: one case, 49 rejections naming the first household, 49 alerts', async () => {
    const outcomes = [];
    for (let i = 1; i <= 50; i++) outcomes.push(await ingestor.ingest(msg('case', caseOpened(`H-${i}`, [VICTIM]))));
    expect(outcomes[0]).toEqual({ status: 'recorded', householdId: 'H-1', appended: 1 });
    expect(outcomes.slice(1)).toEqual(
      Array.from({ length: 49 }, () => ({
        status: 'rejected',
        reason: 'members.0.bsn: already a member of the open case of household H-1 (one person, one open case)',
      })),
    );
    expect(await store.listStreams('household-')).toEqual(['household-H-1']);
    const alerts = await listIngestAlerts(store);
    expect(alerts).toHaveLength(49);
    expect(alerts[0]).toEqual({
      kind: 'identity-conflict',
      householdId: 'H-2',
      member: '*****2333',
      reference: 'CaseOpened',
      reason: 'members.0.bsn: already a member of the open case of household H-1 (one person, one open case)',
      raisedAt: '2027-02-01T10:00:00Z',
    });
    expect(await store.readStream(REJECTED_STREAM)).toHaveLength(49);
    expect(JSON.stringify(alerts)).not.toContain(VICTIM);
  });

  it("a second case with someone else's BSN as partner is refused and does not take over their statements", async () => {
    await ingestor.ingest(msg('case', caseOpened('H-victim', [VICTIM])));
    await ingestor.ingest(msg('statement', statement({ messageId: 'v-jan', period: month('2027-01') })));
    const takeover = await ingestor.ingest(msg('case', caseOpened('H-attacker', [ATTACKER, VICTIM], '2027-02-01')));
    expect(takeover).toEqual({
      status: 'rejected',
      reason: 'members.1.bsn: already a member of the open case of household H-victim (one person, one open case)',
    });
    expect(
      await ingestor.ingest(msg('statement', statement({ messageId: 'v-feb', period: month('2027-02') }))),
    ).toEqual({ status: 'recorded', householdId: 'H-victim', appended: 1 });
    expect(await statementsOf('H-victim')).toEqual(['v-jan', 'v-feb']);
    expect(await store.readStream(householdStream('H-attacker'))).toEqual([]);
  });

  it('closing the first case releases the BSN; statements go to the case whose period holds them', async () => {
    await ingestor.ingest(msg('case', caseOpened('H-2027', [VICTIM], '2027-01-01')));
    await ingestor.ingest(msg('case', { type: 'CaseClosed', householdId: 'H-2027', endDate: '2027-06-30' }));
    expect(await ingestor.ingest(msg('case', caseOpened('H-overlap', [VICTIM], '2027-06-01')))).toEqual({
      status: 'rejected',
      reason:
        'members.0.bsn: already a member of the case of household H-2027 in a period this case overlaps (one person, one case at a time)',
    });
    expect((await ingestor.ingest(msg('case', caseOpened('H-2028', [VICTIM], '2028-01-01')))).status).toBe('recorded');
    await ingestor.ingest(msg('statement', statement({ messageId: 'may-2027', period: month('2027-05') })));
    await ingestor.ingest(msg('statement', statement({ messageId: 'feb-2028', period: month('2028-02') })));
    // A late statement of the first case, after the second opened: it still belongs to the first.
    await ingestor.ingest(msg('statement', statement({ messageId: 'jun-2027-late', period: month('2027-06') })));
    expect(await statementsOf('H-2027')).toEqual(['may-2027', 'jun-2027-late']);
    expect(await statementsOf('H-2028')).toEqual(['feb-2028']);
  });

  it('a fresh ingestor (another process) sees the index in the store', async () => {
    await ingestor.ingest(msg('case', caseOpened('H-1', [VICTIM])));
    const other = new Ingestor(store, ctx, logger);
    expect((await other.ingest(msg('case', caseOpened('H-2', [VICTIM])))).status).toBe('rejected');
    expect(await other.ingest(msg('statement', statement()))).toEqual({
      status: 'recorded',
      householdId: 'H-1',
      appended: 1,
    });
  });
});

describe('identity: the check and the append are one step (two processes at the same instant)', () => {
  it('two openings of the same BSN whose identity checks both ran before either append: one case, one rejection after the check runs again', async () => {
    const store = await openEventStore({ kind: 'memory' });
    // Both ingestors read the member index before either writes: the race the old two-step path lost.
    let readers = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const racing = new Proxy(store, {
      get(target, key) {
        if (key !== 'readStream') return Reflect.get(target, key);
        return async (name: string, options?: object) => {
          const events = await target.readStream(name, options);
          if (name.startsWith('member-') && readers < 2) {
            if (++readers === 2) release();
            await bothRead;
          }
          return events;
        };
      },
    });
    const [a, b] = await Promise.all([
      new Ingestor(racing, ctx, logger).ingest(msg('case', caseOpened('H-a', [VICTIM]))),
      new Ingestor(racing, ctx, logger).ingest(msg('case', caseOpened('H-b', [VICTIM]))),
    ]);
    expect(readers).toBe(2);
    const outcomes = [a, b].map((o) => o.status).sort();
    expect(outcomes).toEqual(['recorded', 'rejected']);
    const [winner, loser] = a.status === 'recorded' ? ['H-a', b] : ['H-b', a];
    expect(loser).toEqual({
      status: 'rejected',
      reason: `members.0.bsn: already a member of the open case of household ${winner} (one person, one open case)`,
    });
    expect(await store.listStreams('household-')).toEqual([`household-${winner}`]);
    const index = (await store.listStreams('member-')).length;
    expect(index).toBe(1);
    const memberEvents = (await store.readAll()).filter((e) => e.streamName.startsWith('member-'));
    expect(memberEvents.map((e) => [e.type, (e.data as { householdId: string }).householdId])).toEqual([
      ['MemberOfHousehold', winner],
    ]);
  });
});
