import type { MeasuredNight } from './phases.js';
import type { StoreResult } from './results.js';
import type { ScaleOutResult } from './scaleOut.js';

/**
 * Issue #26's table: one row per target, one column per store, each cell the figure and whether it met
 * the target or by how much it missed. What a row cannot show in this run says so, and how to measure it.
 */

/** The issue's targets (2 cores). */
export const TARGETS = {
  ingestPerSecond: { memory: 20_000, sqlite: 20_000, postgres: 10_000 },
  /** Nightly households/s at 12 months of history ÷ at 1 month, the same population: at least. */
  nightlyRatio: 0.9,
  nationalHouseholds: 400_000,
  nationalMonths: 3,
  nationalTwoWorkersSeconds: 240,
  replayP95Ms: 30,
  kibPerHouseholdYear: { sqlite: 15, postgres: 20 },
  workerPeakRssMiB: 1024,
} as const;

/** The national night's run: PostgreSQL alone, what it does not measure skipped (a 34-minute run at 20,000 already). */
export const NATIONAL_COMMAND =
  'NODE_OPTIONS=--max-old-space-size=8192 BENCH_HOUSEHOLDS=400000 BENCH_MONTHS=3 BENCH_STORES=postgres ' +
  'BENCH_INGEST_HOUSEHOLDS=2000 BENCH_RATIO=0 BENCH_REPLAY_HOUSEHOLDS=0 BENCH_WORKPLACE=0 ' +
  'BENCH_SCALEOUT_WORKERS=2 make bench';

const KIND_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL', memory: 'in-memory' } as const;

/** The scale-out's sentence when BENCH_SCALEOUT=0. */
export const SCALEOUT_OFF = 'Scale-out not measured (BENCH_SCALEOUT=0).';

export interface HeadlineRun {
  households: number;
  months: number;
  results: StoreResult[];
  scaleOuts: Array<ScaleOutResult | string>;
}

/** 12345.6 → "12,346"; digits after the point where asked. */
export const num = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** "met", or "missed by" the distance to the target in the figure's unit. */
export function verdict(value: number, target: number, atMost: boolean, unit: string, digits = 0): string {
  const met = atMost ? value <= target : value >= target;
  return met ? 'met' : `missed by ${num(Math.abs(value - target), digits)}${unit}`;
}

export const householdsPerSecond = (n: MeasuredNight) => n.households / n.nightSeconds;

/** Households/s after `months` of history ÷ after 1 month; null where the 1-month night was not measured. */
export function nightlyRatio(r: StoreResult): number | null {
  return typeof r.oneMonth === 'string' ? null : householdsPerSecond(r) / householdsPerSecond(r.oneMonth);
}

export const kibPerHouseholdYear = (r: StoreResult) =>
  r.size === null ? null : r.size.bytes / 1024 / ((r.households * r.months) / 12);

const scaleOutOf = (run: HeadlineRun, r: StoreResult) =>
  run.scaleOuts.find((s) => typeof s !== 'string' && s.target === r.target) as ScaleOutResult | undefined;

function ingestCell(r: StoreResult): string {
  const rate = r.statements / r.ingestSeconds;
  const target = TARGETS.ingestPerSecond[r.target.kind];
  return `${num(rate)} statements/s: ${verdict(Math.round(rate), target, false, '/s')}`;
}

function nightlyCell(r: StoreResult): string {
  return `${num(householdsPerSecond(r))} households/s (${num(r.households)} in ${num(r.nightSeconds, 1)} s)`;
}

function ratioCell(r: StoreResult): string {
  const ratio = nightlyRatio(r);
  if (ratio === null || typeof r.oneMonth === 'string') return `not measured in this run (${r.oneMonth as string})`;
  const figures = `${num(householdsPerSecond(r))} ÷ ${num(householdsPerSecond(r.oneMonth))} households/s`;
  return `${num(ratio, 2)} (${figures}): ${verdict(ratio, TARGETS.nightlyRatio, false, '', 2)}`;
}

function nationalCell(run: HeadlineRun, r: StoreResult): string {
  if (r.target.kind !== 'postgres') return '— (PostgreSQL only)';
  const settings = `BENCH_HOUSEHOLDS=${TARGETS.nationalHouseholds} BENCH_MONTHS=${TARGETS.nationalMonths}`;
  const notMeasured = `not measured in this run (${settings} …: the command below)`;
  const scale = scaleOutOf(run, r);
  const two = scale?.rows.find((row) => row.workers === 2);
  if (run.households < TARGETS.nationalHouseholds)
    return two
      ? `${notMeasured}; this run: ${num(two.households)} households in ${num(two.seconds, 1)} s`
      : notMeasured;
  if (!two) return `not measured in this run: no scale-out with 2 worker processes (BENCH_SCALEOUT_WORKERS=2)`;
  const history = `${run.months} month${run.months === 1 ? '' : 's'} of history`;
  const figure = `${num(two.seconds, 1)} s (${num(two.households)} households with a case, ${history})`;
  if (run.months < TARGETS.nationalMonths)
    return `${figure}: does not count, the target asks ≥ ${TARGETS.nationalMonths} months of history`;
  return `${figure}: ${verdict(two.seconds, TARGETS.nationalTwoWorkersSeconds, true, ' s', 1)}`;
}

