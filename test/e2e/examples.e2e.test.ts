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
  it('finds the four public examples in the repo fixtures', () => {
    expect(names.sort()).toEqual(['couple-correction', 'ferd-four-weekly', 'ikb-december', 'job-ends-rule-c']);
  });

  for (const name of names) {
    it(`${name}: output is byte-identical to the expected result`, () => {
      const out = cli('scenario', join(examples, `${name}.scenario.json`));
      expect(out).toBe(readFileSync(join(examples, `${name}.expected.json`), 'utf8'));
    });
  }
});
