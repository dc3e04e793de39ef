import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { postgresAvailable, postgresBinDir, startPostgres, type PostgresHandle } from '@bijstand/testkit';
import { Ingestor, readNdjson, type InboundMessage, type IngestOutcome } from '../src/index.js';
import { ctx } from './fixtures.js';
import { plan } from './hostileMessages.js';
import { writeSyntheticFile } from './syntheticHouseholds.js';

/*
 * The read-ahead on PostgreSQL (readStreams and readSnapshots in one query each): one by one, and in
 * batches with the prefetch on and off, each in a fresh database of its own, give the same outcomes and the
 * same stored events (positions aside). batchEquivalence.int.test.ts covers the rest on SQLite.
 * One server for the three databases: a store lives in its database (schema, positions), so a fresh
 * database is a fresh store, and one initdb and start instead of three saves seconds.
 */
const logger = createLogger('equivalence-pg', { level: 'silent' });
let server: PostgresHandle | undefined;
afterAll(async () => {
  await server?.stop();
});

async function run(messages: readonly InboundMessage[], mode: 'one-by-one' | 'prefetch' | 'no-prefetch') {
  server ??= await startPostgres();
  const database = mode.replaceAll('-', '_');
  // The server's own psql: this package has no PostgreSQL client of its own.
  execFileSync(join(postgresBinDir()!, 'psql'), [server.url, '-Atc', `CREATE DATABASE ${database}`]);
  const store: EventStore = await openEventStore({ kind: 'postgres', connectionString: server.urlOf(database) });
  const ingestor = new Ingestor(store, ctx, logger, { prefetch: mode === 'prefetch' });
  const outcomes: IngestOutcome[] = [];
  if (mode === 'one-by-one') for (const m of messages) outcomes.push(await ingestor.ingest(m));
  else
    for (let i = 0; i < messages.length; i += 700)
      outcomes.push(...(await ingestor.ingestBatch(messages.slice(i, i + 700))));
  const stored = (await store.readAll()).map(({ globalPosition: _, ...rest }) => rest);
  await store.close();
  return { outcomes, stored };
}

describe.skipIf(!postgresAvailable())('ingestBatch with its read-ahead on PostgreSQL', () => {
  it('synthetic households and hostile messages: prefetch on and off give the outcomes and events of one by one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'batch-equivalence-pg-')), 'synthetic.ndjson');
    writeSyntheticFile(file, 120, 11);
    let tick = Date.UTC(2027, 0, 1);
    const messages: InboundMessage[] = [];
    for await (const m of readNdjson(file, { now: () => new Date((tick += 3_600_000)).toISOString() }))
      messages.push(m);
    // Conflicting re-deliveries, parks, alerts and rejections among them.
    messages.push(
      ...plan(5)
        .slice(0, 1_500)
        .map<InboundMessage>((p, i) => ({
          kind: p.kind,
          payload: p.payload,
          recordedAt: '2027-09-01T10:00:00Z',
          source: { type: 'file', name: 'hostile.ndjson', line: i + 1 },
        })),
    );
    const reference = await run(messages, 'one-by-one');
    const statuses = new Set(reference.outcomes.map((o) => o.status));
    expect([...statuses].sort()).toEqual(['duplicate', 'parked', 'recorded', 'rejected']);
    for (const mode of ['prefetch', 'no-prefetch'] as const) {
      const batched = await run(messages, mode);
      expect(batched.outcomes, mode).toEqual(reference.outcomes);
      expect(batched.stored, mode).toEqual(reference.stored);
    }
  }, 300_000);
});
