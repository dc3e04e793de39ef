import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, HOUSEHOLD_STREAM_PREFIX, REJECTED_STREAM } from '@bijstand/platform';
import { Ingestor, listIngestAlerts, listParked, type InboundMessage, type IngestOutcome } from '../src/index.js';
import { caseOpened, ctx, month, statement, validBsn } from './fixtures.js';

/*
 * Issue #12, done-criterion: at least 10,000 generated hostile and unlucky messages (seeded) through
 * one ingestor on SQLite. Every message is stored or rejected with a reason, valid statements exactly
 * once, nothing crashes, and no BSN appears in clear in a reason, an alert or a log line.
 */
const HOUSEHOLDS = 400;
const STATEMENTS_PER_HOUSEHOLD = 18;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Expect = 'stored' | 'duplicate' | 'rejected' | 'parked' | 'conflict' | 'identity-conflict';
interface Planned {
  kind: 'statement' | 'case';
  payload: string;
  expect: Expect;
  /** For a valid statement: its messageId, to find it exactly once in the household streams. */
  messageId?: string;
}

const ymd = (m: number) => `${2027 + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`;

function hostileJunk(rand: () => number, i: number, bsn: string): Planned {
  const s = statement({ messageId: `junk-${i}`, bsn });
  const variants: Array<() => Planned> = [
    () => ({ kind: 'statement', payload: '{"messageId": "broken', expect: 'rejected' }),
    () => ({ kind: 'statement', payload: 'null', expect: 'rejected' }),
    () => ({ kind: 'statement', payload: '42', expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, taxableWage: 900 }), expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, bsn: Number(bsn) }), expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, bsn: `${bsn.slice(0, 8)}${(Number(bsn[8]) + 1) % 10}` }), expect: 'rejected' }), // elfproef
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, messageId: 'x'.repeat(200_001) }), expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, employer: { payrollTaxNumber: '123456789L01', name: 'é'.repeat(100_000) } }), expect: 'rejected' }),
    () => ({ kind: 'statement', payload: `${'['.repeat(5000)}${']'.repeat(5000)}`, expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, employer: JSON.parse(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`) }), expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, period: { start: '2027-02-30', end: '2027-03-31', kind: 'month' } }), expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, intendedFor: { start: '2027-01-01', end: '9999-12-31' } }), expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, __proto__: { polluted: true }, constructor: 'x' }), expect: 'rejected' }),
    () => ({ kind: 'case', payload: JSON.stringify({ type: 'CaseDeleted', householdId: 'H-x' }), expect: 'rejected' }),
    () => ({ kind: 'case', payload: JSON.stringify({ ...caseOpened(`H-junk-${i}`, [bsn]), members: [] }), expect: 'rejected' }),
    () => ({ kind: 'case', payload: JSON.stringify({ ...caseOpened(`H-junk-${i}`, [bsn]), startDate: 20270101 }), expect: 'rejected' }),
    () => ({ kind: 'case', payload: '\u0000\uFFFF\uD800', expect: 'rejected' }),
  ];
  return variants[Math.floor(rand() * variants.length)]!();
}

function plan(seed: number): Planned[] {
  const rand = mulberry32(seed);
  const out: Planned[] = [];
  const later: Planned[] = [];
  const bsnOf = (h: number) => validBsn(1000 + h);
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const householdId = `H-hostile-${h}`;
    const bsn = bsnOf(h);
    const startMonth = 1 + Math.floor(rand() * 6);
    const caseEvents: Planned[] = [{ kind: 'case', payload: JSON.stringify({ type: 'HouseholdChanged', householdId, effectiveDate: `${ymd(startMonth + 2)}-01`, category: 'single', costSharers: 2 }), expect: 'stored' }];
    if (rand() < 0.3) caseEvents.push({ kind: 'case', payload: JSON.stringify({ type: 'EarningsDisregardGranted', householdId, bsn, kind: 'work', from: `${ymd(startMonth)}-01`, to: `${ymd(startMonth + 5)}-28` }), expect: 'stored' });
    const before = rand() < 0.3; // the case events arrive before their CaseOpened: parked, applied on opening
    if (before) out.push(...caseEvents.map((c) => ({ ...c, expect: 'parked' as const })));
    const early = rand() < 0.2; // the first statement arrives before the case: parked
    const statements: Planned[] = [];
    for (let k = 0; k < STATEMENTS_PER_HOUSEHOLD; k++) {
      const messageId = `st-${h}-${k}`;
      const kind = k === STATEMENTS_PER_HOUSEHOLD - 1 && rand() < 0.2 ? 'correction' : 'initial'; // a correction of a period never seen
      const body = statement({ messageId, bsn, incomeRelationshipId: `IKV-${h}`, period: month(ymd(startMonth + k)), taxableWage: (300 + Math.floor(rand() * 1000)).toFixed(2), kind });
      statements.push({ kind: 'statement', payload: JSON.stringify(body), expect: k === 0 && early ? 'parked' : 'stored', messageId });
      if (rand() < 0.05) later.push({ kind: 'statement', payload: JSON.stringify(body), expect: 'duplicate' });
      if (rand() < 0.03) later.push({ kind: 'statement', payload: JSON.stringify({ ...body, taxableWage: '99999.00' }), expect: 'conflict' });
      if (rand() < 0.02) later.push({ kind: 'statement', payload: JSON.stringify({ ...body, bsn: bsnOf((h + 1) % HOUSEHOLDS) }), expect: 'conflict' });
    }
    if (early) out.push(statements.shift()!);
    out.push({ kind: 'case', payload: JSON.stringify(caseOpened(householdId, [bsn], `${ymd(startMonth)}-01`)), expect: 'stored' });
    if (!before) out.push(...caseEvents);
    out.push(...statements);
    if (h < 3) for (let d = 0; d < 50; d++) later.push({ kind: 'case', payload: JSON.stringify(caseOpened(`H-dup-${h}-${d}`, [validBsn(90_000 + h * 100 + d), bsn], '2027-08-01')), expect: 'identity-conflict' });
  }
  for (let i = 0; i < 100; i++) later.push({ kind: 'statement', payload: JSON.stringify(statement({ messageId: `orphan-${i}`, bsn: validBsn(50_000 + i) })), expect: 'parked' });
  const junk = Array.from({ length: 3000 }, (_, i) => hostileJunk(rand, i, bsnOf(i % HOUSEHOLDS)));
  // Junk anywhere; re-deliveries, conflicts and takeover attempts after the originals.
  const mixed = [...out];
  for (const j of junk) mixed.splice(Math.floor(rand() * (mixed.length + 1)), 0, j);
  return [...mixed, ...later];
}

describe('hostile input (issue #12)', () => {
  it('10,000+ generated messages: each stored once or rejected with a reason, no crash, no BSN in clear', async () => {
    const planned = plan(12);
    expect(planned.length).toBeGreaterThanOrEqual(10_000);
    const logLines: string[] = [];
    const logger = createLogger('hostile', { level: 'info', destination: new Writable({ write: (chunk, _e, cb) => (logLines.push(String(chunk)), cb()) }) as never });
    const store = await openEventStore({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'hostile-')), 'events.sqlite') });
    const ingestor = new Ingestor(store, ctx, logger);
    const started = performance.now();
    const outcomes: IngestOutcome[] = [];
    for (const [i, p] of planned.entries()) {
      const message: InboundMessage = { kind: p.kind, payload: p.payload, recordedAt: '2027-09-01T10:00:00Z', source: { type: 'file', name: 'hostile.ndjson', line: i + 1 } };
      outcomes.push(await ingestor.ingest(message));
    }
    console.info(`hostile ingest: ${planned.length} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Each message has the outcome its category calls for.
    const statusOf: Record<Expect, IngestOutcome['status']> = { stored: 'recorded', duplicate: 'duplicate', rejected: 'rejected', parked: 'parked', conflict: 'rejected', 'identity-conflict': 'rejected' };
    const wrong = planned.map((p, i) => [i, p.expect, outcomes[i]!.status] as const).filter(([, e, s]) => statusOf[e] !== s);
    expect(wrong).toEqual([]);
    planned.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.status === 'rejected') expect(o.reason.length).toBeGreaterThan(0);
      if (p.expect === 'conflict') expect((o as { reason: string }).reason).toMatch(/^conflicting-redelivery: messageId st-\d+-\d+ was first received with content sha256 [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}…, now [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}…$/);
      if (p.expect === 'identity-conflict') expect((o as { reason: string }).reason).toMatch(/^members\.1\.bsn: already a member of the open case of household H-hostile-[012] \(one person, one open case\)$/);
    });

    // Every rejection is stored with its reason and raw payload; every valid statement is in exactly one household, once.
    const rejected = await store.readStream(REJECTED_STREAM);
    expect(rejected).toHaveLength(outcomes.filter((o) => o.status === 'rejected').length);
    const seen = new Map<string, number>();
    for (const stream of await store.listStreams(HOUSEHOLD_STREAM_PREFIX)) {
      for (const e of await store.readStream(stream)) {
        if (e.type === 'IncomeStatementRecorded') {
          const id = (e.data as { statement: { messageId: string } }).statement.messageId;
          seen.set(id, (seen.get(id) ?? 0) + 1);
        }
      }
    }
    const valid = planned.filter((p) => p.messageId).map((p) => p.messageId!);
    expect(valid.filter((id) => seen.get(id) !== 1)).toEqual([]);
    expect(seen.size).toBe(valid.length);
    expect((await listParked(store, '2027-09-02T10:00:00Z')).map((p) => p.reference)).toEqual(Array.from({ length: 100 }, (_, i) => `orphan-${i}`));
    expect((await listIngestAlerts(store)).filter((a) => a.kind === 'identity-conflict')).toHaveLength(150);

    // No BSN in clear in reasons, alerts or logs.
    const bsns = new Set<string>();
    for (const p of planned) for (const m of p.payload.matchAll(/(?<!\d)\d{9}(?!\d)/g)) bsns.add(m[0]);
    const visible = [...rejected.map((e) => (e.data as { reason: string }).reason), JSON.stringify(await listIngestAlerts(store)), ...logLines].join('\n');
    const leaked = [...bsns].filter((b) => visible.includes(b));
    expect(leaked).toEqual([]);
    await store.close();
  }, 120_000);
});
