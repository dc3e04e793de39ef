import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { fork } from 'node:child_process';
import { redisAvailable, startRedis } from '@bijstand/testkit';
import { NightlyQueue } from '@bijstand/settlement';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMonths, daysInMonth, inputsInRecordingOrder, type Instant } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, loadMunicipalityConfig, rulesVersionOf } from '@bijstand/platform';
import { Ingestor, type InboundMessage } from '@bijstand/ingest';
import { NightlySettlement } from '@bijstand/settlement';
import { generateHouseholds, type RawInput } from './synthetic.js';
import { loadStoredHousehold, replayAsOf } from './replay.js';
import { table } from './table.js';

/**
 * `make bench`: throughput and latency on the embedded stores. Reports medians and percentiles, never
 * asserts a timing. Sizes come from the environment so a quick run and a national-size run use the
 * same code: BENCH_HOUSEHOLDS (default 20000), BENCH_MONTHS (12), BENCH_REPLAY_HOUSEHOLDS (100).
 */
const logger = createLogger('bench', { level: 'silent' });
const config = join(import.meta.dirname, '..', '..', '..', 'infra', 'config', 'demo-municipality.json');
const { ctx } = loadMunicipalityConfig(config);
const rulesVersion = rulesVersionOf(ctx.params, ctx.policy);

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const rssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** Peak resident memory of another process (Linux: VmHWM), or null where /proc is not there. */
const peakRssOfMiB = (pid: number | undefined): number | null => {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Math.round(Number(kib) / 1024) : null;
  } catch {
    return null;
  }
};

function toMessages(inputs: RawInput[]): InboundMessage[] {
  return inputsInRecordingOrder(inputs).map((i) => ({ kind: i.statement ? 'statement' : 'case', payload: JSON.stringify(i.statement ?? i.case), recordedAt: i.recordedAt as Instant, source: { type: 'inline', reference: 'bench' } }));
}

/**
 * The nights of the history: every night (as in production) or only the 1st (settlement) and the 25th
 * (payday), the two that change something for every household (enough to build a large store quickly).
 */
function settlementNights(startMonth: string, months: number, every: 'night' | 'settlement-and-payday'): Array<{ runDate: string; runAt: string }> {
  const out = [];
  for (let i = 0; i < months; i++) {
    const m = addMonths(startMonth, i);
    const days = every === 'night' ? Array.from({ length: daysInMonth(m) }, (_, d) => d + 1) : [1, 25];
    for (const d of days) out.push({ runDate: `${m}-${String(d).padStart(2, '0')}`, runAt: `${m}-${String(d).padStart(2, '0')}T02:00:00Z` });
  }
  return out;
}

const ANALYSIS_MARKER = '<!-- analysis: kept as it is by make bench -->';

/** Temporary directories of this run (several GiB at national sizes): removed when the bench ends. */
const benchDirs: string[] = [];
function benchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  benchDirs.push(dir);
  return dir;
}

let scaleOutSource: { path: string; night: { runDate: string; runAt: string }; households: number } | null = null;

/**
 * Scale-out: the same night (the next month's settlement) through BullMQ on a real Redis, with one
 * and with two worker processes, each on its own copy of the SQLite store, cold caches both times.
 */
