import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const examples = join(root, 'test', 'fixtures', 'examples');
const names = readdirSync(examples)
  .filter((f) => f.endsWith('.scenario.json'))
  .map((f) => f.replace('.scenario.json', ''));

function cli(...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(root, 'packages/cli/src/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

/** stdout and stderr of a CLI run that succeeds. */
function cliWithStderr(...args: string[]): { stdout: string; stderr: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'examples-')), 'stderr.txt');
  const main = join(root, 'packages/cli/src/main.ts');
  const stdout = execFileSync(
    '/bin/sh',
    ['-c', `"$0" --import tsx "$@" 2>"${file}"`, process.execPath, main, ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent' },
    },
  );
  return { stdout, stderr: readFileSync(file, 'utf8') };
}

describe('worked examples through the CLI (SPEC §11)', () => {
  it('finds the ten worked examples of SPEC v3 in the repo fixtures', () => {
    expect(names.sort()).toEqual([
      'couple-correction',
      'disregard-kinds-2026-2027',
      'ferd-four-weekly',
      'gifts-and-measure',
      'ikb-december',
      'job-ends-rule-c',
      'partner-not-entitled',
      'payslip-then-polis',
      'single-parent-partner-abroad',
      'work-disregard-run',
    ]);
  });

  for (const name of names) {
    it(`${name}: output is byte-identical to the expected result, through the pipeline and through the domain alone`, () => {
      const expected = readFileSync(join(examples, `${name}.expected.json`), 'utf8');
      expect(cli('scenario', join(examples, `${name}.scenario.json`))).toBe(expected);
      expect(cli('scenario', join(examples, `${name}.scenario.json`), '--engine', 'domain')).toBe(expected);
    });
  }

  it('a schema-invalid case event in the middle is rejected with its reason and the scenario runs to the end (SPEC §11)', () => {
    // work-disregard-run with a grant without `to` inserted between its inputs: v2 stopped the whole run on it.
    const scenario = JSON.parse(readFileSync(join(examples, 'work-disregard-run.scenario.json'), 'utf8'));
    const bad = {
      type: 'EarningsDisregardGranted',
      householdId: 'H-run',
      bsn: '111222333',
      kind: 'work',
      from: '2027-06-01',
    };
    scenario.inputs.splice(4, 0, { recordedAt: '2027-05-10T09:00:00Z', case: bad });
    const file = join(mkdtempSync(join(tmpdir(), 'examples-')), 'with-invalid.scenario.json');
    writeFileSync(file, JSON.stringify(scenario));
    const expected = readFileSync(join(examples, 'work-disregard-run.expected.json'), 'utf8');
    const reason = 'to: is required for a grant of kind work: art. 34a(1)(a) grants it for a limited period';
    const pipeline = cliWithStderr('scenario', file);
    expect(pipeline.stdout).toBe(expected);
    expect(pipeline.stderr).toContain(`rejected inputs[4]: ${reason}`);
    const domain = cliWithStderr('scenario', file, '--engine', 'domain');
    expect(domain.stdout).toBe(expected);
    expect(domain.stderr).toContain(`rejected input recorded at 2027-05-10T09:00:00Z: ${reason}`);
  });
});
