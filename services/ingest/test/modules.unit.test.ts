import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The ingestor is a small facade over one module per step of a message's path; those modules import
 * each other one way only (a cycle would tie the paths back into one).
 */
const srcDir = join(import.meta.dirname, '..', 'src');
const modules = readdirSync(srcDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const importsOf = (module: string) =>
  [...readFileSync(join(srcDir, `${module}.ts`), 'utf8').matchAll(/from '\.\/([\w]+)\.js'/g)].map((m) => m[1]!);

/** Each cycle as the path that closes it, e.g. a → b → a. */
export function cyclesIn(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]) => {
    if (path.includes(node)) {
      found.push([...path.slice(path.indexOf(node)), node].join(' → '));
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) visit(node, []);
  return found;
}

describe('services/ingest modules', () => {
  it('import each other without a cycle', () => {
    expect(cyclesIn(new Map(modules.map((m) => [m, importsOf(m)])))).toEqual([]);
  });

  it('the check finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cyclesIn(graph)).toEqual(['a → b → c → a']);
  });

  it('the facade stays small (issue #19: under 200 lines)', () => {
    expect(readFileSync(join(srcDir, 'ingestor.ts'), 'utf8').split('\n').length).toBeLessThan(200);
  });
});
