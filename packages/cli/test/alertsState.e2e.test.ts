import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertHandling, listAlerts } from '@bijstand/alerts';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { acknowledge, filterInbox, readInbox } from '@bijstand/workplace';
import { root, runCli } from './support/cli.js';

const logger = createLogger('test', { level: 'silent' });
const BELOW = 'H-couple:below-minimum:2027-07';
const BUFFER = 'H-couple:buffer-exhausted:2027-07';
const NEW_JOB = 'H-couple:new-income-relationship:2027-03';
let storePath: string;

/** The couple example settled with no worker: its alerts are decided, none handed to a notifier yet. */
async function coupleStore(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'cli-alerts-state-')), 'alerts.sqlite');
  const store = await openEventStore({ kind: 'sqlite', path });
  const scenario = join(root, 'test', 'fixtures', 'examples', 'couple-correction.scenario.json');
  await runScenarioThroughPipeline(
    parseScenario(JSON.parse(readFileSync(scenario, 'utf8')), defaultParameters),
    store,
    logger,
  );
  await store.close();
  return path;
}

/** What the workplace's inbox says of each alert: open or acknowledged, through the one alertHandling. */
async function webStates(): Promise<Record<string, string>> {
  const store = await openEventStore({ kind: 'sqlite', path: storePath });
  const { alerts } = await readInbox(store);
  await store.close();
  const acknowledged = filterInbox(alerts, { state: 'acknowledged' }).map((a) => a.alertId);
  return Object.fromEntries(
    alerts.map((a) => [a.alertId, `${alertHandling(a)}${acknowledged.includes(a.alertId) ? ' (filter)' : ''}`]),
  );
}

/** The status column of `./cli alerts list`, per alert id (the last column). */
async function cliStates(): Promise<Record<string, string>> {
  const r = await runCli(['alerts', 'list', '--store', storePath]);
  expect(r.code, r.stderr).toBe(0);
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('hoog') || l.startsWith('normaal'));
  return Object.fromEntries(rows.map((l) => l.split(/ {2,}/)).map((c) => [c[6], c[5]]));
}

