import { readFileSync } from 'node:fs';
import { defaultParameters, parseScenario, projectResult, simulateScenario, ScenarioInvalid, ENGINE_VERSION, type Instant } from '@bijstand/domain';
import { createLogger, loadHousehold, loadMunicipalityConfig, readRuntimeEnv, rulesVersionOf, ConfigurationError, REJECTED_STREAM } from '@bijstand/platform';
import { Ingestor, readNdjson, type InboundKind } from '@bijstand/ingest';
import { NightlySettlement, NightlyQueue, startInProcessScheduler } from '@bijstand/settlement';
import { parseArgs, flag, type ParsedArgs } from './args.js';
import { runScenarioThroughPipeline } from './scenarioPipeline.js';
import { storeFromEnv } from './stores.js';
import { explainMonth } from './explain.js';
import { progressBar } from './progress.js';
import { runDemo } from './demo.js';
import { table } from './table.js';
import { BufferProcessManager, acknowledgeAlert, bufferReportCsv, listAlerts, UnknownAlertError, LogNotifier, WebhookNotifier, bullmqDelivery, inProcessDelivery, startAlertService, type Notifier } from '@bijstand/buffer';
import { loadStoredHousehold, objectionReport, parseWhatIfInputs, readText, replayAsOf, whatIf, writeReport } from './replay.js';

const USAGE = `usage: cli <command>
  scenario FILE [--engine pipeline|domain] [--store memory|sqlite|PATH]
                                   run a scenario file on a virtual clock, print the result JSON
  ingest --file F [--kind statement|case] | --stdin [--kind …] | --kafka
                                   validate and store polis statements and case events
  run-nightly --date YYYY-MM-DD [--at HH:MM]
                                   the nightly settlement for every household (BullMQ when REDIS_URL is set)
  household show H [--month YYYY-MM] [--as-of INSTANT]
                                   a household's months, or one month's explanation
  replay H --as-of INSTANT [--rules then|now] [--with FILE] [--report out.md] [--json]
                                   objection cases: recompute the decisions as of T, or what-if
  alerts list [--since YYYY-MM-DD] [--kind K]   alerts for consultants, with delivery and acknowledgement
  alerts ack ID --by NAME          acknowledge an alert (recorded as an event)
  buffer report --year YYYY        bufferbudget drawn per household (CSV, for the eindheffing)
  rejected list                    messages rejected at ingest, with their reasons
  worker                           run the nightly scheduler and workers until stopped
  demo [--households N]            seed a sample and run it night by night (make run)`;

class UsageError extends Error {}

function fail(message: string, code = 2): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

const nowInstant = (): Instant => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

