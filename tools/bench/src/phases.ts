import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths, daysInMonth, inputsInRecordingOrder, type Instant } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalityConfig, rulesVersionOf, type Logger } from '@bijstand/platform';
import { Ingestor, type InboundMessage } from '@bijstand/ingest';
import { NightlySettlement } from '@bijstand/settlement';
import { generateHouseholds, type RawInput } from '@bijstand/synthetic';
import { loadStoredHousehold, replayAsOf } from '@bijstand/replay';
import type { StoreTarget } from './stores.js';

/** The measured phases of `make bench`, the same for every store: ingest, history + the measured night, replay. */

export const logger: Logger = createLogger('bench', { level: 'silent' });
export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const config = join(repoRoot, 'infra', 'config', 'demo-municipality.json');
export const { ctx } = loadMunicipalityConfig(config);
export const rulesVersion = rulesVersionOf(ctx.params, ctx.policy);
export const START_MONTH = '2027-01';
export const REPLAY_MONTHS = 60;

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
export const rssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** Peak resident memory of another process (Linux: VmHWM), or null where /proc is not there. */
export const peakRssOfMiB = (pid: number | undefined): number | null => {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Math.round(Number(kib) / 1024) : null;
  } catch {
    return null;
  }
};

export function toMessages(inputs: RawInput[]): InboundMessage[] {
  return inputsInRecordingOrder(inputs).map((i) => ({
    kind: i.statement ? 'statement' : 'case',
    payload: JSON.stringify(i.statement ?? i.case),
    recordedAt: i.recordedAt as Instant,
    source: { type: 'inline', reference: 'bench' },
  }));
}

export interface Night {
  runDate: string;
  runAt: string;
}

/** The night that settles month `i` after the start for every household: the 1st of the month after it. */
export const settlementNightAfter = (months: number): Night => ({
  runDate: `${addMonths(START_MONTH, months)}-01`,
  runAt: `${addMonths(START_MONTH, months)}-01T02:00:00Z`,
});

/**
 * The nights of the history: every night (as in production) or only the 1st (settlement) and the 25th
 * (payday), the two that change something for every household (enough to build a large store quickly).
 */
export function settlementNights(
  startMonth: string,
  months: number,
  every: 'night' | 'settlement-and-payday',
): Night[] {
  const out = [];
  for (let i = 0; i < months; i++) {
    const m = addMonths(startMonth, i);
    const days = every === 'night' ? Array.from({ length: daysInMonth(m) }, (_, d) => d + 1) : [1, 25];
    for (const d of days)
      out.push({
        runDate: `${m}-${String(d).padStart(2, '0')}`,
        runAt: `${m}-${String(d).padStart(2, '0')}T02:00:00Z`,
      });
  }
  return out;
}

/**
 * History as in production: the messages recorded up to each night, then the night. Returns the
 * settlement (its cache warm, as in a long-running worker) and an ingestor for what comes next.
 * Messages are handed on and dropped from the array as they are ingested (a national-size run
 * keeps only what has not arrived yet).
 */
export async function buildHistory(
  store: EventStore,
  messages: InboundMessage[],
  nights: Night[],
  label: string,
): Promise<{ settlement: NightlySettlement; ingestUpTo: (instant: string) => Promise<void> }> {
  const ingestor = new Ingestor(store, ctx, logger);
  const settlement = new NightlySettlement(store, ctx, rulesVersion, logger);
  let next = 0;
  const ingestUpTo = async (instant: string) => {
    const until = Date.parse(instant);
    const from = next;
    while (next < messages.length && Date.parse(messages[next]!.recordedAt) <= until) next++;
    for (let i = from; i < next; i += 5000) await ingestor.ingestBatch(messages.slice(i, Math.min(next, i + 5000)));
  };
  for (const [i, night] of nights.entries()) {
    await ingestUpTo(night.runAt);
    await settlement.runNightly(night);
    if ((i + 1) % Math.max(1, Math.floor(nights.length / 8)) === 0)
      process.stderr.write(`  ${label}: history night ${i + 1}/${nights.length}\n`);
  }
  return { settlement, ingestUpTo };
}

async function ingestAll(store: EventStore, messages: InboundMessage[]): Promise<number> {
  const ingestor = new Ingestor(store, ctx, logger);
  const started = performance.now();
  for (let i = 0; i < messages.length; i += 5000) await ingestor.ingestBatch(messages.slice(i, i + 5000));
  return (performance.now() - started) / 1000;
}