describe('one state for an alert, in the CLI and in the workplace', () => {
  beforeEach(async () => {
    storePath = await coupleStore();
  });

  it('acknowledged in the workplace: `alerts list` says afgehandeld, not pending', async () => {
    const store = await openEventStore({ kind: 'sqlite', path: storePath });
    expect(await acknowledge(store, BELOW, 'J. de Vries', '2027-12-01T09:00:00Z', 'consultant')).toBe('acknowledged');
    await store.close();
    expect(await cliStates()).toEqual({ [BELOW]: 'afgehandeld door J. de Vries', [BUFFER]: 'open', [NEW_JOB]: 'open' });
    expect(await webStates()).toEqual({
      [BELOW]: 'acknowledged (filter)',
      [BUFFER]: 'open',
      [NEW_JOB]: 'open',
    });
  });

  it('`alerts ack --note` on an alert no worker recorded yet: the workplace shows it afgehandeld', async () => {
    const note = 'Betalingsregeling besproken';
    const ack = await runCli(['alerts', 'ack', BUFFER, '--by', 'A. Jansen', '--note', note, '--store', storePath]);
    expect([ack.code, ack.stdout, ack.stderr]).toEqual([0, `${BUFFER}: afgehandeld\n`, '']);
    const again = await runCli(['alerts', 'ack', BUFFER, '--by', 'B. Bakker', '--store', storePath]);
    expect(again.stdout).toBe(`${BUFFER}: was al afgehandeld\n`);
    expect(await webStates()).toEqual({ [BELOW]: 'open', [BUFFER]: 'acknowledged (filter)', [NEW_JOB]: 'open' });
    expect(await cliStates()).toEqual({
      [BELOW]: 'open',
      [BUFFER]: 'afgehandeld door A. Jansen (“Betalingsregeling besproken”)',
      [NEW_JOB]: 'open',
    });
    const store = await openEventStore({ kind: 'sqlite', path: storePath });
    expect((await listAlerts(store)).map((a) => [a.alertId, a.acknowledgedBy, a.acknowledgementNote])).toEqual([
      [BUFFER, 'A. Jansen', note],
    ]);
    await store.close();
  });

  it('a note above 500 characters is refused with the field and the rule; an unknown id in Dutch', async () => {
    const long = await runCli([
      'alerts',
      'ack',
      BELOW,
      '--by',
      'A. Jansen',
      '--note',
      'x'.repeat(501),
      '--store',
      storePath,
    ]);
    expect([long.code, long.stdout]).toEqual([2, '']);
    expect(long.stderr).toContain('--note: ten hoogste 500 tekens (nu 501); houd de notitie kort');
    const unknown = await runCli([
      'alerts',
      'ack',
      'H-none:below-minimum:2027-07',
      '--by',
      'A. Jansen',
      '--store',
      storePath,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('geen signaal met id H-none:below-minimum:2027-07');
  });

  it('alerts list: priority order, Dutch columns and reasons; --sort date; --json as stored', async () => {
    const ack = await runCli([
      'alerts',
      'ack',
      NEW_JOB,
      '--by',
      'A. Jansen',
      '--note',
      'vrijlating toegekend',
      '--store',
      storePath,
    ]);
    expect(ack.code, ack.stderr).toBe(0);
    const list = await runCli(['alerts', 'list', '--store', storePath]);
    const lines = list.stdout.split('\n');
    expect(lines.map((l) => l.split(/ {2,}/))).toEqual([
      ['prioriteit', 'huishouden', 'maand', 'soort', 'reden', 'status', 'signaal'],
      ['----------', '----------', '----------', '-'.repeat(26), '-'.repeat(152), '-'.repeat(51), '-'.repeat(40)],
      [
        'hoog',
        'H-couple',
        'juli 2027',
        'onder het bestaansminimum',
        'Onder het bestaansminimum: € 58,22 te weinig in juli 2027; een vordering van € 580,38 is verrekend en ' +
          'het bufferbudget van 2027 is op (€ 391,84 ingezet)',
        'open',
        BELOW,
      ],
      [
        'normaal',
        'H-couple',
        'juli 2027',
        'bufferbudget op',
        'Bufferbudget op: het bufferbudget van 2027 (€ 1.000,00) is in juli 2027 helemaal ingezet',
        'open',
        BUFFER,
      ],
      [
        'normaal',
        'H-couple',
        'maart 2027',
        'nieuwe inkomstenverhouding',
        'Nieuwe inkomstenverhouding bij Zorggroep Noord: eerste loonopgave in maart 2027',
        'afgehandeld door A. Jansen (“vrijlating toegekend”)',
        NEW_JOB,
      ],
      ['3 signalen'],
      [''],
    ]);
    // Columns line up: every row's id starts where the header's `signaal` does.
    const idAt = lines[0]!.indexOf('signaal');
    expect(lines.slice(2, 5).map((l) => l.slice(idAt))).toEqual([BELOW, BUFFER, NEW_JOB]);
    const byDate = await runCli([
      'alerts',
      'list',
      '--sort',
      'date',
      '--kind',
      'new-income-relationship',
      '--store',
      storePath,
    ]);
    const cells = (text: string) => text.split('\n').map((l) => l.split(/ {2,}/));
    expect(cells(byDate.stdout).slice(2)).toEqual([cells(list.stdout)[4], ['1 signaal'], ['']]);
    const json = await runCli(['alerts', 'list', '--json', '--household', 'H-couple', '--store', storePath]);
    const stored = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(
      stored.map((a) => [a.alertId, a.kind, a.amount ?? null, a.state, a.reason, a.acknowledgedBy ?? null]),
    ).toEqual([
      [BELOW, 'below-minimum', '58.22', 'new', 'claim offset; the bufferbudget was exhausted by this payment', null],
      [BUFFER, 'buffer-exhausted', null, 'new', 'the bufferbudget for 2027 is used up', null],
      [
        NEW_JOB,
        'new-income-relationship',
        null,
        'pending',
        'first statement of a new income relationship: consider an earnings disregard',
        'A. Jansen',
      ],
    ]);
    const wrong = await runCli(['alerts', 'list', '--sort', 'size', '--store', storePath]);
    expect([wrong.code, wrong.stderr]).toEqual([
      2,
      expect.stringContaining('Allowed choices are priority, date, amount.'),
    ]);
  });
});
