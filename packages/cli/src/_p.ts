import { addMonths, inputsInRecordingOrder } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalityConfig, rulesVersionOf } from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { NightlySettlement } from '@bijstand/settlement';
import { generateHouseholds } from './synthetic.js';
const logger = createLogger('b', { level: 'silent' });
const { ctx } = loadMunicipalityConfig('infra/config/demo-municipality.json');
const store = await openEventStore({ kind: 'memory' });
const inputs = inputsInRecordingOrder(generateHouseholds({ households: 5, seed: 7, startMonth: '2027-01', months: 60 }));
console.log('inputs', inputs.length);
const ing = new Ingestor(store, ctx, logger);
await ing.ingestBatch(inputs.map((i) => ({ kind: i.statement ? 'statement' : 'case', payload: JSON.stringify(i.statement ?? i.case), recordedAt: i.recordedAt, source: { type: 'inline', reference: 'b' } })) as never);
const s = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
let t = performance.now();
for (let i = 0; i < 60; i++) { const m = addMonths('2027-01', i); await s.runNightly({ runDate: `${m}-01`, runAt: `${m}-01T02:00:00Z` }); await s.runNightly({ runDate: `${m}-25`, runAt: `${m}-25T02:00:00Z` });
 if (i % 12 === 11) { console.log(i, (performance.now() - t).toFixed(0), 'ms', (await store.readAll()).length, 'events', Math.round(process.memoryUsage().rss/1e6), 'MB'); t = performance.now(); } }
import { loadStoredHousehold, replayAsOf } from './replay.js';
for (const id of await s.listHouseholds()) {
  const t0 = performance.now();
  const { stored, runs } = await loadStoredHousehold(store, id);
  const cmp = replayAsOf(stored, runs, '2032-01-01T00:00:00Z', ctx);
  console.log(id, stored.length, runs.length, (performance.now() - t0).toFixed(0), 'ms', cmp.identical, cmp.decisionsCompared);
}
{ const { stored, runs } = await loadStoredHousehold(store, 'H-syn-000002');
  const cmp = replayAsOf(stored, runs, '2032-01-01T00:00:00Z', ctx);
  console.log(JSON.stringify(cmp.differences.slice(0, 12), null, 0)); }
