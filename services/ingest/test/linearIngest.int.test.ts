import { describe, expect, it } from 'vitest';
import { defaultParameters, policySchema, foldHousehold } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, householdStream, isHouseholdEvent, toHouseholdEvent } from '@bijstand/platform';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ingestor, type InboundMessage } from '../src/index.js';
import { polisStatement } from '@bijstand/testkit/statements';

/*
 * Issue #12 (6): ingest time grew quadratically with one household's statements (1,000 → 8 s,
 * 2,000 → 34 s). 10,000 statements for one household on SQLite; the time is logged, never asserted.
 */
const ctx = { params: defaultParameters, policy: policySchema.parse({}) };
const logger = createLogger('test', { level: 'silent' });
const COUNT = Number(process.env.LINEAR_INGEST_COUNT ?? 10_000);

function statements(count: number): InboundMessage[] {
  const out: InboundMessage[] = [];
  for (let i = 0; i < count; i++) {
    // Weekly periods from 2027-01-04, one income relationship per ~190 weeks so the dates stay in range.
    const relationship = Math.floor(i / 190);
    const week = i % 190;
    const start = new Date(Date.UTC(2027, 0, 4 + week * 7));
    const end = new Date(start.getTime() + 6 * 86_400_000);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    out.push({
      kind: 'statement',
      payload: JSON.stringify(
        polisStatement({
          messageId: `lin-${i}`,
          incomeRelationshipId: `IKV-${relationship}`,
          period: { start: day(start), end: day(end), kind: 'week' },
          taxableWage: '200.00',
          withheldTax: '10.00',
        }),
      ),
      recordedAt: '2031-01-01T10:00:00Z',
      source: { type: 'inline', reference: `lin-${i}` },
    });
  }
  return out;
}

describe('ingest of one household is linear in its statements', () => {
  it(`records ${COUNT} statements of one household, each once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linear-ingest-'));
    const store = await openEventStore({ kind: 'sqlite', path: join(dir, 'events.sqlite') });
    const ingestor = new Ingestor(store, ctx, logger);
    await ingestor.ingest({
      kind: 'case',
      payload: JSON.stringify({
        type: 'CaseOpened',
        householdId: 'H-big',
        members: [{ bsn: '111222333', role: 'applicant' }],
        category: 'single',
        startDate: '2027-01-01',
      }),
      recordedAt: '2027-01-02T09:00:00Z',
      source: { type: 'inline', reference: 'open' },
    });
    const messages = statements(COUNT);
    const started = performance.now();
    const outcomes = [];
    for (const m of messages) outcomes.push(await ingestor.ingest(m));
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `linear ingest: ${COUNT} statements of one household in ${seconds.toFixed(1)} s (${Math.round(COUNT / seconds)}/s)`,
    );
    expect(outcomes.filter((o) => o.status === 'recorded')).toHaveLength(COUNT);
    const recorded = await store.readStream(householdStream('H-big'));
    const state = foldHousehold(recorded.filter(isHouseholdEvent).map(toHouseholdEvent));
    expect(state.statementCount).toBe(COUNT);
    expect(state.seenMessageIds.has(`lin-${COUNT - 1}`)).toBe(true);
    await store.close();
  }, 120_000);
});
