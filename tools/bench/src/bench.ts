import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@bijstand/event-store';
import type { InboundMessage } from '@bijstand/ingest';
import { generateHouseholds } from '@bijstand/synthetic';
import { headlineTable, SCALEOUT_OFF } from './headline.js';
import {
  benchIngest,
  benchNight,
  benchReplay,
  buildReplaySet,
  repoRoot,
  rssMiB,
  settlementNightAfter,
  START_MONTH,
  toMessages,
  type HistoryVia,
  type MeasuredNight,
  type ReplayResult,
} from './phases.js';
import { HistoryFiles, historyOf, prepareStore, type HistorySource } from './histories.js';
import { postgresTarget } from './postgres.js';
import { benchMarkdown, sizeBreakdowns, storeTable, workplaceTable } from './report.js';
import type { StoreResult } from './results.js';
import { scaleOut, type ScaleOutResult } from './scaleOut.js';
import { memoryTarget, sqliteTarget, type StoreTarget } from './stores.js';
import { benchWorkplace } from './workplace.js';

/**
 * `make bench`: issue #26's table for the stores BENCH_STORES names (sqlite, postgres, memory; default
 * sqlite,postgres: memory only when named), side by side, then the detailed tables. Reports medians and
 * percentiles, never asserts a timing. Sizes come from the environment so a quick run and a national-size
 * run use the same code: BENCH_HOUSEHOLDS (default 20000), BENCH_MONTHS (12), BENCH_REPLAY_HOUSEHOLDS (100),
 * BENCH_MEMORY_HOUSEHOLDS (5000, the in-memory store's cap), BENCH_INGEST_HOUSEHOLDS (5000: the ingest
 * phase on the first N households only), BENCH_RATIO=0 (no 1-month store for the ratio), BENCH_SCALEOUT=0
 * (no scale-out), BENCH_SCALEOUT_WORKERS (1,2), BENCH_WORKPLACE=0 (no workplace phase), BENCH_HISTORY_VIA
 * (sqlite, the default: PostgreSQL's histories built in SQLite and copied in, since ingest is measured on
 * its own; postgres: built in PostgreSQL itself). PostgreSQL runs in a throw-away cluster the bench starts
 * and removes (postgres.ts).
 */

/** BENCH_REPLAY_HOUSEHOLDS=0: no replay phase (a national run's time); the table says so. */
const NO_REPLAY = {
  replayP50: Number.NaN,
  replayP95: Number.NaN,
  replayCpuP50: Number.NaN,
  replayCpuP95: Number.NaN,
  replayHistoryMonths: 60,
};

const ANALYSIS_MARKER = '<!-- analysis: kept as it is by make bench -->';
const KINDS = ['sqlite', 'postgres', 'memory'] as const;
type Kind = (typeof KINDS)[number];

/** A BENCH_* variable the bench cannot use: the run stops before it starts (exit 2, as a usage error). */
export class BenchSettingError extends Error {
  override name = 'BenchSettingError';
}

export class UnknownBenchStoreError extends BenchSettingError {
  constructor(readonly given: string) {
    super(`BENCH_STORES: unknown store '${given}' (known: ${KINDS.join(', ')})`);
    this.name = 'UnknownBenchStoreError';
  }
}