async function scaleOut(): Promise<string> {
  if (!scaleOutSource || !redisAvailable()) return 'Scale-out not measured: no SQLite run or no redis-server on this machine.';
  const results: Array<{ workers: number; seconds: number; peakMiB: string }> = [];
  for (const workers of [1, 2]) {
    // A fresh Redis for each measurement: the run's progress hash must not carry over.
    const redis = await startRedis();
    try {
      const copy = scaleOutSource.path.replace('.sqlite', `-${workers}.sqlite`);
      copyFileSync(scaleOutSource.path, copy);
      const store = await openEventStore({ kind: 'sqlite', path: copy });
      const env = { ...process.env, REDIS_URL: redis.url, SQLITE_PATH: copy, MUNICIPALITY_CONFIG: config, LOG_LEVEL: 'silent', WORKER_CONCURRENCY: '4' };
      const children = await Promise.all(
        Array.from({ length: workers }, () => {
          const child = fork(join(import.meta.dirname, '..', '..', '..', 'services', 'settlement', 'src', 'workerMain.ts'), { execArgv: ['--import', 'tsx'], env, stdio: 'ignore' });
          return new Promise<typeof child>((resolve) => child.once('message', () => resolve(child)));
        }),
      );
      const queue = new NightlyQueue(redis.url, new NightlySettlement(store, ctx, rulesVersion, logger), logger);
      const runDate = `${scaleOutSource.night.runDate}`;
      const t = performance.now();
      await queue.enqueueRun(runDate, scaleOutSource.night.runAt);
      const summary = await queue.waitForRun(runDate, undefined, 50);
      const seconds = (performance.now() - t) / 1000;
      if (summary.failures.length > 0) throw new Error(`scale-out run failed for ${summary.failures.length} households`);
      const peaks = children.map((c) => peakRssOfMiB(c.pid));
      results.push({ workers, seconds, peakMiB: peaks.map((p) => (p === null ? '?' : String(p))).join(' / ') });
      process.stderr.write(`  scale-out: ${workers} worker process(es): ${summary.households} households in ${seconds.toFixed(1)} s\n`);
      for (const c of children) c.kill('SIGTERM');
      await queue.close();
      await store.close();
    } finally {
      await redis.stop();
    }
  }
  const [one, two] = results;
  const rows = [
    ['worker processes', 'households', 'wall time (s)', 'households/s', 'peak RSS per worker (MiB)'],
    ...results.map((r) => [String(r.workers), String(scaleOutSource!.households), r.seconds.toFixed(1), String(Math.round(scaleOutSource!.households / r.seconds)), r.peakMiB]),
  ];
  return `Scale-out of one nightly run over BullMQ workers (real Redis, SQLite store shared by the worker processes, 4 jobs in flight per process):\n\n\`\`\`\n${table(rows)}\n\`\`\`\n\nSpeed-up with 2 processes: ${(one!.seconds / two!.seconds).toFixed(2)}× on ${cpus().length} cores.`;
}

interface StoreResult {
  store: string;
  statements: number;
  ingestSeconds: number;
  households: number;
  nightSeconds: number;
  monthsSettled: number;
  replayP50: number;
  replayP95: number;
  replayCpuP50: number;
  replayCpuP95: number;
  replayHistoryMonths: number;
  diskMiB: number | null;
  /** maxRSS of the bench process at the end of this store's phase (monotonic: includes earlier phases). */
  peakRssMiB: number;
}

/**
 * History as in production: the messages recorded up to each night, then the night. Returns the
 * settlement (its cache warm, as in a long-running worker) and an ingestor for what comes next.
 */
async function buildHistory(store: EventStore, messages: InboundMessage[], nights: Array<{ runDate: string; runAt: string }>, label: string): Promise<{ settlement: NightlySettlement; ingestUpTo: (instant: string) => Promise<void> }> {
  const ingestor = new Ingestor(store, ctx, logger);
  const settlement = new NightlySettlement(store, ctx, rulesVersion, logger);
  let next = 0;
  for (const [i, night] of nights.entries()) {
    const until = Date.parse(night.runAt);
    const due: InboundMessage[] = [];
    while (next < messages.length && Date.parse(messages[next]!.recordedAt) <= until) due.push(messages[next++]!);
    await ingestor.ingestBatch(due);
    await settlement.runNightly(night);
    if ((i + 1) % Math.max(1, Math.floor(nights.length / 8)) === 0) process.stderr.write(`  ${label}: history night ${i + 1}/${nights.length}\n`);
  }
  const ingestUpTo = async (instant: string) => {
    const until = Date.parse(instant);
    const due: InboundMessage[] = [];
    while (next < messages.length && Date.parse(messages[next]!.recordedAt) <= until) due.push(messages[next++]!);
    await ingestor.ingestBatch(due);
  };
  return { settlement, ingestUpTo };
}

async function ingestAll(store: EventStore, messages: InboundMessage[]): Promise<number> {
  const ingestor = new Ingestor(store, ctx, logger);
  const started = performance.now();
  for (let i = 0; i < messages.length; i += 5000) await ingestor.ingestBatch(messages.slice(i, i + 5000));
  return (performance.now() - started) / 1000;
}

async function benchStore(kind: 'memory' | 'sqlite', households: number, months: number, replayHouseholds: number): Promise<StoreResult> {
  const nightly = await benchIngestAndNight(kind, households, months);
  // Its own function: the big run's store, cache and messages are garbage by now, as in a `cli replay` process.
  const replay = await benchReplay(kind, replayHouseholds);
  return { ...nightly, ...replay, peakRssMiB: rssMiB() };
}

