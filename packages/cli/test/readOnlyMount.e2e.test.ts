import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParameters, defaultPolicy, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { root, runCli, type CliResult } from './support/cli.js';

/**
 * Issue #21: a store on a read-only mount refused even the read-only commands ("unable to open database
 * file": SQLite cannot create the WAL index next to the file). Read commands now read it; a writer is
 * refused at open, exit 2. As root the mount is a real read-only bind mount (`unshare -m`); otherwise the
 * directory and files lose their write permission, which SQLite meets the same way.
 */
const dir = mkdtempSync(join(tmpdir(), 'cli-read-only-'));
const asRoot = process.getuid?.() === 0;
const canMount = asRoot && spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind "${dir}" "${dir}"`]).status === 0;
const logger = createLogger('test', { level: 'silent' });
const cfg = { MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json' };

/** `./cli args` with `folder` read-only: a read-only bind mount as root, no write permission otherwise. */
function runReadOnly(folder: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  if (!asRoot) return runCli(args, env);
  const script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"';
  const child = spawn('unshare', ['-m', 'sh', '-c', script, folder, join(root, 'cli'), ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** A folder holding a copy of the store's files (`with`: which of the -wal/-shm files come along). */
function folderWith(name: string, files: Record<string, string>): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (const [from, to] of Object.entries(files)) copyFileSync(from, join(folder, to));
  if (!asRoot) {
    for (const f of readdirSync(folder)) chmodSync(join(folder, f), 0o444);
    chmodSync(folder, 0o555);
  }
  return folder;
}

let closed: string;
let liveWithLog: string;
let expectedList: string;

describe.skipIf(asRoot && !canMount)('a store on a read-only mount', () => {
  beforeAll(async () => {
    const scenario = parseScenario(
      JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'examples', 'couple-correction.scenario.json'), 'utf8')),
      defaultParameters,
    );
    const source = join(dir, 'source.sqlite');
    const store = await openEventStore({ kind: 'sqlite', path: source });
    await runScenarioThroughPipeline(scenario, store, logger);
    // A copy taken while a writer has the store open: its last commits are in the -wal file only.
    const opened = { type: 'CaseOpened', householdId: 'H-late', category: 'single', startDate: '2027-01-01' };
    const late = await new Ingestor(store, { params: defaultParameters, policy: defaultPolicy }, logger).ingest({
      kind: 'case',
      payload: JSON.stringify({ ...opened, members: [{ bsn: '200000068', role: 'applicant' }] }),
      recordedAt: '2027-01-05T09:00:00Z',
      source: { type: 'inline', reference: 'test' },
    });
    expect(late.status).toBe('recorded');
    expect(existsSync(`${source}-wal`)).toBe(true);
    liveWithLog = folderWith('live', { [source]: 'events.sqlite', [`${source}-wal`]: 'events.sqlite-wal' });
    await store.close();
    closed = folderWith('closed', { [source]: 'events.sqlite' });
    expect(existsSync(`${source}-wal`)).toBe(false);
    const list = await runCli(['household', 'list', '--store', source]);
    expect(list.code, list.stderr).toBe(0);
    expectedList = list.stdout;
  });

  it('read commands work on a closed store and on a copy with its write-ahead log, and leave the folder as it was', async () => {
    for (const folder of [closed, liveWithLog]) {
      const store = join(folder, 'events.sqlite');
      const before = readdirSync(folder).sort();
      const [list, show, replay, rejected] = await Promise.all([
        runReadOnly(folder, ['household', 'list', '--store', store]),
        runReadOnly(folder, ['household', 'show', 'H-couple', '--store', store]),
        runReadOnly(folder, ['replay', 'H-couple', '--as-of', '2028-02-01T00:00:00Z', '--store', store], cfg),
        runReadOnly(folder, ['rejected', 'list', '--store', store]),
      ]);
      for (const r of [list, show, replay, rejected]) expect(r.code, r.stderr).toBe(0);
      // The copy with the log holds the event committed to the log only: H-late is there.
      expect(list.stdout).toBe(expectedList);
      expect(list.stdout).toMatch(/^H-late\b/m);
      expect(show.stdout).toMatch(/^Huishouden H-couple/);
      expect(readdirSync(folder).sort()).toEqual(before);
    }
  });

  it('a writer on it is refused at open (exit 2), not at its first append', async () => {
    const store = join(closed, 'events.sqlite');
    const night = await runReadOnly(closed, ['run-nightly', '--date', '2028-03-01', '--store', store], cfg);
    expect(night.code).toBe(2);
    expect(night.stderr).toMatch(
      new RegExp(
        `^error: the event store at ${store} cannot be opened for writing: .*\\(check the file's and its directory's permissions\\)\\n$`,
      ),
    );
  });
});
