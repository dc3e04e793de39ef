import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const examples = join(root, 'test', 'fixtures', 'examples');
const cli = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'packages/cli/src/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('worked examples through the pipeline on the SQLite store (ingest → store → nightly runs)', () => {
  for (const name of ['couple-correction', 'ferd-four-weekly', 'ikb-december', 'job-ends-rule-c']) {
    it(`${name}: identical to the reference result`, () => {
      const db = join(mkdtempSync(join(tmpdir(), 'e2e-')), 'events.sqlite');
      const out = cli('scenario', join(examples, `${name}.scenario.json`), '--store', db);
      expect(out).toBe(readFileSync(join(examples, `${name}.expected.json`), 'utf8'));
    });
  }

  it('a malformed scenario exits non-zero and names what is wrong', () => {
    let stderr = '';
    let status = 0;
    try {
      cli('scenario', join(root, 'test', 'fixtures', 'malformed.scenario.json'));
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: string }).stderr);
    }
    expect(status).toBe(2);
    // The file's own structure stops it; an input's message is only checked when recorded (SPEC §12.13).
    expect(stderr).toContain('runs.to: must not be before from');
    expect(stderr).not.toContain('inputs.0.statement.bsn');
  });
});
