import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, HOUSEHOLD_STREAM_PREFIX, REJECTED_STREAM } from '@bijstand/platform';
import { Ingestor, listIngestAlerts, listParked, type InboundMessage, type IngestOutcome } from '../src/index.js';
import { ctx } from './fixtures.js';
import { plan, type Expect } from './hostileMessages.js';

/*
 * Issue #12, done-criterion: at least 10,000 generated hostile and unlucky messages (seeded) through
 * one ingestor on SQLite. Every message is stored or rejected with a reason, valid statements exactly
 * once, nothing crashes, and no BSN appears in clear in a reason, an alert or a log line.
 */
describe('hostile input (issue #12)', () => {
  it('10,000+ generated messages: each stored once or rejected with a reason, no crash, no BSN in clear', async () => {
    const planned = plan(12);
    expect(planned.length).toBeGreaterThanOrEqual(10_000);
    const logLines: string[] = [];
    const logger = createLogger('hostile', {
      level: 'info',
      destination: new Writable({ write: (chunk, _e, cb) => (logLines.push(String(chunk)), cb()) }) as never,
    });
    const store = await openEventStore({
      kind: 'sqlite',
      path: join(mkdtempSync(join(tmpdir(), 'hostile-')), 'events.sqlite'),
    });
    const ingestor = new Ingestor(store, ctx, logger);
    const started = performance.now();
    const outcomes: IngestOutcome[] = [];
    for (const [i, p] of planned.entries()) {
      const message: InboundMessage = {
        kind: p.kind,
        payload: p.payload,
        recordedAt: '2027-09-01T10:00:00Z',
        source: { type: 'file', name: 'hostile.ndjson', line: i + 1 },
      };
      outcomes.push(await ingestor.ingest(message));
    }
    console.info(
      `hostile ingest: ${planned.length} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // Each message has the outcome its category calls for.
    const statusOf: Record<Expect, IngestOutcome['status']> = {
      stored: 'recorded',
      duplicate: 'duplicate',
      rejected: 'rejected',
      parked: 'parked',
      conflict: 'rejected',
      'identity-conflict': 'rejected',
    };
    const wrong = planned
      .map((p, i) => [i, p.expect, outcomes[i]!.status] as const)
      .filter(([, e, s]) => statusOf[e] !== s);
    expect(wrong).toEqual([]);
    planned.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.status === 'rejected') expect(o.reason.length).toBeGreaterThan(0);
      if (p.expect === 'conflict')
        expect((o as { reason: string }).reason).toMatch(
          /^conflicting-redelivery: messageId st-\d+-\d+ was first received with content sha256 [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}…, now [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}…$/,
        );
      if (p.expect === 'identity-conflict')
        expect((o as { reason: string }).reason).toMatch(
          /^members\.1\.bsn: already a member of the open case of household H-hostile-[012] \(one person, one open case\)$/,
        );
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
    expect((await listParked(store, '2027-09-02T10:00:00Z')).map((p) => p.reference)).toEqual(
      Array.from({ length: 100 }, (_, i) => `orphan-${i}`),
    );
    expect((await listIngestAlerts(store)).filter((a) => a.kind === 'identity-conflict')).toHaveLength(150);

    // No BSN in clear in reasons, alerts or logs.
    const bsns = new Set<string>();
    for (const p of planned) for (const m of p.payload.matchAll(/(?<!\d)\d{9}(?!\d)/g)) bsns.add(m[0]);
    const visible = [
      ...rejected.map((e) => (e.data as { reason: string }).reason),
      JSON.stringify(await listIngestAlerts(store)),
      ...logLines,
    ].join('\n');
    const leaked = [...bsns].filter((b) => visible.includes(b));
    expect(leaked).toEqual([]);
    await store.close();
  }, 120_000);
});
