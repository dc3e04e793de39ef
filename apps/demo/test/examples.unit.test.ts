import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_EXAMPLES_DIR } from '../src/index.js';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

/** The demo ships its own copy of the worked examples (it must not read test fixtures at run time): the same bytes. */
describe("the demo's worked examples", () => {
  it('are the test fixtures, file for file and byte for byte', () => {
    const names = jsonFiles(fixtures);
    expect(names).toContain('couple-correction.scenario.json');
    expect(jsonFiles(DEMO_EXAMPLES_DIR)).toEqual(names);
    for (const name of names)
      expect(readFileSync(join(DEMO_EXAMPLES_DIR, name), 'utf8'), name).toBe(
        readFileSync(join(fixtures, name), 'utf8'),
      );
  });
});

describe('the demo at run time', () => {
  it('reads no test fixtures and loads no testkit', () => {
    const src = join(import.meta.dirname, '..', 'src');
    for (const file of readdirSync(src)) {
      const text = readFileSync(join(src, file), 'utf8');
      expect(text, file).not.toMatch(/@bijstand\/testkit|fixtures/);
    }
  });
});