export interface IngestResult {
  /** Statements of the ingest phase (the first BENCH_INGEST_HOUSEHOLDS households'). */
  statements: number;
  ingestSeconds: number;
}

/** Ingest throughput: every message into a fresh store, in arrival order; the store is dropped after. */
export async function benchIngest(target: StoreTarget, messages: InboundMessage[]): Promise<IngestResult> {
  const statements = messages.filter((m) => m.kind === 'statement').length;
  const store = await target.create('ingest');
  const ingestSeconds = await ingestAll(store, messages);
  await store.close();
  await target.drop('ingest'); // its disk space, before the history's store takes more (national sizes)
  process.stderr.write(`  ${target.kind}: ingested ${statements} statements in ${ingestSeconds.toFixed(1)} s\n`);
  return { statements, ingestSeconds };
}

/** Where the histories of PostgreSQL's stores are built: in SQLite files copied in (`store copy`), or in PostgreSQL. */
export type HistoryVia = 'sqlite' | 'postgres';

export interface MeasuredNight {
  households: number;
  nightSeconds: number;
  monthsSettled: number;
}

/**
 * The measured night on the store `name` (its history in it, closed: histories.ts), which settles the
 * month after `months` of history for every household, cold and in one process: the store opened
 * again and a new settlement (no cache from the history), as in a fresh worker. Leaves it closed.
 */
export async function benchNight(target: StoreTarget, name: string, months: number): Promise<MeasuredNight> {
  const store = await target.open(name);
  const settlement = new NightlySettlement(store, ctx, rulesVersion, logger);
  const t = performance.now();
  const summary = await settlement.runNightly(settlementNightAfter(months));
  const nightSeconds = (performance.now() - t) / 1000;
  process.stderr.write(
    `  ${target.kind} ${name}: nightly run after ${months} month(s) of history, ` +
      `${summary.households} households in ${nightSeconds.toFixed(1)} s\n`,
  );
  await store.close();
  return { households: summary.households, nightSeconds, monthsSettled: summary.monthsSettled };
}

export interface ReplayResult {
  replayP50: number;
  replayP95: number;
  replayCpuP50: number;
  replayCpuP95: number;
  replayHistoryMonths: number;
}

/** The replay set: households with five years of daily nights, as in production (built once per run: histories.ts). */
export async function buildReplaySet(store: EventStore, replayHouseholds: number, label: string): Promise<void> {
  const inputs = toMessages(
    generateHouseholds({ households: replayHouseholds, seed: 7, startMonth: START_MONTH, months: REPLAY_MONTHS }),
  );
  await buildHistory(store, inputs, settlementNights(START_MONTH, REPLAY_MONTHS, 'night'), label);
}

/** Replay on the store `replay` (the replay set in it, closed): each household replayed as of the end; then dropped. */
export async function benchReplay(target: StoreTarget): Promise<ReplayResult> {
  const replayStore = await target.open('replay');
  const asOf = `${addMonths(START_MONTH, REPLAY_MONTHS)}-01T00:00:00Z`;
  const replayIds = await new NightlySettlement(replayStore, ctx, rulesVersion, logger).listHouseholds();
  // Warm-up (not measured): the first replays in a process include compiling the code paths.
  for (const id of replayIds.slice(0, 5)) {
    const { stored, runs, rulesByVersion } = await loadStoredHousehold(replayStore, id);
    replayAsOf(stored, runs, asOf, ctx, { mode: 'then', byVersion: rulesByVersion });
  }
  const latencies: number[] = [];
  const cpuTimes: number[] = [];
  for (const id of replayIds) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { stored, runs, rulesByVersion } = await loadStoredHousehold(replayStore, id);
    const cmp = replayAsOf(stored, runs, asOf, ctx, { mode: 'then', byVersion: rulesByVersion });
    latencies.push(performance.now() - t0);
    // CPU time besides wall time: on a shared VM, stalls (page reclaim, neighbours) inflate the wall.
    const cpu = process.cpuUsage(cpu0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    if (!cmp.identical)
      throw new Error(`replay of ${id} is not identical: ${JSON.stringify(cmp.differences.slice(0, 3))}`);
  }
  await replayStore.close();
  await target.drop('replay');
  return {
    replayP50: percentile(latencies, 50),
    replayP95: percentile(latencies, 95),
    replayCpuP50: percentile(cpuTimes, 50),
    replayCpuP95: percentile(cpuTimes, 95),
    replayHistoryMonths: REPLAY_MONTHS,
  };
}
