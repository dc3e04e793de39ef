import { describe, expect, it, beforeEach } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { defaultParameters, policySchema } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, householdStream, parkedStream, REJECTED_STREAM } from '@bijstand/platform';
import { ingestAll, Ingestor, readNdjson, type InboundMessage } from '../src/index.js';
import { statement } from './fixtures.js';

const ctx = { params: defaultParameters, policy: policySchema.parse({}) };
const logLines: string[] = [];
const logger = createLogger('test', {
  level: 'info',
  destination: new Writable({ write: (chunk, _e, cb) => (logLines.push(String(chunk)), cb()) }) as never,
});

const opened = {
  type: 'CaseOpened',
  householdId: 'H-1',
  members: [{ bsn: '111222333', role: 'applicant' }],
  category: 'single',
  startDate: '2027-01-01',
};
let seq = 0;
const msg = (kind: 'statement' | 'case', body: unknown): InboundMessage => ({
  kind,
  payload: typeof body === 'string' ? body : JSON.stringify(body),
  recordedAt: `2027-02-0${1 + (seq++ % 8)}T10:00:00Z`,
  source: { type: 'inline', reference: `t${seq}` },
});

/** A statement before its case (parked), two recorded, a re-delivery (duplicate) and a bad one (rejected). */
const bulkCase = (): InboundMessage[] => [
  msg('statement', statement({ messageId: 'early' })),
  msg('case', opened),
  msg('statement', statement({ messageId: 'a', period: { start: '2027-02-01', end: '2027-02-28', kind: 'month' } })),
  msg('statement', statement({ messageId: 'b', period: { start: '2027-03-01', end: '2027-03-31', kind: 'month' } })),
  msg('statement', statement({ messageId: 'a', period: { start: '2027-02-01', end: '2027-02-28', kind: 'month' } })),
  msg('statement', '{bad'),
];