async function scenarioCommand(args: ParsedArgs): Promise<void> {
  const file = args.positional[1];
  if (!file) throw new UsageError('usage: cli scenario FILE');
  let scenario;
  try {
    scenario = parseScenario(readJson(file), defaultParameters);
  } catch (err) {
    if (err instanceof ScenarioInvalid) throw new UsageError(`${file}: ${err.reason}`);
    throw err;
  }
  const logger = createLogger('scenario', { level: process.env.LOG_LEVEL ?? 'silent' });
  let result;
  if (flag(args, 'engine') === 'domain') {
    const outcome = simulateScenario(scenario, rulesVersionOf(scenario.parameters, scenario.policy));
    for (const r of outcome.rejected) process.stderr.write(`rejected input recorded at ${r.recordedAt}: ${r.reason}\n`);
    result = projectResult(outcome.state, outcome.events);
  } else {
    const store = await storeFromEnv(readRuntimeEnv(), flag(args, 'store') ?? 'memory');
    try {
      const outcome = await runScenarioThroughPipeline(scenario, store, logger);
      for (const r of outcome.rejected) process.stderr.write(`rejected inputs[${r.index}]: ${r.reason}\n`);
      result = outcome.result;
    } finally {
      await store.close();
    }
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

async function ingestCommand(args: ParsedArgs): Promise<void> {
  const env = readRuntimeEnv();
  const { ctx } = loadMunicipalityConfig(env.MUNICIPALITY_CONFIG);
  const logger = createLogger('ingest', { level: env.LOG_LEVEL });
  const store = await storeFromEnv(env, flag(args, 'store'));
  const kind = flag(args, 'kind') as InboundKind | undefined;
  if (kind && kind !== 'statement' && kind !== 'case') throw new UsageError('--kind must be statement or case');
  const ingestor = new Ingestor(store, ctx, logger);
  try {
    if (args.flags.has('kafka')) {
      const { runKafkaIngest } = await import('./kafkaIngest.js');
      await runKafkaIngest(env, ingestor, store, logger);
      return;
    }
    const file = flag(args, 'file');
    if (!file && !args.flags.has('stdin')) throw new UsageError('ingest needs --file F, --stdin or --kafka');
    const counts: Record<string, number> = { recorded: 0, duplicate: 0, parked: 0, rejected: 0 };
    for await (const message of readNdjson(file ?? process.stdin, { ...(kind ? { defaultKind: kind } : {}), now: nowInstant })) {
      const outcome = await ingestor.ingest(message);
      counts[outcome.status]!++;
      if (outcome.status === 'rejected' && message.source.type === 'file') process.stderr.write(`line ${message.source.line}: rejected: ${outcome.reason}\n`);
    }
    process.stdout.write(`${JSON.stringify(counts)}\n`);
  } finally {
    await store.close();
  }
}

async function runNightlyCommand(args: ParsedArgs): Promise<void> {
  const env = readRuntimeEnv();
  const date = flag(args, 'date');
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError('run-nightly needs --date YYYY-MM-DD');
  const time = flag(args, 'at') ?? '02:00';
  const runAt = `${date}T${time}:00Z`;
  const { ctx } = loadMunicipalityConfig(env.MUNICIPALITY_CONFIG);
  const logger = createLogger('settlement', { level: env.LOG_LEVEL });
  const store = await storeFromEnv(env, flag(args, 'store'));
  const settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger, { cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS });
  const bar = progressBar(`nightly ${date}`);
  try {
    let summary;
    if (env.REDIS_URL) {
      const queue = new NightlyQueue(env.REDIS_URL, settlement, logger);
      const worker = queue.startWorker();
      await queue.enqueueRun(date, runAt);
      summary = await queue.waitForRun(date, (d, t) => bar.update(d, t));
      await worker.close();
      await queue.close();
    } else {
      summary = await settlement.runNightly({ runDate: date, runAt }, { onProgress: (d, t) => bar.update(d, t) });
    }
    bar.finish();
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (summary.failures.length > 0) process.exitCode = 1;
  } finally {
    await store.close();
  }
}

async function householdCommand(args: ParsedArgs): Promise<void> {
  const [, sub, householdId] = args.positional;
  if (sub !== 'show' || !householdId) throw new UsageError('usage: cli household show H [--month YYYY-MM] [--as-of INSTANT]');
  const env = readRuntimeEnv();
  const store = await storeFromEnv(env, flag(args, 'store'));
  try {
    const household = await loadHousehold(store, householdId, flag(args, 'as-of'));
    if (household.state.householdId === null) throw new UsageError(`household ${householdId} has no events${flag(args, 'as-of') ? ' as of that instant' : ''}`);
    const month = flag(args, 'month');
    if (month) {
      process.stdout.write(`${explainMonth(household.events, month)}\n`);
      return;
    }
    const r = projectResult(household.state, household.events);
    const rows = [['month', 'norm', 'income', 'disregard', 'assistance', 'reserve', 'v', 'advance', 'offset', 'buffer', 'paid']];
    const months = [...new Set([...Object.keys(r.months), ...Object.keys(r.payments)])].sort();
    for (const m of months) {
      const s = r.months[m];
      const p = r.payments[m];
      rows.push([m, s?.norm ?? '', s?.income ?? '', s?.disregard ?? '', s?.assistance ?? '', s?.holidayReserve ?? '', s ? String(s.version) : '', p?.advance ?? '', p?.offset ?? '', p?.bufferDraw ?? '', p?.amount ?? '']);
    }
    process.stdout.write(`Household ${householdId} (${household.state.compositions.at(-1)?.category}, case from ${household.state.startDate}${household.state.endDate ? ` to ${household.state.endDate}` : ''})\n`);
    process.stdout.write(`${table(rows)}\nledger ${r.ledgerBalance}   holiday reserve ${r.reserveBalance}\n`);
    for (const a of r.alerts) process.stdout.write(`alert ${a.month} ${a.kind}${a.amount ? ` ${a.amount}` : ''}\n`);
  } finally {
    await store.close();
  }
}

async function replayCommand(args: ParsedArgs): Promise<void> {
  const householdId = args.positional[1];
  const asOf = flag(args, 'as-of');
  if (!householdId || !asOf) throw new UsageError('usage: cli replay H --as-of INSTANT [--rules then|now] [--with FILE] [--report out.md] [--json]');
  if (Number.isNaN(Date.parse(asOf))) throw new UsageError('--as-of must be an ISO instant like 2027-07-05T00:00:00Z');
  const env = readRuntimeEnv();
  const { ctx } = loadMunicipalityConfig(env.MUNICIPALITY_CONFIG);
  const store = await storeFromEnv(env, flag(args, 'store'));
  try {
    const { stored, runs, rulesByVersion } = await loadStoredHousehold(store, householdId);
    if (stored.length === 0) throw new UsageError(`household ${householdId} has no events`);
    const mode = flag(args, 'rules') ?? 'then';
    if (mode !== 'then' && mode !== 'now') throw new UsageError('--rules must be then (the tables each night ran under, default) or now (today\'s tables)');
    const rules = { mode, byVersion: rulesByVersion } as const;
    const comparison = replayAsOf(stored, runs, asOf, ctx, rules);
    const withFile = flag(args, 'with');
    let whatIfReport;
    if (withFile) {
      try {
        whatIfReport = whatIf(stored, runs, asOf, parseWhatIfInputs(readText(withFile), stored), ctx, rules);
      } catch (err) {
        throw new UsageError(`${withFile}: ${(err as Error).message}`);
      }
    }
    const report = flag(args, 'report');
    if (report) writeReport(report, objectionReport(householdId, asOf, stored, comparison, whatIfReport));
    if (args.flags.has('json')) {
      process.stdout.write(`${JSON.stringify({ householdId, asOf, comparison, ...(whatIfReport ? { whatIf: whatIfReport } : {}) }, null, 2)}\n`);
      return;
    }
    if (comparison.identical) process.stdout.write(`identical (${comparison.decisionsCompared} decisions; rules versions ${Object.keys(comparison.storedRulesVersions).join(', ')}; recomputed under the rules of ${mode})\n`);
    else {
      process.stdout.write(`${comparison.differences.length} differences (stored under ${Object.keys(comparison.storedRulesVersions).join(', ')}; recomputed under ${mode === 'now' ? comparison.currentRulesVersion : `the rules of then with engine ${ENGINE_VERSION}`})\n`);
      process.stdout.write(`${table([['decision', 'month', 'field', 'stored', 'recomputed'], ...comparison.differences.map((d) => [d.decision, d.month, d.field, d.stored, d.recomputed])])}\n`);
    }
    if (whatIfReport) {
      const rows = [['month', 'assistance', 'what-if', 'reserve', 'what-if', 'paid', 'what-if', 'net owed']];
      for (const m of whatIfReport.months) rows.push([m.month, m.decided.assistance!, m.whatIf.assistance!, m.decided.holidayReserve!, m.whatIf.holidayReserve!, m.decided['payment.amount']!, m.whatIf['payment.amount']!, m.netOwed]);
      process.stdout.write(`\nWhat-if\n${table(rows)}\nnet owed to (+) or by (−) the resident: ${whatIfReport.netOwedTotal}\n`);
    }
  } finally {
    await store.close();
  }
}

async function alertsCommand(args: ParsedArgs): Promise<void> {
  const sub = args.positional[1];
  const env = readRuntimeEnv();
  const store = await storeFromEnv(env, flag(args, 'store'));
  try {
    if (sub === 'list') {
      const alerts = await listAlerts(store, { ...(flag(args, 'since') ? { since: flag(args, 'since')! } : {}), ...(flag(args, 'kind') ? { kind: flag(args, 'kind')! } : {}) });
      const rows = [['alert', 'household', 'month', 'kind', 'amount', 'raised', 'delivered', 'acknowledged', 'why']];
      for (const a of alerts) rows.push([a.alertId, a.householdId, a.month, a.kind, a.amount ?? '', a.raisedOn, a.deliveredVia.join(',') || '-', a.acknowledgedBy ?? '-', a.reason]);
      process.stdout.write(`${table(rows)}\n`);
      return;
    }
    if (sub === 'ack') {
      const id = args.positional[2];
      const by = flag(args, 'by');
      if (!id || !by) throw new UsageError('usage: cli alerts ack ID --by NAME');
      try {
        process.stdout.write(`${await acknowledgeAlert(store, id, by, nowInstant())}\n`);
      } catch (err) {
        if (err instanceof UnknownAlertError) throw new UsageError(err.message);
        throw err;
      }
      return;
    }
    throw new UsageError('usage: cli alerts list [--since D] [--kind K] | cli alerts ack ID --by NAME');
  } finally {
    await store.close();
  }
}

async function bufferCommand(args: ParsedArgs): Promise<void> {
  const year = flag(args, 'year');
  if (args.positional[1] !== 'report' || !year || !/^\d{4}$/.test(year)) throw new UsageError('usage: cli buffer report --year YYYY');
  const store = await storeFromEnv(readRuntimeEnv(), flag(args, 'store'));
  try {
    process.stdout.write(await bufferReportCsv(store, year));
  } finally {
    await store.close();
  }
}

async function rejectedCommand(args: ParsedArgs): Promise<void> {
  const env = readRuntimeEnv();
  const store = await storeFromEnv(env, flag(args, 'store'));
  try {
    for (const e of await store.readStream(REJECTED_STREAM)) {
      const d = e.data as { kind: string; reason: string; source: unknown };
      process.stdout.write(`${e.recordedAt} ${d.kind} ${JSON.stringify(d.source)}: ${d.reason}\n`);
    }
  } finally {
    await store.close();
  }
}

async function workerCommand(): Promise<void> {
  const env = readRuntimeEnv();
  const { municipality, ctx } = loadMunicipalityConfig(env.MUNICIPALITY_CONFIG);
  const logger = createLogger('settlement-worker', { level: env.LOG_LEVEL });
  const store = await storeFromEnv(env);
  const settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger, { cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS });
  logger.info({ municipality, store: store.name, redis: Boolean(env.REDIS_URL) }, 'settlement worker starting');
  const notifiers: Notifier[] = [new LogNotifier(logger)];
  if (process.env.ALERT_WEBHOOK_URL) {
    if (!process.env.ALERT_WEBHOOK_SECRET) throw new ConfigurationError('ALERT_WEBHOOK_SECRET must be set with ALERT_WEBHOOK_URL');
    notifiers.push(new WebhookNotifier(process.env.ALERT_WEBHOOK_URL, process.env.ALERT_WEBHOOK_SECRET));
  }
  const delivery = env.REDIS_URL ? bullmqDelivery(env.REDIS_URL, store, notifiers, logger, nowInstant) : inProcessDelivery(store, notifiers, logger, nowInstant);
  startAlertService(store, delivery, logger);
  // Proposals left by a worker that died between proposal and buffer decision are decided here.
  new BufferProcessManager(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger).start();
  if (env.REDIS_URL) {
    const queue = new NightlyQueue(env.REDIS_URL, settlement, logger);
    await queue.scheduleDaily();
    const worker = queue.startWorker();
    const stop = async () => {
      await worker.close();
      await queue.close();
      await store.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } else {
    const scheduler = startInProcessScheduler(settlement, logger);
    const stop = async () => {
      scheduler.stop();
      await store.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}


async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const command = args.positional[0];
  switch (command) {
    case 'scenario':
      return scenarioCommand(args);
    case 'ingest':
      return ingestCommand(args);
    case 'run-nightly':
      return runNightlyCommand(args);
    case 'household':
      return householdCommand(args);
    case 'rejected':
      return rejectedCommand(args);
    case 'replay':
      return replayCommand(args);
    case 'alerts':
      return alertsCommand(args);
    case 'buffer':
      return bufferCommand(args);
    case 'worker':
      return workerCommand();
    case 'bench':
      return (await import('./bench.js')).runBench();
    case 'demo':
      return runDemo(Number(flag(args, 'households') ?? 150));
    default:
      throw new UsageError(`unknown command ${command ?? '(none)'}\n${USAGE}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigurationError) fail(err.message);
  fail(`${(err as Error).stack ?? String(err)}`, 1);
});

