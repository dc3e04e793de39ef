import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The text of a README section: from its heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  const level = heading.split(' ')[0]!;
  const rest = readme.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? rest : rest.slice(0, next);
}

const folders = (dir: string) =>
  readdirSync(join(root, dir)).filter((name) => statSync(join(root, dir, name)).isDirectory());

describe("README's layout matches the folders", () => {
  const whatIsWhere = section('## What is where');
  const named = [...whatIsWhere.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!.replace(/\/$/, ''));

  it('names every workspace package, and every path it names exists', () => {
    const packages = ['packages', 'services', 'apps', 'tools'].flatMap((g) => folders(g).map((f) => `${g}/${f}`));
    expect(packages).toContain('packages/domain');
    expect(packages.filter((p) => !whatIsWhere.includes(`\`${p}\``))).toEqual([]);
    const missing = named.filter((p) => {
      try {
        statSync(join(root, p));
        return false;
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });

  it("lists every file of the domain's src in its layout, and no file that is gone", () => {
    const layout = section('### The domain (`packages/domain/src`)').split('```')[1] ?? '';
    const src = join(root, 'packages', 'domain', 'src');
    const files = [
      ...readdirSync(src).filter((f) => f.endsWith('.ts')),
      ...readdirSync(join(src, 'rules')).map((f) => `rules/${f}`),
    ];
    const listed = (file: string) => layout.includes(file.replace(/^rules\//, ''));
    expect(files.filter((f) => !listed(f))).toEqual([]);
    const mentioned = [...layout.matchAll(/\b([a-zA-Z]+\.ts)\b/g)].map((m) => m[1]!);
    const all = new Set(files.map((f) => f.replace(/^rules\//, '')));
    expect(mentioned.filter((f) => !all.has(f))).toEqual([]);
  });
});