function replayCell(r: StoreResult): string {
  if (Number.isNaN(r.replayP95)) return 'not measured in this run (BENCH_REPLAY_HOUSEHOLDS=0)';
  const cpu = `${num(r.replayCpuP50, 1)} / ${num(r.replayCpuP95, 1)} ms`;
  const beside = `p50 ${num(r.replayP50, 1)} ms; CPU p50 / p95 ${cpu}`;
  return `${num(r.replayP95, 1)} ms (${beside}): ${verdict(r.replayP95, TARGETS.replayP95Ms, true, ' ms', 1)}`;
}

function sizeCell(r: StoreResult): string {
  const kib = kibPerHouseholdYear(r);
  if (kib === null || r.target.kind === 'memory') return '— (nothing on disk)';
  return `${num(kib, 1)} KiB: ${verdict(kib, TARGETS.kibPerHouseholdYear[r.target.kind], true, ' KiB', 1)}`;
}

function workerRssCell(run: HeadlineRun, r: StoreResult): string {
  if (r.target.kind === 'memory') return '— (no worker processes)';
  const scale = scaleOutOf(run, r);
  const peaks = scale?.rows.flatMap((row) => row.peaksMiB).filter((p): p is number => p !== null) ?? [];
  if (peaks.length === 0) {
    if (run.scaleOuts.includes(SCALEOUT_OFF)) return 'not measured in this run (BENCH_SCALEOUT=0)';
    const why = run.scaleOuts.find((s): s is string => typeof s === 'string' && s.includes(r.target.label));
    return `not measured in this run${why ? `: ${why}` : ''}`;
  }
  const worst = Math.max(...peaks);
  const of = `the largest of the scale-out's ${peaks.length} worker processes`;
  return `${num(worst)} MiB, ${of}: ${verdict(worst, TARGETS.workerPeakRssMiB, true, ' MiB')}`;
}

/** Issue #26's table (Markdown), then the national night's command where it was not measured. */
export function headlineTable(run: HeadlineRun): string {
  const stores = run.results;
  const row = (what: string, cell: (r: StoreResult) => string, target: string) =>
    `| ${what} | ${stores.map(cell).join(' | ')} | ${target} |`;
  const ingestTargets = stores.map(
    (r) => `≥ ${num(TARGETS.ingestPerSecond[r.target.kind])} ${KIND_NAME[r.target.kind]}`,
  );
  const sizeTargets = stores.flatMap((r) =>
    r.target.kind === 'memory' ? [] : [`≤ ${TARGETS.kibPerHouseholdYear[r.target.kind]} ${KIND_NAME[r.target.kind]}`],
  );
  const lines = [
    `| row | ${stores.map((r) => r.target.label).join(' | ')} | target |`,
    `|---|${stores.map(() => '---|').join('')}---|`,
    row('ingest, statements/s', ingestCell, ingestTargets.join(', ')),
    row(
      `nightly, households/s, one process, ${run.months} months of history (cold)`,
      nightlyCell,
      'none of its own (the ratio and the national night are its targets)',
    ),
    row(
      `nightly households/s at ${run.months} months of history ÷ at 1 month ` +
        `(the same ${num(run.households)} households)`,
      ratioCell,
      `≥ ${TARGETS.nightlyRatio}`,
    ),
    row(
      `national night: ${num(TARGETS.nationalHouseholds)} households, 2 worker processes, PostgreSQL`,
      (r) => nationalCell(run, r),
      `≤ ${TARGETS.nationalTwoWorkersSeconds} s with ≥ ${TARGETS.nationalMonths} months of history`,
    ),
    row('replay p95, 5 years of daily nights', replayCell, `≤ ${TARGETS.replayP95Ms} ms`),
    row(`KiB per household-year (${run.months} months)`, sizeCell, sizeTargets.join(', ') || '—'),
    row('worker peak RSS', (r) => workerRssCell(run, r), `≤ 1 GiB (${TARGETS.workerPeakRssMiB} MiB)`),
  ];
  const measured = stores.some((r) => r.target.kind === 'postgres') && run.households >= TARGETS.nationalHouseholds;
  if (!measured) lines.push('', `The national night: \`${NATIONAL_COMMAND}\``);
  return lines.join('\n');
}
