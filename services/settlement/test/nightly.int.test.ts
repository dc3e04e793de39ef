import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, defaultParameters, parseScenario, inputsInRecordingOrder, instantMillis } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, rulesVersionOf } from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { polisStatement } from '@bijstand/testkit/statements';
import { NightlySettlement, type SettlementOptions } from '../src/index.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const logger = createLogger('test', { level: 'silent' });

/**
 * The worked examples share BSNs (each is a world of its own); in one store each scenario's people get
 * their own valid BSNs: a person is a member of one open case at a time.
 */
function withOwnBsns(text: string, scenario: number): string {
  const mapping = new Map<string, string>();
  const fresh = (n: number) => {
    for (let k = n; ; k++) {
      const digits = String(k).padStart(8, '0').split('').map(Number);
      const check = digits.reduce((t, d, j) => t + (9 - j) * d, 0) % 11;
      if (check < 10) return digits.join('') + String(check);
    }
  };
  return text.replace(/"bsn":(\s*)"(\d{9})"/g, (_, space: string, bsn: string) => {
    if (!mapping.has(bsn)) mapping.set(bsn, fresh(20_000_000 + scenario * 1000 + mapping.size * 10));
    return `"bsn":${space}"${mapping.get(bsn)}"`;
  });
}

/** Four worked examples in one store; the nightly batch runs over all of them. */
function load() {
  const scenarios = ['couple-correction', 'ferd-four-weekly', 'ikb-december', 'job-ends-rule-c'].map((n, i) =>
    parseScenario(
      JSON.parse(withOwnBsns(readFileSync(join(examples, `${n}.scenario.json`), 'utf8'), i)),
      defaultParameters,
    ),
  );
  const ctx = { params: scenarios[0]!.parameters, policy: scenarios[0]!.policy };
  return { inputs: inputsInRecordingOrder(scenarios.flatMap((s) => s.rawInputs)), ctx };
}

async function runDays(
  store: EventStore,
  from: string,
  to: string,
  opts: { crashAfterHouseholds?: number; settlement?: SettlementOptions; newProcessEveryNight?: boolean } = {},
) {
  const { inputs, ctx } = load();
  const ingestor = new Ingestor(store, ctx, logger);
  let settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger, opts.settlement);
  let next = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const runAt = `${day}T02:00:00Z`;
    while (next < inputs.length && instantMillis(inputs[next]!.recordedAt) <= instantMillis(runAt)) {
      const i = inputs[next++]!;
      await ingestor.ingest({
        kind: i.statement ? 'statement' : 'case',
        payload: JSON.stringify(i.statement ?? i.case),
        recordedAt: i.recordedAt,
        source: { type: 'inline', reference: 'test' },
      });
    }
    if (opts.crashAfterHouseholds !== undefined && day === '2027-07-04') {
      // The worker dies after settling some households of this night; a new worker runs the night again.
      const households = await settlement.listHouseholds();
      for (const h of households.slice(0, opts.crashAfterHouseholds))
        await settlement.settleHousehold(h, { runDate: day, runAt });
      settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
    }
    // A new process has an empty cache: it starts every household from its snapshot (or stream).
    if (opts.newProcessEveryNight)
      settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger, opts.settlement);
    await settlement.runNightly({ runDate: day, runAt });
  }
}

const comparable = async (store: EventStore) =>
  (await store.readAll())
    .filter((e) => e.streamName.startsWith('household-'))
    .map((e) => ({ stream: e.streamName, id: e.eventId, type: e.type, recordedAt: e.recordedAt, data: e.data }));