describe('ingest: validation, routing, parking, deduplication', () => {
  let store: EventStore;
  let ingestor: Ingestor;
  beforeEach(async () => {
    store = await openEventStore({ kind: 'memory' });
    ingestor = new Ingestor(store, ctx, logger);
    logLines.length = 0;
  });

  it('stores a bad message as a rejected-message event with the exact reason and the raw payload', async () => {
    const badBsn = statement({ bsn: '111222334' });
    const outcomes = await ingestor.ingestAll([
      msg('statement', '{not json'),
      msg('statement', badBsn),
      msg('statement', statement({ taxableWage: 900 })),
      msg('case', { ...opened, members: [] }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    const rejected = await store.readStream(REJECTED_STREAM);
    expect(rejected.map((e) => (e.data as { reason: string }).reason)).toEqual([
      'payload: is not valid JSON',
      'bsn: fails the elfproef',
      'taxableWage: must be an amount as a string like "1401.50" (money is never a JSON number)',
      'members: must name at least the applicant; members: must hold exactly one applicant',
    ]);
    expect((rejected[1]!.data as { payload: string }).payload).toBe(JSON.stringify(badBsn));
  });

  it('a rejected message delivered again is stored once; another message with the same text is stored too', async () => {
    const first = msg('statement', '{not json');
    await ingestor.ingest(first);
    await ingestor.ingest({ ...first });
    expect(await store.readStream(REJECTED_STREAM)).toHaveLength(1);
    await ingestor.ingest(msg('statement', '{not json'));
    expect(await store.readStream(REJECTED_STREAM)).toHaveLength(2);
  });

  it('routes a statement to the household of its BSN; re-delivery of the same messageId is a no-op', async () => {
    await ingestor.ingest(msg('case', opened));
    expect((await ingestor.ingest(msg('statement', statement()))).status).toBe('recorded');
    expect((await ingestor.ingest(msg('statement', statement()))).status).toBe('duplicate');
    const events = await store.readStream(householdStream('H-1'));
    expect(events.map((e) => [e.type, e.eventId])).toEqual([
      ['CaseOpened', expect.stringMatching(/^case:/)],
      ['IncomeStatementRecorded', 'statement:m-1'],
    ]);
  });

  it('parks a statement whose BSN has no open case and applies it when the case opens', async () => {
    const early = msg('statement', statement());
    expect((await ingestor.ingest(early)).status).toBe('parked');
    expect(await store.readStream(parkedStream('111222333'))).toHaveLength(1);
    const opening = msg('case', opened);
    await ingestor.ingest(opening);
    const events = await store.readStream(householdStream('H-1'));
    expect(events.map((e) => e.type)).toEqual(['CaseOpened', 'IncomeStatementRecorded']);
    // It entered the household when the case opened; the statement keeps when it first arrived.
    expect(events[1]!.recordedAt).toBe(opening.recordedAt);
    expect((events[1]!.data as { recordedAt: string }).recordedAt).toBe(early.recordedAt);
  });

  it('rejects case events the household history does not allow, naming the rule', async () => {
    await ingestor.ingest(msg('case', opened));
    const o = await ingestor.ingest(msg('case', { type: 'CaseClosed', householdId: 'H-1', endDate: '2026-12-31' }));
    expect(o).toEqual({ status: 'rejected', reason: 'endDate: must not be before the case start 2027-01-01' });
  });

  it('rejects a work grant that breaks the run rules of art. 34a, storing the reason where consultants see rejections', async () => {
    await ingestor.ingest(msg('case', opened));
    const grant = { type: 'EarningsDisregardGranted', householdId: 'H-1', bsn: '111222333', kind: 'work' };
    expect(await ingestor.ingest(msg('case', { ...grant, from: '2027-01-01', to: '2027-06-30' }))).toMatchObject({
      status: 'recorded',
    });
    // The adjoining grant takes the run from 2027-01-01 to 2028-01-31: 13 months.
    const o = await ingestor.ingest(msg('case', { ...grant, from: '2027-07-01', to: '2028-01-31' }));
    const reason =
      'to: the work disregard of this person runs from 2027-01-01; 13 months exceed the 12 of art. 34a(1)(a) without extension';
    expect(o).toEqual({ status: 'rejected', reason });
    expect((await store.readStream(REJECTED_STREAM)).map((e) => (e.data as { reason: string }).reason)).toEqual([
      reason,
    ]);
  });

  it('never logs a BSN in clear text', async () => {
    await ingestor.ingest(msg('statement', statement({ bsn: '111222334' })));
    await ingestor.ingest(msg('statement', statement()));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/111222333|111222334/);
  });

  it('ingests an NDJSON file with mixed envelopes and reports bad lines by line number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
    const file = join(dir, 'in.ndjson');
    writeFileSync(
      file,
      [JSON.stringify({ case: opened }), JSON.stringify({ statement: statement() }), '', 'garbage'].join('\n'),
    );
    const seen: Array<[number, string]> = [];
    for await (const m of readNdjson(file, { now: () => '2027-02-10T00:00:00Z' })) {
      const o = await ingestor.ingest(m);
      seen.push([(m.source as { line: number }).line, o.status]);
    }
    expect(seen).toEqual([
      [1, 'recorded'],
      [2, 'recorded'],
      [4, 'rejected'],
    ]);
  });

  it('bulk ingest stores what one-by-one ingest stores; re-delivery, parking and rejection behave the same', async () => {
    const messages = bulkCase();
    const oneByOne = await openEventStore({ kind: 'memory' });
    const single = await new Ingestor(oneByOne, ctx, logger).ingestAll(messages);
    const bulk = await new Ingestor(store, ctx, logger).ingestBatch(messages);
    expect(bulk.map((o) => o.status)).toEqual(single.map((o) => o.status));
    expect(bulk.map((o) => o.status)).toEqual(['parked', 'recorded', 'recorded', 'recorded', 'duplicate', 'rejected']);
    const view = async (s: EventStore) =>
      (await s.readStream(householdStream('H-1'))).map((e) => [e.type, e.eventId, e.recordedAt]);
    expect(await view(store)).toEqual(await view(oneByOne));
    expect((await view(store)).map((e) => e[1])).toEqual([
      expect.stringMatching(/^case:/),
      'statement:early',
      'statement:a',
      'statement:b',
    ]);
  });

  it("ingestAll (the CLI's file and stdin) in chunks: the counts, each rejection in order, the events of one by one", async () => {
    const messages = bulkCase();
    const oneByOne = await openEventStore({ kind: 'memory' });
    await new Ingestor(oneByOne, ctx, logger).ingestAll(messages);
    const rejected: string[] = [];
    async function* source() {
      yield* messages;
    }
    const counts = await ingestAll(new Ingestor(store, ctx, logger), source(), (m, reason) => rejected.push(reason), 4);
    expect(counts).toEqual({ recorded: 3, duplicate: 1, parked: 1, rejected: 1 });
    expect(rejected).toEqual(['payload: is not valid JSON']);
    const view = async (s: EventStore) =>
      (await s.readAll()).map((e) => [e.streamName, e.type, e.eventId, e.recordedAt, JSON.stringify(e.data)]);
    expect(await view(store)).toEqual(await view(oneByOne));
  });
});
