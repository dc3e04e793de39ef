import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Documents are data in, document out: the same case file gives the same letter, byte for byte. So no
 * I/O, clock, randomness or environment in packages/documents/src, except in output.ts (writing a
 * document, PDF through chromium), which the main entry point does not export.
 */
const srcDir = join(import.meta.dirname, '..', 'src');
const IO_MODULE = 'output.ts';

function impurityIn(file: string, text: string): string[] {
  const patterns: Array<[RegExp, string]> = [
    [/from ['"](node:)?(fs|fs\/promises|net|http|https|child_process|os|worker_threads|process)['"]/, 'imports I/O'],
    [/\bDate\.now\(|\bnew Date\(\)|performance\.now\(/, 'reads the clock'],
    [/\bMath\.random\(|crypto\.random/, 'uses randomness'],
    [/\bprocess\.(env|argv|stdout|stderr|exit|cwd)/, 'reads the process environment'],
  ];
  return text
    .split('\n')
    .flatMap((line, i) => patterns.filter(([re]) => re.test(line)).map(([, what]) => `${file}:${i + 1}: ${what}`));
}

describe('packages/documents is pure (data in, document out)', () => {
  // Subfolders too: the terminal views (terminal/) are as pure as the documents.
  const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && f !== IO_MODULE,
  );

  it('does no I/O and reads no clock, randomness or environment outside output.ts', () => {
    expect(files).toContain('residentLetter.ts');
    expect(files).toContain(join('terminal', 'householdView.ts'));
    expect(files.flatMap((f) => impurityIn(f, readFileSync(join(srcDir, f), 'utf8')))).toEqual([]);
  });

  it('the main entry point does not export the I/O module (that is @bijstand/documents/output)', () => {
    const index = readFileSync(join(srcDir, 'index.ts'), 'utf8');
    expect(index).not.toMatch(/['"]\.\/output(\.js)?['"]/);
    expect(impurityIn(IO_MODULE, readFileSync(join(srcDir, IO_MODULE), 'utf8'))).not.toEqual([]);
  });

  it('the check finds what it looks for', () => {
    const bad = ["import { readFileSync } from 'node:fs';", 'Date.now();', 'Math.random();', 'process.env.X;'];
    expect(impurityIn('bad.ts', bad.join('\n'))).toEqual([
      'bad.ts:1: imports I/O',
      'bad.ts:2: reads the clock',
      'bad.ts:3: uses randomness',
      'bad.ts:4: reads the process environment',
    ]);
  });
});
