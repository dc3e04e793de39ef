import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { root, runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-e2e-'));
const storePath = join(dir, 'couple.sqlite');
const logger = createLogger('test', { level: 'silent' });

describe('the backoffice CLI as a user runs it (./cli)', () => {
  beforeAll(async () => {
    const scenario = parseScenario(
      JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'examples', 'couple-correction.scenario.json'), 'utf8')),
      defaultParameters,
    );
    const store = await openEventStore({ kind: 'sqlite', path: storePath });
    await runScenarioThroughPipeline(scenario, store, logger);
    await store.close();
  });

  it('prints help for the program (--help, -h, help) with the exit codes, and for every command', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: cli <command> [options]');
      expect(r.stdout).toContain('3  done with rejected input');
    }
    const r = await runCli(['help', 'run-nightly']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--at <HH:MM>');
    expect(r.stdout).toContain('Europe/Amsterdam');
  });

  it('refuses an unknown flag with exit 2, suggesting the right one and listing the accepted ones', async () => {
    const r = await runCli([
      'replay',
      'H-couple',
      '--as-of',
      '2027-08-01T00:00:00Z',
      '--reprot',
      join(dir, 'x.md'),
      '--store',
      storePath,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--reprot'");
    expect(r.stderr).toContain('(Did you mean --report?)');
    expect(r.stderr).toContain('--report <FILE>');
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'x.md'))).toBe(false);
  });

  it('refuses an impossible date with exit 2 and stores nothing', async () => {
    const path = join(dir, 'untouched.sqlite');
    const r = await runCli(['run-nightly', '--date', '2028-02-30', '--store', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "error: option '--date <YYYY-MM-DD>' argument '2028-02-30' is invalid. must be a calendar date YYYY-MM-DD",
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a value outside the choices, naming them, and an instant that is not UTC', async () => {
    const kind = await runCli(['alerts', 'list', '--kind', 'urgent', '--store', storePath]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain(
      'Allowed choices are below-minimum, buffer-exhausted, large-claim, income-outside-case, new-income-relationship, disregard-ending, gifts-above-free-amount, payment-failed.',
    );
    const asOf = await runCli(['household', 'show', 'H-couple', '--as-of', '2027-08-01 00:00', '--store', storePath]);
    expect(asOf.code).toBe(2);
    expect(asOf.stderr).toContain(
      'must be a date YYYY-MM-DD (the end of that day, Europe/Amsterdam) or a UTC instant like 2027-08-01T00:00:00Z',
    );
  });

  it('refuses an unbounded name or reason for rules accept (they are stored in an event), exit 2', async () => {
    const args = ['rules', 'accept', 'engine-3.0.0+rules-000000000000', '--store', storePath];
    const long = await runCli([...args, '--by', 'x'.repeat(101), '--reason', 'norms']);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain("option '--by <NAME>' argument 'xxxx");
    expect(long.stderr).toContain('at most 100 characters (got 101).');
    const blank = await runCli([...args, '--by', 'A. Backoffice', '--reason', '  ']);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('must not be empty.');
  });

  it('a household that is not in the store is a usage error, not a stack trace', async () => {
    const r = await runCli(['household', 'show', 'H-nobody', '--store', storePath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: household H-nobody has no events in this store (sqlite:${storePath}); \`./cli household list\` shows the households there\n`,
    );
  });

  it('household show gives the members with masked BSNs and the case facts; list filters by claim and status', async () => {
    const show = await runCli(['household', 'show', 'H-couple', '--store', storePath]);
    expect(show.code).toBe(0);
    const head = show.stdout.split('\n').slice(0, 7);
    expect(head[0]).toBe('Huishouden H-couple');
    expect(head[1]).toBe('  zaak       vanaf 1 januari 2027 (open)');
    expect(head[2]).toMatch(/^ {2}aanvrager {2}BSN \*{5}\d{4}$/);
    expect(head[3]).toMatch(/^ {2}partner {4}BSN \*{5}\d{4}$/);
    expect(head[4]).toBe('  huishouden gehuwden, 2 kostendelers, vanaf 1 januari 2027');
    expect(show.stdout).toContain('maart 2027      € 2.040,00    € 868,80    € 130,32  € 1.199,52');
    expect(show.stdout).toContain('\nsignaal juli 2027: onder het bestaansminimum € 58,22\n');
    expect(show.stdout).not.toMatch(/(?<!\d)\d{9}(?!\d)/);

    const open = await runCli(['household', 'list', '--status', 'open', '--claim', 'no', '--store', storePath]);
    expect(open.code).toBe(0);
    expect(open.stdout).toContain('H-couple');
    expect(open.stdout.trimEnd().split('\n').at(-1)).toBe('1 huishouden');
    const claims = await runCli(['household', 'list', '--claim', 'yes', '--store', storePath]);
    expect(claims.stdout.trimEnd().split('\n').at(-1)).toBe('0 huishoudens');
  });

  it('ingest with every line rejected exits 3 and says so', async () => {
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, '{"kind":"statement","payload":{"messageId":"x"}}\nnot json\n');
    const r = await runCli(['ingest', '--file', file, '--kind', 'statement', '--store', join(dir, 'ingest.sqlite')], {
      MUNICIPALITY_CONFIG: join(root, 'infra', 'config', 'demo-municipality.json'),
    });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ recorded: 0, duplicate: 0, parked: 0, rejected: 2 });
    expect(r.stderr).toContain('2 van de 2 berichten afgewezen');
  });

  it('buffer report: ; separated UTF-8 with BOM, decimal comma on request, totals apart on stderr', async () => {
    const r = await runCli(['buffer', 'report', '--year', '2027', '--decimal-comma', '--store', storePath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('\uFEFFhouseholdId;year;drawn;remaining;draws\r\nH-couple;2027;1000,00;0,00;2\r\n');
    expect(r.stderr).toBe('bufferbudget 2027: € 1.000,00 ingezet voor 1 huishouden in 2 keer\n');
  });

  it('replay --rules now without MUNICIPALITY_CONFIG: refused on a store that had one; --national-defaults warns', async () => {
    const args = ['replay', 'H-couple', '--as-of', '2027-08-01T00:00:00Z', '--rules', 'now', '--store', storePath];
    const refused = await runCli(args, { MUNICIPALITY_CONFIG: '' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("error: MUNICIPALITY_CONFIG is not set, but this store's nights ran under");
    const r = await runCli([...args, '--national-defaults'], { MUNICIPALITY_CONFIG: '' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "warning: MUNICIPALITY_CONFIG is not set: --rules now compares with the national tables and default policy, not the municipality's",
    );
  });
});
