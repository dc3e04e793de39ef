import { readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addDays,
  defaultParameters,
  inputsInRecordingOrder,
  instantMillis,
  parseScenario,
  projectResult,
  money,
  ZERO,
  fmt,
  type Money,
} from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import {
  createLogger,
  guardStoreKey,
  loadHousehold,
  loadMunicipalityConfig,
  rulesVersionOf,
  REJECTED_STREAM,
} from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { NightlySettlement } from '@bijstand/settlement';
import { generateHouseholds, mulberry32, syntheticBsn, type RawInput } from '@bijstand/synthetic';
import { progressBar } from '@bijstand/terminal';
import { demoExampleText, demoExamplesTitle, dutchDate, demoStartText, demoSummaryText } from '@bijstand/documents';
import { demoAccounts } from './accounts.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The demo's own copy of the worked examples (a test keeps it equal to the tests' copy). */
export const DEMO_EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

/**
 * `make run`: the main job on embedded defaults. Seeds the worked examples and synthetic households
 * into a fresh SQLite store, runs the nightly batch for every day on a virtual clock, and reports.
 */
export async function runDemo(households: number, path: string): Promise<{ rejected: number }> {
  // Its own rejections are intended (examples of a refusal): counted and named in one line, not logged one by one.
  const logger = createLogger('demo', { level: process.env.LOG_LEVEL ?? 'error' });
  const { municipality, ctx } = loadMunicipalityConfig(join(repoRoot, 'infra/config/demo-municipality.json'));
  mkdirSync(dirname(path), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const store = await openEventStore({ kind: 'sqlite', path });
  // The fresh store records its key (the development key under --insecure-dev-key), dated by the virtual clock.
  await guardStoreKey(store, process.env, { record: true, at: '2026-01-01T00:00:00Z' });

  const examplesDir = DEMO_EXAMPLES_DIR;
  const examples = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.scenario.json'))
    .sort()
    .map((f) => ({
      name: f.replace('.scenario.json', ''),
      scenario: parseScenario(JSON.parse(readFileSync(join(examplesDir, f), 'utf8')), defaultParameters),
      expected: readFileSync(join(examplesDir, f.replace('.scenario', '.expected')), 'utf8'),
    }));
  // The examples are independent scenarios that reuse the same BSNs; in one shared store each
  // household gets its own (valid) BSNs, or statements would route to the wrong household.
  const rand = mulberry32(1);
  const inputs: RawInput[] = [
    ...examples.flatMap((e) => withOwnBsns(e.scenario.rawInputs as RawInput[], () => syntheticBsn(rand))),
    ...generateHouseholds({ households, seed: 2027, startMonth: '2027-01', months: 13 }),
  ];
  const ordered = inputsInRecordingOrder(inputs);
  // From the first night of any worked example (the 2026 disregard example starts in February 2026).
  const from = examples.map((e) => e.scenario.runs.from).reduce((a, b) => (a < b ? a : b), '2026-12-01');
  const to = examples.map((e) => e.scenario.runs.to).reduce((a, b) => (a > b ? a : b), '2028-02-28');
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);

  process.stderr.write(
    demoStartText({
      municipality,
      examples: examples.length,
      households,
      messages: ordered.length,
      from,
      to,
      store: store.name,
    }),
  );
  const ingestor = new Ingestor(store, ctx, logger);
  const settlement = new NightlySettlement(store, ctx, rulesVersionOf(ctx.params, ctx.policy), logger);
  const bar = progressBar('nachten');
  const totals = { monthsSettled: 0, paymentsMade: 0, paid: ZERO as Money, alerts: 0, failures: 0, rejected: 0 };
  let next = 0;
  const started = Date.now();
  for (const [i, day] of days.entries()) {
    const runAt = `${day}T02:00:00Z`;
    while (next < ordered.length && instantMillis(ordered[next]!.recordedAt) <= instantMillis(runAt)) {
      const input = ordered[next++]!;
      const outcome = await ingestor.ingest({
        kind: input.statement ? 'statement' : 'case',
        payload: JSON.stringify(input.statement ?? input.case),
        recordedAt: input.recordedAt,
        source: { type: 'inline', reference: 'demo' },
      });
      if (outcome.status === 'rejected') totals.rejected++;
      // The benefit administration records each member's account once the case is open (for payments export).
      if (input.case?.type === 'CaseOpened' && outcome.status === 'recorded')
        for (const account of demoAccounts(input.case as Parameters<typeof demoAccounts>[0]))
          await ingestor.ingest({
            kind: 'case',
            payload: JSON.stringify(account),
            recordedAt: input.recordedAt,
            source: { type: 'inline', reference: 'demo' },
          });
    }
    const s = await settlement.runNightly({ runDate: day, runAt });
    totals.monthsSettled += s.monthsSettled;
    totals.paymentsMade += s.paymentsMade;
    totals.paid = money(totals.paid.plus(s.paid));
    totals.alerts += s.alerts;
    totals.failures += s.failures.length;
    bar.update(i + 1, days.length, dutchDate(day));
  }
  bar.finish();

  const all = await settlement.listHouseholds();
  let claims = ZERO as Money;
  let withClaim = 0;
  let buffer = ZERO as Money;
  const kinds = { nonEntitledPartner: 0, payslips: 0, benefits: 0, declarations: 0, measures: 0, paidInHalves: 0 };
  for (const id of all) {
    const h = await loadHousehold(store, id);
    const statements = [...h.state.statementsByKey.values()]
      .flatMap((k) => [k.polis, k.payslip])
      .filter((r) => r !== undefined);
    if (h.state.members.some((m) => !m.entitled)) kinds.nonEntitledPartner++;
    if (statements.some((r) => r.statement.source === 'payslip')) kinds.payslips++;
    if (statements.some((r) => r.statement.incomeKind === 'benefit')) kinds.benefits++;
    if (h.state.declarations.size > 0) kinds.declarations++;
    if (h.state.measures.length > 0) kinds.measures++;
    if ([...h.state.payments.values()].some((p) => p.payees.partner !== undefined)) kinds.paidInHalves++;
    if (h.state.ledgerBalance.lessThan(0)) {
      withClaim++;
      claims = money(claims.plus(h.state.ledgerBalance.negated()));
    }
    for (const used of h.state.bufferDrawnPerYear.values()) buffer = money(buffer.plus(used));
  }
  const rejected = (await store.readStream(REJECTED_STREAM)).length;

  process.stdout.write(demoExamplesTitle);
  for (const e of examples) {
    const id = e.scenario.inputs.find((i) => i.case)!.case!.householdId;
    // Each example's reference result is its household as of the example's own last nightly run.
    const asOf = `${e.scenario.runs.to}T${e.scenario.runs.at}:00Z`;
    const h = await loadHousehold(store, id, asOf);
    const r = projectResult(h.state, h.events);
    const matches = `${JSON.stringify(r, null, 2)}\n` === e.expected;
    const months = [...new Set([...Object.keys(r.months), ...Object.keys(r.payments)])].sort().map((m) => {
      const s = r.months[m];
      const p = r.payments[m];
      return {
        month: m,
        norm: s?.norm,
        income: s?.income,
        disregard: s?.disregard,
        assistance: s?.assistance,
        holidayReserve: s?.holidayReserve,
        advance: p?.advance,
        offset: p?.offset,
        bufferDraw: p?.bufferDraw,
        paid: p?.amount,
      };
    });
    process.stdout.write(
      demoExampleText({
        name: e.name,
        householdId: id,
        asOf,
        months,
        ledgerBalance: r.ledgerBalance,
        reserveBalance: r.reserveBalance,
        matches,
      }),
    );
    if (!matches) process.exitCode = 1;
  }

  const summary = {
    households: all.length,
    ...kinds,
    nights: days.length,
    monthsSettled: totals.monthsSettled,
    paymentsMade: totals.paymentsMade,
    paid: fmt(totals.paid),
    householdsWithClaim: withClaim,
    openClaims: fmt(claims),
    bufferDrawn: fmt(buffer),
    alerts: totals.alerts,
    rejected,
    failures: totals.failures,
    wallSeconds: (Date.now() - started) / 1000,
  };
  process.stdout.write(demoSummaryText(summary, path));
  await store.close();
  return { rejected };
}

/** Replace every BSN in a scenario's inputs by a fresh one, consistently within the scenario. */
function withOwnBsns(inputs: RawInput[], fresh: () => string): RawInput[] {
  const mapping = new Map<string, string>();
  const text = JSON.stringify(inputs).replace(/"bsn":"(\d{9})"/g, (_, bsn: string) => {
    if (!mapping.has(bsn)) mapping.set(bsn, fresh());
    return `"bsn":"${mapping.get(bsn)}"`;
  });
  return JSON.parse(text) as RawInput[];
}
