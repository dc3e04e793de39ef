import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '@bijstand/event-store';
import { runCli, type CliResult } from './support/cli.js';

/**
 * Issue #12, finding 5: a BSN never appears in clear in anything the CLI shows or writes, also when
 * the input is hostile: a household id from the case system holding a BSN, a BSN as a JSON key, a BSN
 * in a file name, in a line that is not JSON, written as 1234.56.789.
 */
const dir = mkdtempSync(join(tmpdir(), 'cli-privacy-'));
const store = join(dir, 'demo.sqlite');
const HOUSEHOLD_BSN = '231469949';
const hostileFile = join(dir, 'case-231510469.ndjson');
const hostile = [
  {
    case: {
      type: 'CaseOpened',
      householdId: `H-${HOUSEHOLD_BSN}`,
      members: [{ bsn: '231486157', role: 'applicant' }],
      category: 'single',
      startDate: '2027-01-01',
    },
  },
  { case: { type: 'CaseClosed', householdId: 'H-x', endDate: '2027-01-01', '231495274': 1 } },
  {
    case: {
      type: 'EarningsDisregardGranted',
      householdId: `H-${HOUSEHOLD_BSN}`,
      bsn: '231504391',
      from: '2027-03-01',
      to: '2028-02-29',
    },
  },
  'not json at all 231506417',
  {
    case: {
      type: 'CaseOpened',
      householdId: 'H-dotted',
      members: [{ bsn: '2315.06.417', role: 'applicant' }],
      category: 'single',
      startDate: '2027-01-01',
    },
  },
  {
    statement: {
      messageId: 'm-hostile',
      bsn: '231486157',
      employer: { payrollTaxNumber: '231504391L01' },
      incomeRelationshipId: 'IKV-231504391',
      period: { start: '2027-02-01', end: '2027-02-28', kind: 'month' },
      taxableWage: 'lots',
      withheldTax: '0.00',
      kind: 'initial',
      paymentDate: '2027-02-25',
    },
  },
];
const hostileBsns = ['231469949', '231486157', '231495274', '231504391', '231506417', '231510469'];

const outputs: Array<{ what: string; text: string }> = [];
const record = (what: string, r: CliResult) => (
  outputs.push({ what: `${what} (stdout)`, text: r.stdout }, { what: `${what} (stderr)`, text: r.stderr }),
  r
);

/** Every BSN that went into the store: members, grants and statements of the demo and the hostile input. */
async function fedBsns(): Promise<string[]> {
  const s = await openEventStore({ kind: 'sqlite', path: store, mode: 'read-only' });
  const all = new Set(hostileBsns);
  for (const e of await s.readAll())
    for (const m of JSON.stringify(e.data).matchAll(/"bsn":"(\d{9})"/g)) all.add(m[1]!);
  await s.close();
  return [...all];
}

