import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { root, type CliResult } from './support/cli.js';

/**
 * Issue #24: what `make run` shows the backoffice (the demo, then run-nightly from its "Probeer" block) is
 * Dutch, with amounts as € 1.234,56; `--json` keeps the machine summary (English keys, dot decimals).
 */
const dir = mkdtempSync(join(tmpdir(), 'cli-dutch-'));
const store = join(dir, 'events.sqlite');
// As after `make run` in a new shell: no LOG_LEVEL, no key (the demo store holds the development key's check).
const cfg = { MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json', BSN_PSEUDONYM_KEY: '' };

/** `./cli` with the user's environment: unlike runCli, LOG_LEVEL stays unset (the default level is tested). */
function asUser(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { LOG_LEVEL: _level, ...userEnv } = process.env;
  const child = spawn(join(root, 'cli'), args, { cwd: root, env: { ...userEnv, ...env }, stdio: 'pipe' });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** English words the old output had: none may come back in what a person reads (command names are code). */
const FORBIDDEN = [
  'households',
  'payments',
  'paid',
  'claims',
  'alerts',
  'months settled',
  'wall time',
  'summary',
  'ledger',
  'nightly runs',
  'try',
  'warning',
  'reference result',
];
const englishIn = (text: string) => FORBIDDEN.filter((w) => new RegExp(`\\b${w}\\b`, 'i').test(text));

let demo: CliResult;
let night: CliResult;
beforeAll(async () => {
  demo = await asUser(['--insecure-dev-key', 'demo', '--households', '2', '--store', store]);
  night = await asUser(['run-nightly', '--date', '2028-09-01', '--store', store], cfg);
}, 120_000);

describe("make run's human output in Dutch", () => {
  it('the demo: the worked examples month by month in euros, the summary with Dutch labels and amounts', () => {
    expect(demo.code).toBe(0);
    const out = demo.stdout;
    expect(out).toContain(
      '\ncouple-correction (H-couple, stand per 30 november 2027 om 03:00 uur), bedragen in euro\n' +
        'maand               norm   inkomen  vrijlating  bijstand  vak.geld  voorschot  verrekend  buffer   betaald\n',
    );
    // July 2027: the April correction (580,38) offset, the bufferbudget steps in with 391,84.
    expect(out).toContain(
      'juli 2027       2.040,00    868,80      130,32  1.199,52     32,50   1.199,52     580,38  391,84  1.010,98\n',
    );
    expect(out).toContain('saldo € 0,00, reservering vakantiegeld € 130,00; gelijk aan het referentieresultaat ✓\n');
    expect(out).not.toContain('WIJKT AF');
    const summary = out.slice(out.indexOf('Samenvatting'), out.indexOf('looptijd'));
    expect(summary.split('\n').slice(11, 20)).toEqual([
      'maanden vastgesteld (versies)                                     221',
      'betalingen                                                        240',
      'totaal betaald                                           € 291.704,56',
      'huishoudens met een openstaande vordering                           1',
      'openstaande vorderingen samen                              € 1.356,60',
      'bufferbudget gebruikt                                      € 5.221,26',
      'signalen                                                           33',
      'afgekeurde berichten                                                3',
      'mislukte huishoudens                                                0',
    ]);
    expect(out).toMatch(/\nlooptijd +\d+,\d s\n/);
    expect(out).toContain(
      '\n3 berichten zijn bij ontvangst afgekeurd (zo bedoeld in de voorbeelden): ' +
        `./cli rejected list --store ${store}\n`,
    );
    expect(out).toContain('\nProbeer (elke regel werkt geplakt in een nieuwe shell):\n');
    expect(out).toMatch(/\n {2}bezwaar +\S+ {2}\(bezwaarbehandelaar\)\n$/);
    expect(englishIn(out)).toEqual([]);
  });

  it('the demo on stderr: Dutch lines and the bar, no raw log record (its rejections are the one line above)', () => {
    const lines = demo.stderr.trimEnd().split('\n');
    expect(lines[1]).toBe(
      'Voorbeeldstad (demo): 10 uitgewerkte voorbeelden + 2 synthetische huishoudens, 201 berichten, ' +
        `nachten 2 februari 2026 … 31 augustus 2028 in sqlite:${store}`,
    );
    expect(lines.at(-1)).toBe(`nachten [${'#'.repeat(30)}] 100% 31 augustus 2028`);
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(englishIn(demo.stderr)).toEqual([]);
  });

  it('run-nightly: the night in a Dutch table with euros; no info record repeats it on stderr', async () => {
    expect(night.code, night.stderr).toBe(0);
    expect(night.stdout).toBe(
      [
        'Nacht van 1 september 2028, gedraaid op 1 september 2028 om 02:00 uur',
        'kengetal                                       waarde',
        '-----------------------------------------  ----------',
        'huishoudens                                        12',
        'maanden vastgesteld (versies)                      11',
        'betalingen                                          0',
        'totaal betaald                                 € 0,00',
        'huishoudens met een openstaande vordering           1',
        'openstaande vorderingen samen              € 1.356,60',
        'signalen                                            0',
        'besluiten vastgelegd                               11',
        'mislukte huishoudens                                0',
        '',
      ].join('\n'),
    );
    expect(night.stderr).toBe(`nacht van 1 september 2028 [${'#'.repeat(30)}] 100% \n`);
    expect(englishIn(night.stdout + night.stderr)).toEqual([]);
    // --json: the machine form as it was, on the same store (the night again appends nothing).
    const json = await asUser(['run-nightly', '--json', '--date', '2028-09-01', '--store', store], cfg);
    expect(JSON.parse(json.stdout)).toEqual({
      runDate: '2028-09-01',
      households: 12,
      monthsSettled: 0,
      paymentsMade: 0,
      paid: '0.00',
      householdsWithClaim: 1,
      openClaims: '1356.60',
      alerts: 0,
      eventsAppended: 0,
      failures: [],
      runAt: '2028-09-01T00:00:00Z',
    });
  });

  it('the forbidden words are found where they are (the check itself can fail)', () => {
    expect(englishIn('households with an open claim; paid in total; wall time 3.0 s')).toEqual([
      'households',
      'paid',
      'wall time',
    ]);
  });
});