function storesFromEnv(): Kind[] {
  const given = (process.env.BENCH_STORES ?? 'sqlite,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of given) if (!(KINDS as readonly string[]).includes(s)) throw new UnknownBenchStoreError(s);
  return given as Kind[];
}

/** A whole number from the environment (its default when unset); anything else stops the bench naming the variable. */
function benchCount(name: string, fallback: number, least: number): number {
  const given = process.env[name];
  if (given === undefined || given === '') return fallback;
  const n = Number(given);
  if (!Number.isInteger(n) || n < least)
    throw new BenchSettingError(`${name}: '${given}' is not a whole number of at least ${least}`);
  return n;
}

const HISTORY_VIA: readonly HistoryVia[] = ['sqlite', 'postgres'];

function historyViaFromEnv(): HistoryVia {
  const given = process.env.BENCH_HISTORY_VIA || 'sqlite';
  if (!(HISTORY_VIA as readonly string[]).includes(given))
    throw new BenchSettingError(`BENCH_HISTORY_VIA: '${given}' is not one of ${HISTORY_VIA.join(', ')}`);
  return given as HistoryVia;
}

const targetOf = (kind: Kind): Promise<StoreTarget> =>
  kind === 'postgres' ? postgresTarget() : Promise.resolve(kind === 'sqlite' ? sqliteTarget() : memoryTarget());

export async function runBench(): Promise<void> {
  const households = benchCount('BENCH_HOUSEHOLDS', 20000, 1);
  const months = benchCount('BENCH_MONTHS', 12, 1);
  const replayHouseholds = benchCount('BENCH_REPLAY_HOUSEHOLDS', 100, 0);
  const withScaleOut = process.env.BENCH_SCALEOUT !== '0';
  // BENCH_WORKPLACE=0: no workplace phase (a national run: its read model would read every event of the store first).
  const withWorkplace = process.env.BENCH_WORKPLACE !== '0';
  const stores = storesFromEnv();
  // The in-memory store keeps every event (with its explanation) in the heap: it is for tests, and at
  // national sizes it does not fit; it runs at a capped size (the table says which).
  const memoryHouseholds = Math.min(households, benchCount('BENCH_MEMORY_HOUSEHOLDS', 5000, 1));
  // The ingest rate is a rate: 5,000 households' statements (~27,000) measure it; all of them would add minutes.
  const ingestHouseholds = Math.min(households, benchCount('BENCH_INGEST_HOUSEHOLDS', 5000, 1));
  // The ratio's 1-month store: BENCH_RATIO=0 skips it (a national run's time); with 1 month it is the measured store.
  const ratioSkipped =
    process.env.BENCH_RATIO === '0' ? 'BENCH_RATIO=0' : months === 1 ? 'BENCH_MONTHS=1: no longer history' : null;
  const historyVia = historyViaFromEnv();
  process.stderr.write(
    `bench: ${households} households × ${months} months; replay ${replayHouseholds} households × 60 months; ` +
      `stores ${stores.join(', ')}\n`,
  );

  const results: StoreResult[] = [];
  const scaleOuts: Array<ScaleOutResult | string> = [];
  // Histories and the replay set, built once in SQLite files for every store that takes them from there.
  const files = new HistoryFiles();
  const fromFiles = (kind: Kind) => kind === 'sqlite' || (kind === 'postgres' && historyVia === 'sqlite');
  const lastFileUser = stores.map(fromFiles).lastIndexOf(true);
  try {
    for (const [i, kind] of stores.entries()) {
      const target = await targetOf(kind);
      try {
        results.push(await benchStore(target, kind === 'memory' ? memoryHouseholds : households, i === lastFileUser));
      } finally {
        await target.close();
      }
    }
  } finally {
    files.close();
  }

  /** Every phase on one store; its population of `size` households generated only where a history is built. */
  async function benchStore(target: StoreTarget, size: number, lastFileUser: boolean): Promise<StoreResult> {
    const kind = target.kind;
    let population: InboundMessage[] | null = null;
    const generated = (n: number) =>
      toMessages(generateHouseholds({ households: n, seed: 42, startMonth: START_MONTH, months }));
    const messages = () => (population ??= generated(size));
    const source = async (key: string, build: (store: EventStore) => Promise<void>): Promise<HistorySource> =>
      fromFiles(kind) ? { file: await files.file(key, build) } : { build };
    // The last store that takes a file frees it once it has its copy: disk space for the measurements (GiBs).
    const prepare = async (name: string, key: string, build: (store: EventStore) => Promise<void>) => {
      await prepareStore(target, name, await source(key, build), `${kind} ${name}`);
      if (lastFileUser) files.release(key);
    };
    // The generator's first households are the same whatever the count: the ingest phase's are the population's.
    const ingest = await benchIngest(target, ingestHouseholds >= size ? messages() : generated(ingestHouseholds));
    // The 1-month night on a store of its own (only 1 month of history in it): two nights and the measured one.
    let oneMonth: MeasuredNight | string = ratioSkipped ?? '';
    if (ratioSkipped === null) {
      await prepare('month1', 'history-1', historyOf(messages, 1, `${kind} history of 1 month`));
      oneMonth = await benchNight(target, 'month1', 1);
      await target.drop('month1');
    }
    await prepare('main', `history-${months}`, historyOf(messages, months, `${kind} history of ${months} months`));
    population = null; // a national run holds every generated message until here
    const night = await benchNight(target, 'main', months);
    const sizeOnDisk = await target.size('main');
    const breakdown = await target.breakdown('main');
    // The workplace reads the measured store as a `cli serve` process would.
    const workplace = kind === 'memory' || !withWorkplace ? null : await benchWorkplace(target, 'main');
    // The scale-out's night is the settlement after the measured one, on copies of the measured store.
    if (withScaleOut && kind !== 'memory')
      scaleOuts.push(await scaleOut(target, 'main', settlementNightAfter(months + 1)));
    await target.drop('main');
    // Its own phase: the big run's store, cache and messages are garbage by now, as in a `cli replay` process.
    let replay: ReplayResult = NO_REPLAY;
    if (replayHouseholds > 0) {
      await prepare('replay', 'replay', (store) => buildReplaySet(store, replayHouseholds, `${kind} replay set`));
      replay = await benchReplay(target);
    }
    return {
      target,
      months,
      ...ingest,
      ...night,
      oneMonth,
      size: sizeOnDisk,
      breakdown,
      ...replay,
      workplace,
      peakRssMiB: rssMiB(),
    };
  }
  if (!withScaleOut) scaleOuts.push(SCALEOUT_OFF);

  const headline = headlineTable({ households, months, results, scaleOuts });
  const text = storeTable(results);
  const peakRssMiB = rssMiB();
  process.stdout.write(`${headline}\n\n${text}\npeak RSS of the whole run: ${peakRssMiB} MiB\n`);
  const workplace = workplaceTable(results);
  if (workplace) process.stdout.write(`\n${workplace}\n`);
  const run = {
    households,
    memoryHouseholds,
    ingestHouseholds,
    months,
    replayHouseholds,
    historyVia,
    results,
    scaleOuts,
    peakRssMiB,
  };
  const breakdowns = sizeBreakdowns(run);
  if (breakdowns) process.stdout.write(`\n${breakdowns}\n`);
  const md = benchMarkdown(run, text);
  // The analysis below the marker is written by people, not measured: a new run keeps it.
  const path = join(repoRoot, 'BENCHMARKS.md');
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const kept = previous.includes(ANALYSIS_MARKER)
    ? previous.slice(previous.indexOf(ANALYSIS_MARKER))
    : `${ANALYSIS_MARKER}\n`;
  writeFileSync(path, `${md}\n${kept}`);
  process.stderr.write('bench: wrote BENCHMARKS.md\n');
}