describe('no BSN in clear in any output of a full demo and the commands after it (hostile input included)', () => {
  beforeAll(async () => {
    writeFileSync(hostileFile, hostile.map((h) => (typeof h === 'string' ? h : JSON.stringify(h))).join('\n') + '\n');
    const demo = record(
      'demo',
      await runCli(['--insecure-dev-key', 'demo', '--households', '2', '--store', store], { LOG_LEVEL: 'info' }),
    );
    expect(demo.stdout).toContain('Samenvatting');
    expect(demo.stderr.split('\n')[0]).toBe(
      'waarschuwing: --insecure-dev-key: de BSN-pseudoniemen gebruiken de openbare ontwikkelsleutel; ' +
        'iedereen kan ze terugrekenen (alleen voor synthetische gegevens)',
    );
    const ingest = record(
      'ingest',
      await runCli(['--insecure-dev-key', 'ingest', '--file', hostileFile, '--store', store], { LOG_LEVEL: 'info' }),
    );
    expect(ingest.code).toBe(3);
    // The household id holding a BSN is refused at ingest (issue #22), so its grant (line 3) is refused too.
    expect(JSON.parse(ingest.stdout)).toEqual({ recorded: 0, duplicate: 0, parked: 0, rejected: 6 });
  }, 60_000);

  it('household, rejected, replay (with report), alerts, buffer, a night, runs: masked, no fed BSN', async () => {
    const report = join(dir, 'report.md');
    const csv = join(dir, 'buffer.csv');
    const totals = join(dir, 'totals.json');
    // As after `make run`: no key in the environment (the demo store holds the development key's check value).
    const noKey = { BSN_PSEUDONYM_KEY: '' };
    const cfg = { MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json', LOG_LEVEL: 'info', ...noKey };
    const id = `H-${HOUSEHOLD_BSN}`;
    const [list, show, rejected, replay, alerts, alertsOne, buffer, missing, rejectedText] = await Promise.all([
      runCli(['household', 'list', '--store', store], noKey),
      runCli(['household', 'show', id, '--store', store], noKey),
      runCli(['rejected', 'list', '--json', '--store', store], noKey),
      runCli(['replay', 'H-ferd', '--as-of', '2028-01-01T00:00:00Z', '--report', report, '--store', store], cfg),
      runCli(['alerts', 'list', '--store', store], noKey),
      runCli(['alerts', 'list', '--household', id, '--store', store], noKey),
      runCli(['buffer', 'report', '--year', '2027', '--out', csv, '--totals', totals, '--store', store], noKey),
      runCli(['household', 'show', 'H-nobody-231510469', '--store', store], noKey),
      runCli(['rejected', 'list', '--all', '--store', store], noKey),
    ]).then((rs) =>
      rs.map((r, i) =>
        record(
          ['list', 'show', 'rejected', 'replay', 'alerts', 'alerts --household', 'buffer', 'show missing', 'rejected'][
            i
          ]!,
          r,
        ),
      ),
    );
    const nightly = record('run-nightly', await runCli(['run-nightly', '--date', '2028-03-01', '--store', store], cfg));
    const runs = record('runs', await runCli(['runs', '--store', store], noKey));

    expect(list!.code).toBe(0);
    expect(list!.stdout).toMatch(/^H-ferd +alleenstaande +1 +1 november 2026/m);
    expect(list!.stdout).not.toMatch(/^H-\*/m);
    expect(show!.code).toBe(2);
    expect(show!.stderr).toMatch(/^error: household H-\*{5}9949 has no events/m);
    const file = `bestand ${join(dir, 'case-*****0469.ndjson')}`;
    const bsnLikeId =
      'householdId: must not hold a run of 9 or more digits (it could be a BSN, and the id shows in URLs and logs)';
    expect(
      (JSON.parse(rejected!.stdout) as Array<Record<string, string>>)
        .filter((r) => r.source!.startsWith('bestand '))
        .map((r) => `${r.kind} ${r.householdId} ${r.source}: ${r.reason}`),
    ).toEqual([
      `case H-*****9949 ${file}, regel 1: ${bsnLikeId}`,
      `case H-x ${file}, regel 2: (message): Unrecognized key: "*****5274"`,
      `case H-*****9949 ${file}, regel 3: ${bsnLikeId}`,
      `statement null ${file}, regel 4: payload: is not valid JSON`,
      `case H-dotted ${file}, regel 5: members.0.bsn: must be exactly 9 digits; members.0.bsn: fails the elfproef`,
      `statement null ${file}, regel 6: taxableWage: must be an amount with at most 2 decimals, like "1401.50"`,
    ]);
    expect(rejectedText!.stdout).toContain(`  huishouden H-*****9949 · bericht - · bron: ${file}, regel 3\n`);
    expect(replay!.code).toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('H-ferd');
    expect(missing!.code).toBe(2);
    expect(missing!.stderr).toMatch(/^error: household H-nobody-\*{5}0469 has no events/);
    expect(nightly.code).toBe(0);
    expect(runs.code).toBe(0);
    for (const r of [alerts!, alertsOne!, buffer!]) expect(r.code).toBe(0);

    const files = [report, csv, totals].map((f) => ({ what: f, text: readFileSync(f, 'utf8') }));
    const bsns = await fedBsns();
    expect(bsns.length).toBeGreaterThan(10);
    const leaks = [...outputs, ...files].flatMap((o) =>
      bsns.filter((b) => o.text.includes(b)).map((b) => `${o.what}: ${b}`),
    );
    expect(leaks).toEqual([]);
    expect(outputs.map((o) => o.text).join('')).toContain('*****'); // masked, not merely absent
  }, 60_000);

  it('no IBAN in clear either (#25): demo, payments export and reconcile, a rejected account, logs', async () => {
    const noKey = { BSN_PSEUDONYM_KEY: '' };
    const cfg = { MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json', LOG_LEVEL: 'info', ...noKey };
    const bankFile = join(dir, 'bank.xml');
    const badAccount = join(dir, 'bad-account.ndjson');
    const wrong = 'NL92ABNA0417164300';
    writeFileSync(
      badAccount,
      `${JSON.stringify({ type: 'PaymentAccountRecorded', householdId: 'H-couple', bsn: '123456782', iban: wrong, holder: 'X', from: '2027-01-01' })}\n`,
    );
    const run = async (what: string, args: string[], env: Record<string, string>) =>
      record(what, await runCli(args, env));
    const exported = await run(
      'payments export',
      ['payments', 'export', '--payday', '2027-05-25', '--out', bankFile, '--store', store],
      cfg,
    );
    expect(exported.code, exported.stderr).toBe(0);
    await run('payments reconcile', ['payments', 'reconcile', '--payday', '2027-05-25', '--store', store], cfg);
    expect(
      (
        await run(
          'ingest account',
          ['--insecure-dev-key', 'ingest', '--file', badAccount, '--kind', 'case', '--store', store],
          { LOG_LEVEL: 'info' },
        )
      ).code,
    ).toBe(3);
    await run('rejected list (account)', ['rejected', 'list', '--store', store], noKey);
    const s = await openEventStore({ kind: 'sqlite', path: store, mode: 'read-only' });
    const ibans = (await s.readAll())
      .filter((e) => e.type === 'PaymentAccountRecorded')
      .map((e) => (e.data as { iban: string }).iban);
    await s.close();
    expect(ibans.length).toBeGreaterThan(2);
    // The bank's file carries them (it must); no output a person or a log reads does.
    expect(ibans.filter((iban) => readFileSync(bankFile, 'utf8').includes(iban)).length).toBeGreaterThan(2);
    const leaks = outputs.flatMap((o) =>
      [...ibans, wrong].filter((i) => o.text.includes(i)).map((i) => `${o.what}: ${i}`),
    );
    expect(leaks).toEqual([]);
    expect(outputs.map((o) => o.text).join('')).toContain('iban: check digits are wrong (ISO 13616 mod 97)');
  }, 60_000);

  it('outside tests, ingest without BSN_PSEUDONYM_KEY refuses to start (exit 2) and writes nothing', async () => {
    const path = join(dir, 'never.sqlite');
    for (const key of ['', 'too-short']) {
      const r = await runCli(['ingest', '--file', hostileFile, '--store', path], {
        NODE_ENV: '',
        BSN_PSEUDONYM_KEY: key,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: BSN_PSEUDONYM_KEY/);
    }
    await expect(openEventStore({ kind: 'sqlite', path, mode: 'read-only' })).rejects.toThrow(
      `no event store at ${path}`,
    );
  });
});
