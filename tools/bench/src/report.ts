import { cpus } from 'node:os';
import { table } from '@bijstand/terminal';
import type { IngestAndNight, ReplayResult } from './phases.js';
import type { ScaleOutResult } from './scaleOut.js';
import type { StoreTarget } from './stores.js';
import { WORKPLACE_TARGET_MS, type WorkplaceResult } from './workplace.js';

/** What `make bench` prints and writes above the kept analysis in BENCHMARKS.md. */

export interface StoreResult extends IngestAndNight, ReplayResult {
  target: StoreTarget;
  /** Months of history in the measured store (household-years = households × months / 12). */
  months: number;
  /** maxRSS of the bench process at the end of this store's phases (monotonic: includes earlier phases). */
  peakRssMiB: number;
  /** The workplace on the measured store; null for the in-memory store. */
  workplace: WorkplaceResult | null;
}

export interface BenchRun {
  households: number;
  memoryHouseholds: number;
  ingestHouseholds: number;
  months: number;
  replayHouseholds: number;
  results: StoreResult[];
  /** One per store with a scale-out, or the sentence why it was not measured. */
  scaleOuts: Array<ScaleOutResult | string>;
  peakRssMiB: number;
}

/** The issue's targets (2 cores). */
export const TARGETS = {
  ingestPerSecond: { memory: 20_000, sqlite: 20_000, postgres: 10_000 },
  nightly100kSeconds: 60,
  replayP95Ms: 50,
  kibPerHouseholdYear: 20,
  nationalHouseholds: 400_000,
  nationalTwoWorkersSeconds: 240,
  workerPeakRssMiB: 1024,
} as const;

/** A latency in ms, or — where it was not measured. */
const ms = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(1));
const ingestRate = (r: StoreResult) => Math.round(r.statements / r.ingestSeconds);
const per100k = (r: StoreResult) => (r.nightSeconds / r.households) * 100_000;
const kibPerHouseholdYear = (r: StoreResult) =>
  r.size === null ? null : r.size.bytes / 1024 / ((r.households * r.months) / 12);
const metOrMissed = (value: number, target: number, atMost: boolean, unit: string, digits = 0) =>
  (atMost ? value <= target : value >= target) ? 'met' : `missed by ${Math.abs(value - target).toFixed(digits)}${unit}`;

export function storeTable(results: StoreResult[]): string {
  return table([
    [
      'store',
      'statements',
      'ingest (statements/s)',
      'households',
      'nightly run (households/s)',
      '100k households (s, extrapolated)',
      `replay p50 / p95 (ms, ${results[0]?.replayHistoryMonths ?? 60} months)`,
      'replay CPU p50 / p95 (ms)',
      'store on disk (MiB)',
      'KiB per household-year',
      'peak RSS so far (MiB)',
    ],
    ...results.map((r) => {
      const kib = kibPerHouseholdYear(r);
      return [
        r.target.label,
        String(r.statements),
        String(ingestRate(r)),
        String(r.households),
        String(Math.round(r.households / r.nightSeconds)),
        per100k(r).toFixed(0),
        `${ms(r.replayP50)} / ${ms(r.replayP95)}`,
        `${ms(r.replayCpuP50)} / ${ms(r.replayCpuP95)}`,
        r.size === null ? '—' : (r.size.bytes / 1048576).toFixed(1),
        kib === null ? '—' : kib.toFixed(1),
        String(r.peakRssMiB),
      ];
    }),
  ]);
}