async function benchIngestAndNight(kind: 'memory' | 'sqlite', households: number, months: number): Promise<Omit<StoreResult, 'replayP50' | 'replayP95' | 'replayCpuP50' | 'replayCpuP95' | 'replayHistoryMonths' | 'peakRssMiB'>> {
  const dir = benchDir('bench-');
  const path = join(dir, 'events.sqlite');
  const open = () => (kind === 'memory' ? openEventStore({ kind: 'memory' }) : openEventStore({ kind: 'sqlite', path }));
  const startMonth = '2027-01';

  // 1. Ingest throughput: every message into a fresh store, in arrival order.
  const messages = toMessages(generateHouseholds({ households, seed: 42, startMonth, months }));
  const statements = messages.filter((m) => m.kind === 'statement').length;
  const ingestStore = kind === 'memory' ? await openEventStore({ kind: 'memory' }) : await openEventStore({ kind: 'sqlite', path: join(dir, 'ingest.sqlite') });
  const ingestSeconds = await ingestAll(ingestStore, messages);
  await ingestStore.close();
  process.stderr.write(`  ${kind}: ingested ${statements} statements in ${ingestSeconds.toFixed(1)} s\n`);

  // 2. History as in production: messages arrive between the nights that settle and pay them (not
  // timed); then the measured night settles one new month for every household.
  const store = await open();
  const history = await buildHistory(store, messages, settlementNights(startMonth, months, 'settlement-and-payday'), kind);
  const settlement = history.settlement;
  const measured = { runDate: `${addMonths(startMonth, months)}-01`, runAt: `${addMonths(startMonth, months)}-01T02:00:00Z` };
  // What was recorded before the measured night (not later: a night decides on what it could know).
  await history.ingestUpTo(measured.runAt);
  const t = performance.now();
  const summary = await settlement.runNightly(measured);
  const nightSeconds = (performance.now() - t) / 1000;
  process.stderr.write(`  ${kind}: nightly run of ${summary.households} households in ${nightSeconds.toFixed(1)} s\n`);
  if (kind === 'sqlite') copyFileSync(path, join(dir, 'scaleout.sqlite'));
  if (kind === 'sqlite') scaleOutSource = { path: join(dir, 'scaleout.sqlite'), night: { runDate: `${addMonths(startMonth, months + 1)}-01`, runAt: `${addMonths(startMonth, months + 1)}-01T02:00:00Z` }, households: summary.households };
  const diskMiB = kind === 'sqlite' ? Math.round(((statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0)) / 1048576) * 10) / 10 : null;
  await store.close();

  return {
    store: kind === 'memory' ? 'in-memory' : 'SQLite (WAL)',
    statements,
    ingestSeconds,
    households: summary.households,
    nightSeconds,
    monthsSettled: summary.monthsSettled,
    diskMiB,
  };
}

/** Replay: households with five years of history, each replayed as of the end. */
async function benchReplay(kind: 'memory' | 'sqlite', replayHouseholds: number): Promise<Pick<StoreResult, 'replayP50' | 'replayP95' | 'replayCpuP50' | 'replayCpuP95' | 'replayHistoryMonths'>> {
  const dir = benchDir('bench-replay-');
  const startMonth = '2027-01';
  const replayStore = kind === 'memory' ? await openEventStore({ kind: 'memory' }) : await openEventStore({ kind: 'sqlite', path: join(dir, 'replay.sqlite') });
  const replayMonths = 60;
  const replaySettlement = (await buildHistory(replayStore, toMessages(generateHouseholds({ households: replayHouseholds, seed: 7, startMonth, months: replayMonths })), settlementNights(startMonth, replayMonths, 'night'), `${kind} replay set`)).settlement;
  const asOf = `${addMonths(startMonth, replayMonths)}-01T00:00:00Z`;
  const replayIds = await replaySettlement.listHouseholds();
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
    if (!cmp.identical) throw new Error(`replay of ${id} is not identical: ${JSON.stringify(cmp.differences.slice(0, 3))}`);
  }
  await replayStore.close();
  return { replayP50: percentile(latencies, 50), replayP95: percentile(latencies, 95), replayCpuP50: percentile(cpuTimes, 50), replayCpuP95: percentile(cpuTimes, 95), replayHistoryMonths: replayMonths };
}

