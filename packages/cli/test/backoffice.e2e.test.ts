import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, runCli } from './support/cli.js';

/**
 * Issue #24, the backoffice after a fix: a case of a municipality the deployment did not name yet is
 * rejected; once MUNICIPALITY_CONFIG names it, `rejected retry` stores it and the next night settles and
 * pays the household; a second retry is refused (exit 1); a message nobody needs is dismissed with a reason;
 * `runs` shows the night.
 */
describe('rejected retry and dismiss, as the backoffice types them', () => {
  it('rejected, configured, retried, settled the next night; a second retry refused; dismissed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-backoffice-'));
    const full = join(root, 'infra', 'config', 'werkplein-drentsche-aa.json');
    const deployment = JSON.parse(readFileSync(full, 'utf8')) as { municipalities: Record<string, unknown> };
    delete deployment.municipalities.GM1730;
    const before = join(dir, 'without-tynaarlo.json');
    writeFileSync(before, JSON.stringify(deployment));
    const file = join(dir, 'cases.ndjson');
    const opening = {
      type: 'CaseOpened',
      householdId: 'H-gieten',
      members: [{ bsn: '200000019', role: 'applicant' }],
      category: 'single',
      startDate: '2027-01-01',
      municipality: 'GM1730',
    };
    writeFileSync(file, `${JSON.stringify(opening)}\n{"type": "CaseOpened",\n`);
    const store = join(dir, 'events.sqlite');
    const cli = (args: string[], config = full) =>
      runCli(['--insecure-dev-key', ...args, '--store', store], { MUNICIPALITY_CONFIG: config, LOG_LEVEL: 'error' });

    expect((await cli(['ingest', '--file', file, '--kind', 'case'], before)).code).toBe(3);
    const listed = JSON.parse((await cli(['rejected', 'list', '--json'])).stdout) as Array<Record<string, string>>;
    expect(listed.map((r) => [r.householdId, r.rule, r.status])).toEqual([
      ['H-gieten', 'unknown-municipality', 'open'],
      [null, 'invalid-json', 'open'],
    ]);
    const [gieten, broken] = listed.map((r) => r.id!);
    const list = await cli(['rejected', 'list']);
    expect(list.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(
        new RegExp(`^${gieten}  zaakgebeurtenis, afgekeurd op \\d+ \\w+ 20\\d\\d om \\d\\d:\\d\\d uur$`),
      ),
      `  huishouden H-gieten · bericht - · bron: bestand ${file}, regel 1`,
      '  reden: De gemeente van deze zaak is niet ingesteld (MUNICIPALITY_CONFIG); ' +
        'stel haar in en verwerk het bericht opnieuw.',
    ]);
    expect(list.stderr).toBe(
      '2 van 2 afgekeurde berichten open; `./cli rejected retry ID --by NAAM --reason TEKST` of `dismiss`\n',
    );

    const why = ['--by', 'Bea Backoffice', '--reason', 'Tynaarlo staat nu in MUNICIPALITY_CONFIG'];
    const retried = await cli(['rejected', 'retry', gieten!, ...why]);
    expect([retried.code, retried.stdout]).toEqual([
      0,
      `Bericht ${gieten} opnieuw verwerkt: vastgelegd in huishouden H-gieten\n`,
    ]);
    const again = await cli(['rejected', 'retry', gieten!, ...why]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(
        `^error: afgekeurd bericht ${gieten} is al verwerkt \\(vastgelegd in huishouden H-gieten\\) ` +
          'door Bea Backoffice op .+; een bericht wordt één keer verwerkt\\. Er is niets veranderd\\.$',
        'm',
      ),
    );
    const dismissed = await cli([
      'rejected',
      'dismiss',
      broken!,
      '--by',
      'Bea Backoffice',
      '--reason',
      'afgebroken regel',
    ]);
    expect([dismissed.code, dismissed.stdout]).toEqual([
      0,
      `Bericht ${broken} terzijde gelegd; het wordt niet verwerkt.\n`,
    ]);
    const open = await cli(['rejected', 'list']);
    expect([open.stdout, open.stderr]).toEqual([
      'Geen open afgekeurde berichten.\n',
      '0 van 2 afgekeurde berichten open\n',
    ]);
    expect((await cli(['rejected', 'list', '--all'])).stdout).toMatch(
      /\[terzijde gelegd\]\n.*\n.*\n {2}terzijde gelegd door Bea Backoffice op .+: afgebroken regel\n$/,
    );

    // Tynaarlo pays on the 20th: that night pays January, Tynaarlo's single norm less the 5 % holiday reserve.
    const night = await cli(['run-nightly', '--json', '--date', '2027-01-20']);
    expect(night.code).toBe(0);
    expect(JSON.parse(night.stdout)).toMatchObject({ households: 1, paymentsMade: 1, paid: '1356.60', failures: [] });
    const runs = await cli(['runs']);
    expect(runs.stdout.split('\n').slice(2, 3)).toEqual([
      '2027-01-20  20 januari 2027 om 02:00 uur            1        0           1  € 1.356,60         0        0',
    ]);
  }, 120_000);
});
