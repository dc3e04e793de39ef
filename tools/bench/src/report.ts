import { cpus } from 'node:os';
import { table } from '@bijstand/terminal';
import { headlineTable, householdsPerSecond, kibPerHouseholdYear, num } from './headline.js';
import type { ScaleOutResult } from './scaleOut.js';
import { sizeBreakdownText } from './sizeReport.js';
import type { StoreResult } from './results.js';
import { WORKPLACE_TARGET_MS } from './workplace.js';

/** What `make bench` prints and writes above the kept analysis in BENCHMARKS.md. */

export interface BenchRun {
  households: number;
  memoryHouseholds: number;
  ingestHouseholds: number;
  months: number;
  replayHouseholds: number;
  /** Where PostgreSQL's histories were built ('sqlite': in a SQLite file, copied in). */
  historyVia: string;
  results: StoreResult[];
  /** One per store with a scale-out, or the sentence why it was not measured. */
  scaleOuts: Array<ScaleOutResult | string>;
  peakRssMiB: number;
}

/** A latency in ms, or — where it was not measured. */
const ms = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(1));
const ingestRate = (r: StoreResult) => Math.round(r.statements / r.ingestSeconds);
const per100k = (r: StoreResult) => (r.nightSeconds / r.households) * 100_000;

export function storeTable(results: StoreResult[]): string {
  return table([
    [
      'store',
      'statements',
      'ingest (statements/s)',
      'households',
      `nightly run (households/s, ${results[0]?.months ?? 12} months)`,
      'after 1 month (households/s)',
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
        String(Math.round(householdsPerSecond(r))),
        typeof r.oneMonth === 'string' ? '—' : String(Math.round(householdsPerSecond(r.oneMonth))),
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

/** Each measured store's size breakdown (what its KiB per household-year is made of). */
export function sizeBreakdowns(run: BenchRun): string {
  return run.results
    .filter((r) => r.breakdown !== null)
    .map((r) => sizeBreakdownText(r.target.label, r.breakdown!, (r.households * r.months) / 12))
    .join('\n\n');
}

export function benchMarkdown(run: BenchRun, tableText: string): string {
  const sizes = run.results
    .map((r) => `${r.target.label}: ${num(r.target.kind === 'memory' ? run.memoryHouseholds : run.households)}`)
    .join(', ');
  const viaSqlite = run.historyVia === 'sqlite' && run.results.some((r) => r.target.kind === 'postgres');
  const ingestNote =
    run.ingestHouseholds < run.households
      ? `The ingest phase ran on the first ${num(run.ingestHouseholds)} households only (BENCH_INGEST_HOUSEHOLDS, ` +
        `default 5,000); its statements are the table's.\n`
      : '';
  const viaNote = viaSqlite
    ? 'The histories and the replay set were built once, in SQLite files: SQLite measured on a copy of the file, ' +
      'PostgreSQL on a `store copy` of it (the default; BENCH_HISTORY_VIA=postgres builds them in PostgreSQL); ' +
      "PostgreSQL's ingest phase and every night and replay measured ran on PostgreSQL itself.\n"
    : '';
  const breakdowns = sizeBreakdowns(run);
  const sizeText = breakdowns
    ? `\nWhat the size is made of (KiB per household-year, the measured store):\n\n${breakdowns}\n`
    : '';
  return `# Benchmarks

Measured by \`make bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}.
Issue #26's targets: one row per target, one column per store, each cell the figure and met / missed by how much.

${headlineTable(run)}

Synthetic households (${sizes}; seed 42; ~70% without earnings, 20% monthly, 7% four-weekly, 3% weekly pay,
5% of statements corrected) over ${run.months} months; replay on ${run.replayHouseholds} households with 60 months of
history.
The nightly run measured is the one that settles one new month for every household (the 1st of the month after the
history), cold in one process: the store opened again and a new settlement, as in a fresh worker. Its history nights
ran on the 1st and the 25th of each month. The ratio's 1-month night ran the same way on a store of its own, built from
the same generated households with only their first month of history. The replay set's history ran every night, as in
production; replay runs in one process (the recorded nights are read once), after 5 unmeasured households.
${ingestNote}${viaNote}KiB per household-year: the measured store (history and the measured night) over households ×
months / 12 (with few months the per-household parts, snapshot, streams and case events, weigh more: compare sizes at
12 months).
PostgreSQL runs in a throw-away cluster the bench starts (fsync on, synchronous_commit off), on the same machine.

\`\`\`
${tableText}
\`\`\`

Peak RSS of the whole benchmark process: ${run.peakRssMiB} MiB (every store and replay set in one process).
${workplaceText(run.results)}${sizeText}
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