export async function runBench(): Promise<void> {
  const households = Number(process.env.BENCH_HOUSEHOLDS ?? 20000);
  const months = Number(process.env.BENCH_MONTHS ?? 12);
  const replayHouseholds = Number(process.env.BENCH_REPLAY_HOUSEHOLDS ?? 100);
  const stores = (process.env.BENCH_STORES ?? 'sqlite,memory').split(',') as Array<'memory' | 'sqlite'>;
  process.stderr.write(`bench: ${households} households × ${months} months; replay ${replayHouseholds} households × 60 months; stores ${stores.join(', ')}\n`);
  const results: StoreResult[] = [];
  // The in-memory store keeps every event (with its explanation) in the heap: it is for tests, and at
  // national sizes it does not fit; it runs at a capped size (the table says which).
  const memoryHouseholds = Math.min(households, Number(process.env.BENCH_MEMORY_HOUSEHOLDS ?? 5000));
  for (const kind of stores) results.push(await benchStore(kind, kind === 'memory' ? memoryHouseholds : households, months, replayHouseholds));
  const scaleOutText = process.env.BENCH_SCALEOUT === '0' ? 'Scale-out not measured (BENCH_SCALEOUT=0).' : await scaleOut();
  const perNational = (r: StoreResult) => (r.nightSeconds / r.households) * 100_000;
  const rows = [
    ['store', 'statements', 'ingest (statements/s)', 'households', 'nightly run (households/s)', '100k households (s, extrapolated)', `replay p50 / p95 (ms, ${results[0]?.replayHistoryMonths ?? 60} months)`, 'replay CPU p50 / p95 (ms)', 'store on disk (MiB)', 'peak RSS so far (MiB)'],
    ...results.map((r) => [
      r.store,
      String(r.statements),
      String(Math.round(r.statements / r.ingestSeconds)),
      String(r.households),
      String(Math.round(r.households / r.nightSeconds)),
      perNational(r).toFixed(0),
      `${r.replayP50.toFixed(1)} / ${r.replayP95.toFixed(1)}`,
      `${r.replayCpuP50.toFixed(1)} / ${r.replayCpuP95.toFixed(1)}`,
      r.diskMiB === null ? '—' : String(r.diskMiB),
      String(r.peakRssMiB),
    ]),
  ];
  const text = table(rows);
  const peak = rssMiB();
  process.stdout.write(`${text}\npeak RSS of the whole run: ${peak} MiB\n`);
  const targets = results.map((r) => {
    const ingest = Math.round(r.statements / r.ingestSeconds);
    const national = perNational(r);
    return `- ${r.store}: ingest ${ingest} statements/s (target ≥ 20000: ${ingest >= 20000 ? 'met' : `missed by ${20000 - ingest}/s`}); nightly run for 100,000 households ≈ ${national.toFixed(0)} s (target ≤ 60 s: ${national <= 60 ? 'met' : `missed by ${(national - 60).toFixed(0)} s`}); replay p95 ${r.replayP95.toFixed(1)} ms wall, ${r.replayCpuP95.toFixed(1)} ms CPU (target ≤ 50 ms: ${r.replayP95 <= 50 ? 'met' : `missed by ${(r.replayP95 - 50).toFixed(1)} ms`} on the wall clock)`;
  });
  const md = `# Benchmarks

Measured by \`make bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}.
${households} synthetic households on SQLite, ${memoryHouseholds} in memory (seed 42; ~70% without earnings, 20% monthly, 7% four-weekly, 3% weekly pay,
5% of statements corrected) over ${months} months; replay on ${replayHouseholds} households with 60 months of history.
The nightly run measured is the one that settles one new month for every household (the 1st of the month after the
history); its history nights ran on the 1st and the 25th of each month. The replay set's history ran every night, as in
production; replay runs in one process (the recorded nights are read once), after 5 unmeasured households.

\`\`\`
${text}
\`\`\`

Peak RSS of the whole benchmark process: ${peak} MiB (both stores and the replay set in one process).

Against the targets (2 cores, embedded SQLite):
${targets.join('\n')}

${scaleOutText}
`;
  // The analysis below the marker is written by people, not measured: a new run keeps it.
  const path = join(import.meta.dirname, '..', '..', '..', 'BENCHMARKS.md');
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const kept = previous.includes(ANALYSIS_MARKER) ? previous.slice(previous.indexOf(ANALYSIS_MARKER)) : `${ANALYSIS_MARKER}\n`;
  writeFileSync(path, `${md}\n${kept}`);
  process.stderr.write('bench: wrote BENCHMARKS.md\n');
  for (const dir of benchDirs) rmSync(dir, { recursive: true, force: true });
}
