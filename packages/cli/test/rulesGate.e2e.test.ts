import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { dutchDate, dutchInstant } from '@bijstand/documents';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, guardStoreKey } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { root, runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rules-gate-e2e-'));
const seeded = join(dir, 'seeded.sqlite');
const logger = createLogger('test', { level: 'silent' });
const NIGHT = '2028-03-25';

/** Every event of every stream, as text: "appends nothing" is checked on all of them. */
async function everything(path: string): Promise<string> {
  const store = await openEventStore({ kind: 'sqlite', path, mode: 'read-only' });
  try {
    const out: string[] = [];
    for (const stream of (await store.listStreams('')).sort())
      for (const e of await store.readStream(stream)) out.push(`${stream} ${e.eventId} ${JSON.stringify(e.data)}`);
    return out.join('\n');
  } finally {
    await store.close();
  }
}

function copy(name: string): string {
  const path = join(dir, `${name}.sqlite`);
  copyFileSync(seeded, path);
  return path;
}

/** The store's nights ran under the worked example's norms (a municipality's configuration, not the national tables). */
describe('a rules change is a decision: the forgotten configuration', () => {
  beforeAll(async () => {
    const scenario = parseScenario(
      JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'examples', 'couple-correction.scenario.json'), 'utf8')),
      defaultParameters,
    );
    const store = await openEventStore({ kind: 'sqlite', path: seeded });
    await runScenarioThroughPipeline(scenario, store, logger);
    // As ingest does in production: the store's key check is recorded at creation, so a refused night has
    // nothing of its own to record (its "appends nothing" then covers every stream, the key's included).
    await guardStoreKey(store, process.env, { record: true, at: '2026-01-01T00:00:00Z' });
    await store.close();
  }, 120_000);

  it('without MUNICIPALITY_CONFIG run-nightly, letter and replay --rules now refuse (exit 2) and nothing is appended', async () => {
    const path = copy('forgotten');
    const before = await everything(path);
    const env = { MUNICIPALITY_CONFIG: '' };
    const [nightly, letter, replay] = await Promise.all([
      runCli(['run-nightly', '--json', '--date', NIGHT, '--store', path], env),
      runCli(['letter', 'H-couple', '--month', '2027-05', '--store', path], env),
      runCli(['replay', 'H-couple', '--as-of', '2027-08-01T00:00:00Z', '--rules', 'now', '--store', path], env),
    ]);
    for (const r of [nightly, letter, replay]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^error: MUNICIPALITY_CONFIG is not set, but this store's nights ran under a municipality's configuration \(rules version engine-[\d.]+\+rules-[0-9a-f]{12}\): set MUNICIPALITY_CONFIG to the deployment's file, or pass --national-defaults/m,
      );
      expect(r.stdout).toBe('');
    }
    expect(await everything(path)).toBe(before);
  });

  it('--national-defaults: the night refuses before its first append with what changed and a preview; after rules accept it runs and its summary equals the preview', async () => {
    const path = copy('accepted');
    const before = await everything(path);
    const env = { MUNICIPALITY_CONFIG: '' };
    const refused = await runCli(
      ['run-nightly', '--json', '--date', NIGHT, '--national-defaults', '--store', path],
      env,
    );
    expect(refused.code).toBe(1);
    expect(await everything(path)).toBe(before);
    const out = JSON.parse(refused.stdout);
    expect(out.refused).toBe('rules change not accepted');
    expect(out.rulesChanges).toHaveLength(1);
    const [change] = out.rulesChanges;
    expect(change.municipality).toBe('default');
    expect(change.accepted).toBeNull();
    expect(change.previous).not.toBe(change.current);
    // The worked example's norm row (2040.00 for a couple) is not in the national table.
    expect(change.changes).toEqual(['parameters.norm from 2027-01-01: removed']);
    // Nine settled months again under the national norms: € 104,40 claimed, nothing owed back.
    expect(out.preview.resettled.default).toEqual({
      rulesVersion: change.current,
      households: 1,
      months: 9,
      backPayments: '0.00',
      claims: '104.40',
    });
    expect(out.preview).toMatchObject({ households: 1, monthsSettled: 13, paymentsMade: 1, paid: '7128.56' });
    expect(refused.stderr).toContain(
      '  voorproef: 9 maanden van 1 huishouden opnieuw vastgesteld: ' +
        '€ 0,00 na te betalen aan inwoners, € 104,40 terug te vorderen\n',
    );
    expect(refused.stderr).toContain(`niet geaccepteerd: ./cli rules accept ${change.current} --by NAAM --reason "…"`);
    expect(refused.stderr).toContain(
      `fout: de nacht van ${dutchDate(NIGHT)} is geweigerd: ` +
        'de regels zijn gewijzigd en niemand heeft ze geaccepteerd; er is niets vastgelegd',
    );

    // A dry run says the same and writes nothing either.
    const dry = await runCli(
      ['run-nightly', '--json', '--date', NIGHT, '--dry-run', '--national-defaults', '--store', path],
      env,
    );
    expect(dry.code).toBe(0);
    const { dryRun, rulesChanges, resettled, runAt: _at, ...drySummary } = JSON.parse(dry.stdout);
    expect(dryRun).toBe(true);
    expect(rulesChanges).toEqual(out.rulesChanges);
    expect(resettled).toEqual(out.preview.resettled);
    expect(await everything(path)).toBe(before);

    const wrong = await runCli(
      ['rules', 'accept', 'engine-9.9.9+rules-000000000000', '--by', 'A. de Vries', '--reason', 'x', '--store', path],
      { MUNICIPALITY_CONFIG: '' },
    );
    expect(wrong.code).toBe(2);
    const accept = await runCli(
      [
        'rules',
        'accept',
        change.current,
        '--by',
        'A. de Vries',
        '--reason',
        'national norms on purpose',
        '--national-defaults',
        '--store',
        path,
      ],
      env,
    );
    expect(accept.code).toBe(0);
    expect(JSON.parse(accept.stdout)).toMatchObject({
      rulesVersion: change.current,
      acceptedBy: 'A. de Vries',
      reason: 'national norms on purpose',
      municipalities: { default: change.previous },
      changes: change.changes,
    });

    const ran = await runCli(['run-nightly', '--json', '--date', NIGHT, '--national-defaults', '--store', path], env);
    expect(ran.code).toBe(0);
    const { runAt, ...summary } = JSON.parse(ran.stdout);
    const { resettled: _r, ...previewSummary } = out.preview;
    expect(summary).toEqual(previewSummary);
    expect(summary).toEqual(drySummary);
    expect(runAt).toBe('2028-03-25T01:00:00Z');

    // The same night again: the store holds its decisions, so a dry run and the run both count none.
    const args = ['run-nightly', '--json', '--date', NIGHT, '--national-defaults', '--store', path];
    const [again, dryAgain] = [await runCli(args, env), await runCli([...args, '--dry-run'], env)];
    const { runAt: _a, ...againSummary } = JSON.parse(again.stdout);
    const { runAt: _b, dryRun: _d, rulesChanges: _c, resettled: _s, ...dryAgainSummary } = JSON.parse(dryAgain.stdout);
    expect(againSummary).toMatchObject({ monthsSettled: 0, paymentsMade: 0, paid: '0.00', eventsAppended: 0 });
    expect(dryAgainSummary).toEqual(againSummary);

    // The objection file says, at each month settled again under it, who accepted the rules and why.
    const report = join(dir, 'bezwaar.md');
    const replay = await runCli(
      ['replay', 'H-couple', '--as-of', '2028-04-01T00:00:00Z', '--report', report, '--store', path],
      env,
    );
    expect(replay.code).toBe(0);
    const text = readFileSync(report, 'utf8');
    const acceptedAt = dutchInstant(JSON.parse(accept.stdout).acceptedAt as string);
    const sentence = `regelversie ${change.current}). Deze regelversie is aanvaard door A. de Vries op ${acceptedAt}: national norms on purpose.`;
    // The 13 months this night settled (9 again, 4 for the first time), each under the accepted version.
    expect(text.split(sentence).length - 1).toBe(13);
    expect(acceptedAt).toMatch(/^\d{1,2} [a-z]+ \d{4} om \d{2}:\d{2} uur$/);
  }, 120_000);

  it('a new norm row dated after the settled months: the preview settles nothing again, and neither does the night', async () => {
    const path = copy('future-row');
    const config = join(dir, 'future-row.json');
    // The worked example's own norm row, and the norms of May 2028 after it.
    writeFileSync(
      config,
      JSON.stringify({
        municipality: 'Voorbeeldstad',
        parameters: {
          norm: [
            {
              validFrom: '2027-01-01',
              couple: '2040.00',
              single: '1428.00',
              source: 'illustrative values for tests, not published norms',
            },
            { validFrom: '2028-05-01', couple: '2100.00', single: '1470.00', source: 'norms of May 2028 (test)' },
          ],
        },
      }),
    );
    const env = { MUNICIPALITY_CONFIG: config };
    const before = await everything(path);
    const refused = await runCli(['run-nightly', '--json', '--date', NIGHT, '--store', path], env);
    expect(refused.code).toBe(1);
    expect(await everything(path)).toBe(before);
    const out = JSON.parse(refused.stdout);
    expect(out.rulesChanges.map((c: { changes: string[] }) => c.changes)).toEqual([
      ['parameters.norm from 2028-05-01: added (couple 2100.00, single 1470.00)'],
    ]);
    expect(out.preview.resettled.default).toMatchObject({
      households: 0,
      months: 0,
      backPayments: '0.00',
      claims: '0.00',
    });
    const version = out.rulesChanges[0].current as string;
    const accept = await runCli(
      ['rules', 'accept', version, '--by', 'B. Jansen', '--reason', 'norms of May 2028', '--store', path],
      env,
    );
    expect(accept.code).toBe(0);
    const ran = await runCli(['run-nightly', '--json', '--date', NIGHT, '--store', path], env);
    expect(ran.code).toBe(0);
    const { runAt: _at, ...summary } = JSON.parse(ran.stdout);
    const { resettled: _r, ...preview } = out.preview;
    expect(summary).toEqual(preview);
    // Every month settled before this night is untouched: only first versions were appended.
    const store = await openEventStore({ kind: 'sqlite', path, mode: 'read-only' });
    const settled = (await store.readStream('household-H-couple'))
      .filter((e) => e.type === 'MonthSettled' && e.recordedAt === '2028-03-25T01:00:00Z')
      .map((e) => (e.data as { version: number }).version);
    await store.close();
    expect(settled).toEqual([1, 1, 1, 1]);
  }, 120_000);

  it('a policy change dated next month (pay day 20 from April) leaves every settled month untouched and pays April on the 20th', async () => {
    const path = copy('dated-policy');
    const config = join(dir, 'dated-policy.json');
    writeFileSync(
      config,
      JSON.stringify({
        municipality: 'Voorbeeldstad',
        policy: { changes: [{ validFrom: '2028-04-01', payDay: 20, source: 'collegebesluit (test)' }] },
        parameters: {
          norm: [
            {
              validFrom: '2027-01-01',
              couple: '2040.00',
              single: '1428.00',
              source: 'illustrative values for tests, not published norms',
            },
          ],
        },
      }),
    );
    const env = { MUNICIPALITY_CONFIG: config };
    const dry = await runCli(['run-nightly', '--json', '--date', NIGHT, '--dry-run', '--store', path], env);
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout);
    expect(preview.rulesChanges.map((c: { changes: string[] }) => c.changes)).toEqual([
      ['policy.changes from 2028-04-01: added (payDay 20)'],
    ]);
    expect(preview.resettled.default).toMatchObject({ households: 0, months: 0, backPayments: '0.00', claims: '0.00' });
    const version = preview.rulesChanges[0].current as string;
    const accept = await runCli(
      ['rules', 'accept', version, '--by', 'B. Jansen', '--reason', 'pay day 20', '--store', path],
      env,
    );
    expect(accept.code).toBe(0);
    for (const date of [NIGHT, '2028-04-20']) {
      const r = await runCli(['run-nightly', '--json', '--date', date, '--store', path], env);
      expect(r.code, r.stderr).toBe(0);
    }
    const store = await openEventStore({ kind: 'sqlite', path, mode: 'read-only' });
    const events = await store.readStream('household-H-couple');
    await store.close();
    // No month settled before is settled again; March is paid on the 25th as before, April on the 20th.
    const resettled = events.filter(
      (e) => e.type === 'MonthSettled' && e.recordedAt >= '2028-03-25' && (e.data as { version: number }).version > 1,
    );
    expect(resettled).toEqual([]);
    const paid = events
      .filter((e) => e.type === 'PaymentMade')
      .map((e) => [(e.data as { month: string }).month, (e.data as { runDate: string }).runDate])
      .slice(-2);
    expect(paid).toEqual([
      ['2028-03', '2028-03-25'],
      ['2028-04', '2028-04-20'],
    ]);
  }, 120_000);
});
