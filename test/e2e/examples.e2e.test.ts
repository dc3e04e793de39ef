import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
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
});
