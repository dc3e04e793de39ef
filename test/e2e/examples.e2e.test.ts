import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from '../../packages/cli/test/support/cli.js';
import { runCliSession } from '../../packages/cli/test/support/session.js';

const root = join(import.meta.dirname, '..', '..');
const examples = join(root, 'test', 'fixtures', 'examples');
const names = readdirSync(examples)
  .filter((f) => f.endsWith('.scenario.json'))
  .map((f) => f.replace('.scenario.json', ''));

// work-disregard-run with a grant without `to` inserted between its inputs: v2 stopped the whole run on it.
const withInvalid = join(mkdtempSync(join(tmpdir(), 'examples-')), 'with-invalid.scenario.json');

/**
 * Every CLI command line of this file, run once in one CLI session (one process: starting the CLI costs ~2.5 s
 * of CPU each time, the 22 runs ~20 s together); each test reads the output of its own command lines.
 */
const runs = new Map<string, CliResult>();
const commandLines = [
  ...names.flatMap((name) => [
    ['scenario', join(examples, `${name}.scenario.json`)],
    ['scenario', join(examples, `${name}.scenario.json`), '--engine', 'domain'],
  ]),
  ['scenario', withInvalid],
  ['scenario', withInvalid, '--engine', 'domain'],
];

/** stdout of a CLI run that succeeds (exit code 0). */
function cli(...args: string[]): string {
  return cliWithStderr(...args).stdout;
}

/** stdout and stderr of a CLI run that succeeds. */
function cliWithStderr(...args: string[]): { stdout: string; stderr: string } {
  const r = runs.get(args.join(' '))!;
  expect(r.code, r.stderr).toBe(0);
  return r;
}

beforeAll(async () => {
  const scenario = JSON.parse(readFileSync(join(examples, 'work-disregard-run.scenario.json'), 'utf8'));
  const bad = {
    type: 'EarningsDisregardGranted',
    householdId: 'H-run',
    bsn: '111222333',
    kind: 'work',
    from: '2027-06-01',
  };
  scenario.inputs.splice(4, 0, { recordedAt: '2027-05-10T09:00:00Z', case: bad });
  writeFileSync(withInvalid, JSON.stringify(scenario));
  const results = await runCliSession(
    commandLines.map((args) => ({ args })),
    { LOG_LEVEL: 'silent' },
  );
  commandLines.forEach((args, i) => runs.set(args.join(' '), results[i]!));
  // The 22 runs that had a test's 60 s each before: ~20 s of CPU in all, minutes on a machine shared 6 ways.
}, 300_000);

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
    const expected = readFileSync(join(examples, 'work-disregard-run.expected.json'), 'utf8');
    const reason = 'to: is required for a grant of kind work: art. 34a(1)(a) grants it for a limited period';
    const pipeline = cliWithStderr('scenario', withInvalid);
    expect(pipeline.stdout).toBe(expected);
    expect(pipeline.stderr).toContain(`rejected inputs[4]: ${reason}`);
    const domain = cliWithStderr('scenario', withInvalid, '--engine', 'domain');
    expect(domain.stdout).toBe(expected);
    expect(domain.stderr).toContain(`rejected input recorded at 2027-05-10T09:00:00Z: ${reason}`);
  });
});