/** The workplace's table (issue #22): its start, and the first pages of the inbox and the household list. */
export function workplaceTable(results: StoreResult[]): string {
  const rows = results.filter((r) => r.workplace !== null);
  if (rows.length === 0) return '';
  return table([
    [
      'store',
      'households',
      'alerts',
      'workplace ready (s)',
      '/inbox first page p50 / p95 (ms)',
      '/inbox page (KiB)',
      '/households first page p50 / p95 (ms)',
    ],
    ...rows.map((r) => {
      const w = r.workplace!;
      return [
        r.target.label,
        String(r.households),
        String(w.alerts),
        w.startSeconds.toFixed(1),
        `${ms(w.inboxP50)} / ${ms(w.inboxP95)}`,
        w.inboxKiB.toFixed(0),
        `${ms(w.householdsP50)} / ${ms(w.householdsP95)}`,
      ];
    }),
  ]);
}

function scaleOutText(s: ScaleOutResult | string): string {
  if (typeof s === 'string') return s;
  const peak = (r: ScaleOutResult['rows'][number]) => r.peaksMiB.map((p) => (p === null ? '?' : String(p))).join(' / ');
  const rows = [
    ['worker processes', 'households', 'wall time (s)', 'households/s', 'peak RSS per worker (MiB)'],
    ...s.rows.map((r) => [
      String(r.workers),
      String(r.households),
      r.seconds.toFixed(1),
      String(Math.round(r.households / r.seconds)),
      peak(r),
    ]),
  ];
  const one = s.rows.find((r) => r.workers === 1);
  const two = s.rows.find((r) => r.workers === 2);
  const speedUp =
    one && two
      ? `\n\nSpeed-up with 2 processes: ${(one.seconds / two.seconds).toFixed(2)}× on ${cpus().length} cores.`
      : '';
  return `Scale-out of one nightly run over BullMQ workers on ${s.target.label} (real Redis, the store shared by the worker processes, each measurement on its own copy of the store, 4 jobs in flight per process):\n\n\`\`\`\n${table(rows)}\n\`\`\`${speedUp}`;
}

function targetLines(run: BenchRun): string[] {
  const lines = run.results.map((r) => {
    const ingest = ingestRate(r);
    const ingestTarget = TARGETS.ingestPerSecond[r.target.kind];
    const kib = kibPerHouseholdYear(r);
    const parts = [
      `ingest ${ingest} statements/s (target ≥ ${ingestTarget}: ${metOrMissed(ingest, ingestTarget, false, '/s')})`,
      `nightly run for 100,000 households ≈ ${per100k(r).toFixed(0)} s in one process (target ≤ ${TARGETS.nightly100kSeconds} s: ${metOrMissed(per100k(r), TARGETS.nightly100kSeconds, true, ' s')})`,
      Number.isNaN(r.replayP95)
        ? 'replay not measured in this run (BENCH_REPLAY_HOUSEHOLDS=0)'
        : `replay p95 ${r.replayP95.toFixed(1)} ms wall, ${r.replayCpuP95.toFixed(1)} ms CPU (target ≤ ${TARGETS.replayP95Ms} ms: ${metOrMissed(r.replayP95, TARGETS.replayP95Ms, true, ' ms', 1)} on the wall clock)`,
    ];
    if (kib !== null && r.size)
      parts.push(
        `${kib.toFixed(1)} KiB per household-year, ${r.size.how} (target ≤ ${TARGETS.kibPerHouseholdYear}: ${metOrMissed(kib, TARGETS.kibPerHouseholdYear, true, ' KiB', 1)})`,
      );
    if (r.workplace) {
      const inbox = r.workplace.inboxP50;
      const target = `≤ ${WORKPLACE_TARGET_MS} ms: ${metOrMissed(inbox, WORKPLACE_TARGET_MS, true, ' ms', 1)}`;
      parts.push(`workplace /inbox first page ${inbox.toFixed(1)} ms, median of 20 (target ${target})`);
    }
    return `- ${r.target.label}: ${parts.join('; ')}`;
  });
  for (const s of run.scaleOuts) {
    if (typeof s === 'string' || s.target.kind !== 'postgres') continue;
    const two = s.rows.find((r) => r.workers === 2);
    if (!two) continue;
    const peaks = s.rows.flatMap((r) => r.peaksMiB).filter((p): p is number => p !== null);
    const worstPeak = peaks.length > 0 ? Math.max(...peaks) : null;
    // The generated households, not those settled: a few synthetic BSNs repeat (random numbers that pass
    // the elfproef), and one person, one open case refuses the second opening, as it should.
    const refused = run.households - two.households;
    const night =
      run.households >= TARGETS.nationalHouseholds
        ? `${run.households} households generated, ${two.households} with a case${refused > 0 ? ` (${refused} openings refused: a synthetic BSN drawn twice, one person one open case)` : ''}, settled in ${two.seconds.toFixed(0)} s (target ≤ ${TARGETS.nationalTwoWorkersSeconds} s: ${metOrMissed(two.seconds, TARGETS.nationalTwoWorkersSeconds, true, ' s')})`
        : `not measured at ${TARGETS.nationalHouseholds} households (this run: ${two.households} in ${two.seconds.toFixed(1)} s, linearly ≈ ${((two.seconds / two.households) * TARGETS.nationalHouseholds).toFixed(0)} s, an estimate only: the target counts a measured run, BENCH_HOUSEHOLDS=${TARGETS.nationalHouseholds})`;
    const rss =
      worstPeak === null
        ? 'peak RSS per worker not known'
        : `peak RSS per worker ${worstPeak} MiB (target ≤ ${TARGETS.workerPeakRssMiB}: ${metOrMissed(worstPeak, TARGETS.workerPeakRssMiB, true, ' MiB')})`;
    lines.push(`- ${s.target.label}, nightly run with two worker processes: ${night}; ${rss}`);
  }
  return lines;
}

