import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { root, runCli } from './support/cli.js';

/**
 * `./cli letter` and `./cli payment-spec` as a handler types them (issue #23): a decision of a settled month,
 * a month not decided refused with exit 1, a municipality without its letters block refused with exit 2.
 */
const dir = mkdtempSync(join(tmpdir(), 'letter-e2e-'));
const store = join(dir, 'couple.sqlite');
const demo = join(root, 'infra', 'config', 'demo-municipality.json');
const env = { MUNICIPALITY_CONFIG: demo };

beforeAll(async () => {
  const scenario = parseScenario(
    JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'examples', 'couple-correction.scenario.json'), 'utf8')),
    defaultParameters,
  );
  const s = await openEventStore({ kind: 'sqlite', path: store });
  await runScenarioThroughPipeline(scenario, s, createLogger('test', { level: 'silent' }));
  await s.close();
}, 120_000);

describe('./cli letter and ./cli payment-spec', () => {
  it("a settled month's decision and a payday's specification; what is not decided is refused", async () => {
    const [letter, html, spec, notSettled, future, noPayment] = await Promise.all([
      runCli(['letter', 'H-couple', '--month', '2027-07', '--store', store], env),
      runCli(['letter', 'H-couple', '--month', '2027-07', '--store', store, '--out', join(dir, 'brief.html')], env),
      runCli(['payment-spec', 'H-couple', '--payday', '2027-07-25', '--store', store], env),
      runCli(['letter', 'H-couple', '--month', '2027-10', '--store', store], env),
      runCli(['letter', 'H-couple', '--month', '2029-01', '--store', store], env),
      runCli(['payment-spec', 'H-couple', '--payday', '2027-07-24', '--store', store], env),
    ]);
    expect(letter.code).toBe(0);
    expect(letter.stdout).toContain('- Ons kenmerk: GM9999-H-couple-202707-1');
    expect(letter.stdout).toContain('- Datum: 1 september 2027');
    expect(html.code).toBe(0);
    expect(readFileSync(join(dir, 'brief.html'), 'utf8')).toContain('<div class="address-window">');
    expect(spec.code).toBe(0);
    expect(spec.stdout).toContain('| Totaal | € 1.010,98 |');
    expect([notSettled.code, future.code, noPayment.code]).toEqual([1, 1, 1]);
    expect(notSettled.stderr).toContain(
      'error: refused: 2027-10 is not settled yet (as of 2027-11-25): the letter can be written after the night ' +
        'that settles it',
    );
    expect(future.stderr).toContain('error: refused: 2029-01 has not happened yet');
    expect(noPayment.stderr).toContain(
      "error: refused: no payment on 2027-07-24 (as of 2027-11-25); that month's payday: 2027-07-25",
    );
    for (const r of [notSettled, future, noPayment]) expect(r.stdout).toBe('');
  });

  it('a municipality without its letters block gets no letter (exit 2), the missing fields named', async () => {
    const config = JSON.parse(readFileSync(demo, 'utf8')) as Record<string, unknown>;
    delete config.letters;
    const path = join(dir, 'no-letters.json');
    writeFileSync(path, JSON.stringify(config));
    const r = await runCli(['letter', 'H-couple', '--month', '2027-07', '--store', store], {
      MUNICIPALITY_CONFIG: path,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'missing: letters.municipalityCode, letters.postalAddress, letters.phone, letters.website, ' +
        'letters.objectionAddress, letters.signedBy',
    );
    expect(r.stdout).toBe('');
  });
});
