import { beforeAll, describe, expect, it } from 'vitest';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import {
  createLogger,
  householdStream,
  loadMunicipalityConfig,
  RULES_ACCEPTANCES_STREAM,
  rulesVersionOf,
} from '@bijstand/platform';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { root, runCli } from './support/cli.js';

/** Issue #12, finding 6 (stores): a mistyped, missing, damaged or foreign store is a clear error, never a fresh empty one. */
const dir = mkdtempSync(join(tmpdir(), 'cli-stores-'));
const couple = join(dir, 'couple.sqlite');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe('the CLI and its store', () => {
  beforeAll(async () => {
    const scenario = parseScenario(
      JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'examples', 'couple-correction.scenario.json'), 'utf8')),
      defaultParameters,
    );
    const store = await openEventStore({ kind: 'sqlite', path: couple });
    await runScenarioThroughPipeline(scenario, store, createLogger('test', { level: 'silent' }));
    await store.close();
  });

  it('read-only commands and run-nightly on a mistyped --store: exit 2 naming the path, and no file is created', async () => {
    const path = join(dir, 'typo', 'evnets.sqlite');
    const results = await Promise.all([
      runCli(['household', 'list', '--store', path]),
      runCli(['rejected', 'list', '--store', path]),
      runCli(['run-nightly', '--json', '--date', '2028-03-01', '--store', path], {
        MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json',
      }),
    ]);
    for (const r of results) {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: no event store at ${path}; \`make run\` creates the demo store, --store PATH names another\n`,
      );
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('a damaged store: exit 1 with what SQLite found, for readers and writers; a writer changes nothing', async () => {
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'not a database '.repeat(100));
    const damaged = join(dir, 'damaged.sqlite');
    writeFileSync(damaged, readFileSync(couple));
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 2, 0x5a), 0, 4096 * 2, Math.floor(statSync(damaged).size / 2 / 4096) * 4096);
    closeSync(fd);
    const before = sha(damaged);
    const lines = join(dir, 'one.ndjson');
    writeFileSync(
      lines,
      `${JSON.stringify({ case: { type: 'CaseClosed', householdId: 'H-couple', endDate: '2027-12-31' } })}\n`,
    );
    const [list, ingest, nightly] = await Promise.all([
      runCli(['household', 'list', '--store', garbage]),
      runCli(['ingest', '--file', lines, '--store', damaged]),
      runCli(['run-nightly', '--json', '--date', '2028-03-01', '--store', damaged], {
        MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json',
      }),
    ]);
    expect(list.code).toBe(1);
    expect(list.stderr).toBe(
      `error: the event store at ${garbage} is damaged: file is not a database; nothing was read or written (restore the file from a backup)\n`,
    );
    for (const r of [ingest, nightly]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `error: the event store at ${damaged} is damaged: .+; nothing was read or written \\(restore the file from a backup\\)\\n$`,
        ),
      );
      noStack(r.stderr);
    }
    expect(sha(damaged)).toBe(before);
  });

  it('read-only commands open the store read-only: the file is not modified', async () => {
    const before = sha(couple);
    const [list, show] = await Promise.all([
      runCli(['household', 'list', '--store', couple]),
      runCli(['household', 'show', 'H-couple', '--store', couple]),
    ]);
    expect([list.code, show.code]).toEqual([0, 0]);
    expect(sha(couple)).toBe(before);
  });

  it('run-nightly on a store without households settles nothing and says so, naming the store', async () => {
    const empty = join(dir, 'empty.sqlite');
    await (await openEventStore({ kind: 'sqlite', path: empty })).close();
    const r = await runCli(['run-nightly', '--json', '--date', '2028-03-01', '--store', empty], {
      MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ households: 0, failures: [] });
    expect(r.stderr).toContain(
      `waarschuwing: de gebeurtenissenopslag sqlite:${empty} bevat geen huishoudens: er is niets vastgesteld ` +
        '(is --store of SQLITE_PATH de opslag die u bedoelde?)\n',
    );
  });

  it('an unknown event type: show and replay fail naming it (exit 1), run-nightly and runs report it', async () => {
    const odd = join(dir, 'odd.sqlite');
    writeFileSync(odd, readFileSync(couple));
    const store = await openEventStore({ kind: 'sqlite', path: odd });
    const revision = (await store.readStream(householdStream('H-couple'))).length;
    await store.append(householdStream('H-couple'), [
      { eventId: 'odd', type: 'BenefitSuspended', schemaVersion: 1, recordedAt: '2028-01-10T00:00:00Z', data: {} },
    ]);
    // The demo file's rules differ from the worked example's (the norm row's source): accepted, so the night runs.
    const { ctx } = loadMunicipalityConfig(join(root, 'infra/config/demo-municipality.json'));
    await store.append(RULES_ACCEPTANCES_STREAM, [
      {
        eventId: 'accept',
        type: 'RulesVersionAccepted',
        schemaVersion: 1,
        recordedAt: '2028-01-10T00:00:00Z',
        data: { rulesVersion: rulesVersionOf(ctx.params, ctx.policy), acceptedBy: 'test', reason: 'the demo file' },
      },
    ]);
    await store.close();
    const expected = `household H-couple: event BenefitSuspended schema version 1 at revision ${revision}: not an event type this engine knows; the household is not loaded (an engine that reads it is needed)`;
    const cfg = { MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json' };
    const [show, replay, nightly] = await Promise.all([
      runCli(['household', 'show', 'H-couple', '--store', odd]),
      runCli(['replay', 'H-couple', '--as-of', '2028-02-01T00:00:00Z', '--store', odd], cfg),
      runCli(['run-nightly', '--json', '--date', '2028-03-01', '--store', odd], cfg),
    ]);
    for (const r of [show, replay]) {
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([`error: ${expected}`]);
    }
    expect(nightly.code).toBe(1);
    expect(JSON.parse(nightly.stdout)).toMatchObject({
      households: 1,
      monthsSettled: 0,
      failures: [{ householdId: 'H-couple', error: expected }],
    });
    // The backoffice sees it in the run history, without the log (issue #24).
    const runs = await runCli(['runs', '--last', '1', '--store', odd]);
    expect(runs.stdout.split('\n').slice(-2)).toEqual([`2028-03-01: mislukt H-couple: ${expected}`, '']);
  });
  it('store copy: the whole store into a new file, verified; the copy reads the same; a second copy into it is refused (exit 2), the source unchanged', async () => {
    const copy = join(dir, 'copy.sqlite');
    const before = sha(couple);
    const copied = await runCli(['store', 'copy', '--store', couple, '--to', copy, '--verify'], {
      LOG_LEVEL: 'silent',
    });
    expect(copied.code).toBe(0);
    const lines = copied.stdout.match(
      /^([\d.]+) gebeurtenissen van [\d.]+ streams, 1 snapshot en ([\d.]+) berichtclaims gekopieerd van sqlite:.*couple\.sqlite naar sqlite:.*copy\.sqlite in \d+,\d s\ngecontroleerd: [\d.]+ streams; de JSON-tekst van elke gebeurtenis, elke snapshot en elke berichtclaim zijn gelijk\n$/,
    );
    expect(lines, copied.stdout).not.toBeNull();
    // The couple's statements: each messageId's claim went along.
    expect(Number(lines![2])).toBeGreaterThan(0);
    const [a, b] = await Promise.all([
      runCli(['household', 'list', '--store', couple]),
      runCli(['household', 'list', '--store', copy]),
    ]);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stdout).toMatch(/1 huishouden\n$/);
    const again = await runCli(['store', 'copy', '--store', couple, '--to', copy], { LOG_LEVEL: 'silent' });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `error: the target store sqlite:${copy} already holds events: a copy goes into an empty store only; name a new file or an empty database\n`,
    );
    expect(sha(couple)).toBe(before);
  });
});