export function benchMarkdown(run: BenchRun, tableText: string): string {
  const sizes = run.results
    .map((r) => `${r.target.label}: ${r.target.kind === 'memory' ? run.memoryHouseholds : run.households}`)
    .join(', ');
  return `# Benchmarks

Measured by \`make bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}.
Synthetic households (${sizes}; seed 42; ~70% without earnings, 20% monthly, 7% four-weekly, 3% weekly pay,
5% of statements corrected) over ${run.months} months; replay on ${run.replayHouseholds} households with 60 months of history.
The nightly run measured is the one that settles one new month for every household (the 1st of the month after the
history); its history nights ran on the 1st and the 25th of each month. The replay set's history ran every night, as in
production; replay runs in one process (the recorded nights are read once), after 5 unmeasured households.
${run.ingestHouseholds < run.households ? `The ingest phase ran on the first ${run.ingestHouseholds} households only (BENCH_INGEST_HOUSEHOLDS); its statements are the table's.\n` : ''}${process.env.BENCH_HISTORY_VIA === 'sqlite' ? "PostgreSQL's history was built in a SQLite file and copied in (`store copy`, BENCH_HISTORY_VIA=sqlite); its ingest phase and every night measured ran on PostgreSQL itself, the measured night cold.\n" : ''}KiB per household-year: the measured store (history and the measured night) over households × months / 12 (with
few months the per-household parts, snapshot, streams and case events, weigh more: compare sizes at 12 months).
PostgreSQL runs in a throw-away cluster the bench starts (fsync on, synchronous_commit off), on the same machine.

\`\`\`
${tableText}
\`\`\`

Peak RSS of the whole benchmark process: ${run.peakRssMiB} MiB (every store and replay set in one process).
${workplaceText(run.results)}
Against the targets (${cpus().length} cores):
${targetLines(run).join('\n')}

${run.scaleOuts.map(scaleOutText).join('\n\n')}
`;
}

function workplaceText(results: StoreResult[]): string {
  const text = workplaceTable(results);
  if (!text) return '';
  return `
The workplace on the measured store (\`cli serve\`'s fastify app, in process, as a consultant; each first page
asked 20 times in a row; "ready": opening the store and reading it into the workplace's read model):

\`\`\`
${text}
\`\`\`
`;
}
