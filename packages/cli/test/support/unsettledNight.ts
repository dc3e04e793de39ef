import { join } from 'node:path';
import { inputsInRecordingOrder } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalityConfig } from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { generateHouseholds } from '@bijstand/synthetic';
import { root } from './cli.js';

/** The demo municipality's rules, under which the seeded households are settled. */
export const demoConfig = join(root, 'infra', 'config', 'demo-municipality.json');
export const { ctx: demoCtx } = loadMunicipalityConfig(demoConfig);
export const HOUSEHOLDS = 60;
/** The night the tests run: it settles January to March 2027 of every seeded household. */
export const NIGHT = { runDate: '2027-04-01', runAt: '2027-04-01T00:00:00Z' };

/** Households with their case and statements up to the night, never settled, in a new SQLite store at `path`. */
export async function seedUnsettledNight(path: string): Promise<void> {
  const store = await openEventStore({ kind: 'sqlite', path });
  const ingestor = new Ingestor(store, demoCtx, createLogger('test', { level: 'silent' }));
  for (const i of inputsInRecordingOrder(
    generateHouseholds({ households: HOUSEHOLDS, seed: 5, startMonth: '2027-01', months: 3 }),
  )) {
    if (Date.parse(i.recordedAt) > Date.parse(NIGHT.runAt)) continue;
    await ingestor.ingest({
      kind: i.statement ? 'statement' : 'case',
      payload: JSON.stringify(i.statement ?? i.case),
      recordedAt: i.recordedAt,
      source: { type: 'inline', reference: 'seed' },
    });
  }
  await store.close();
}