describe('nightly settlement on the SQLite store', () => {
  it('a worker killed mid-run and started again gives the same events as an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightly-'));
    const uninterrupted = await openEventStore({ kind: 'sqlite', path: join(dir, 'a.sqlite') });
    const interrupted = await openEventStore({ kind: 'sqlite', path: join(dir, 'b.sqlite') });
    await runDays(uninterrupted, '2026-12-01', '2027-08-31');
    await runDays(interrupted, '2026-12-01', '2027-08-31', { crashAfterHouseholds: 2 });
    const a = await comparable(uninterrupted);
    const b = await comparable(interrupted);
    const sort = (x: typeof a) => [...x].sort((p, q) => (p.stream + p.id < q.stream + q.id ? -1 : 1));
    expect(sort(b)).toEqual(sort(a));
    // Payments through August 2027: couple Jan–Aug 8, Ferd Dec 2026–Aug 9, IKB Jan–Aug 8, job ends Jan–Jun 6.
    expect(a.filter((e) => e.type === 'PaymentMade').length).toBe(8 + 9 + 8 + 6);
    await uninterrupted.close();
    await interrupted.close();
  });

  it('households started from snapshots (a cache of one, a new process every night) get the same events as from a warm cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightly-snapshots-'));
    const warm = await openEventStore({ kind: 'sqlite', path: join(dir, 'warm.sqlite') });
    const cold = await openEventStore({ kind: 'sqlite', path: join(dir, 'cold.sqlite') });
    await runDays(warm, '2026-12-01', '2027-08-31');
    await runDays(cold, '2026-12-01', '2027-08-31', {
      settlement: { cacheHouseholds: 1, snapshotEveryEvents: 1 },
      newProcessEveryNight: true,
    });
    expect(await comparable(cold)).toEqual(await comparable(warm));
    // Snapshots were written and are recent: at most a night's events behind the stream.
    for (const stream of await cold.listStreams('household-')) {
      const snapshot = await cold.readSnapshot(stream);
      const events = await cold.readStream(stream);
      expect(snapshot).not.toBeNull();
      expect(snapshot!.revision).toBeGreaterThan(events.length - 6);
    }
    await warm.close();
    await cold.close();
  });

  it('running the same date twice appends nothing and never pays twice', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runDays(store, '2026-12-01', '2027-03-25');
    const before = (await store.readAll()).length;
    const { ctx } = load();
    const again = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
    const summary = await again.runNightly({ runDate: '2027-03-25', runAt: '2027-03-25T02:00:00Z' });
    expect(summary.paymentsMade).toBe(0);
    expect((await store.readAll()).length).toBe(before);
  });
});

describe('two nightly runs of the same night at once (issue: each reported its own totals)', () => {
  it('together they report exactly what is stored: every payment counted once', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runDays(store, '2027-01-01', '2027-05-24');
    const { ctx } = load();
    const night = { runDate: '2027-05-25', runAt: '2027-05-25T02:00:00Z' };
    const a = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
    const b = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
    const [ra, rb] = await Promise.all([a.runNightly(night, { chunkSize: 1 }), b.runNightly(night, { chunkSize: 1 })]);
    const stored = (await store.readAll()).filter(
      (e) => e.type === 'PaymentMade' && (e.data as { month: string }).month === '2027-05',
    );
    // The four examples with an open case in May are paid once each, by one run or the other.
    expect(stored).toHaveLength(4);
    expect(ra.paymentsMade + rb.paymentsMade).toBe(4);
    const decisions = (await store.readAll()).filter(
      (e) => e.recordedAt === night.runAt && e.streamName.startsWith('household-'),
    );
    expect(ra.eventsAppended + rb.eventsAppended).toBe(decisions.length);
  });
});

describe('one input can never stop a night (issue: a poison statement crashed every night)', () => {
  it('the poison statement is refused at ingest; a household that cannot be decided is quarantined in the summary, the others are paid', async () => {
    const store = await openEventStore({ kind: 'memory' });
    const { ctx } = load();
    const ingestor = new Ingestor(store, ctx, logger);
    const open = (householdId: string, bsn: string) =>
      ingestor.ingest({
        kind: 'case',
        payload: JSON.stringify({
          type: 'CaseOpened',
          householdId,
          members: [{ bsn, role: 'applicant' }],
          category: 'single',
          startDate: '2027-01-01',
        }),
        recordedAt: '2027-01-02T09:00:00Z',
        source: { type: 'inline', reference: 'test' },
      });
    await open('H-good', '111222333');
    await open('H-broken', '123456782');
    const poison = polisStatement({
      messageId: 'poison',
      intendedFor: { start: '2027-02-01', end: '9999-12-31' },
      taxableWage: '500.00',
      withheldTax: '0.00',
    });
    const outcome = await ingestor.ingest({
      kind: 'statement',
      payload: JSON.stringify(poison),
      recordedAt: '2027-01-20T09:00:00Z',
      source: { type: 'inline', reference: 'poison' },
    });
    expect(outcome).toMatchObject({ status: 'rejected' });
    expect((outcome as { reason: string }).reason).toContain(
      'intendedFor.end: must lie between 2000-01-01 and 2099-12-31',
    );
    // A stream this engine cannot read (an event type from a newer version): that household fails, alone.
    await store.append('household-H-broken', [
      {
        eventId: 'future',
        type: 'SomethingFromTheFuture',
        schemaVersion: 1,
        recordedAt: '2027-01-03T09:00:00Z',
        data: {},
      },
    ]);
    const settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
    const summary = await settlement.runNightly({ runDate: '2027-01-25', runAt: '2027-01-25T02:00:00Z' });
    expect(summary.households).toBe(2);
    expect(summary.paymentsMade).toBe(1);
    expect(summary.failures.map((f) => f.householdId)).toEqual(['H-broken']);
    expect(summary.failures[0]!.error).toContain('SomethingFromTheFuture');
  });
});
