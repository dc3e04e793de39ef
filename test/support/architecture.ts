import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

/**
 * The workspace's module and package graph, built from the source alone (no build, no node_modules):
 * every `*.ts` under `<group>/<package>/src` and every import in it (static, type-only, re-export,
 * dynamic), resolved to a file of the workspace where it is relative or names a workspace package.
 * The checks below run on it; the architecture test runs them on the real tree and on planted trees.
 */

/** The folders whose sub-folders are workspace packages, lowest layer first. */
export const GROUPS = ['packages', 'services', 'apps', 'tools'] as const;
export type Group = (typeof GROUPS)[number];

export interface WorkspacePackage {
  /** `@bijstand/alerts` */
  name: string;
  /** Relative to the root, posix: `services/alerts`. */
  dir: string;
  group: Group;
  /** package.json `exports`, subpath → file relative to the package (`.` → `./src/index.ts`). */
  exports: Record<string, string>;
}

export interface Workspace {
  packages: WorkspacePackage[];
  /** Source of every `*.ts` under a package's src, by path relative to the root (posix). */
  files: Map<string, string>;
}

export interface ImportEdge {
  from: string;
  specifier: string;
  fromPackage: WorkspacePackage;
  /** The workspace package imported, null for an outside dependency (node:, npm). */
  toPackage: WorkspacePackage | null;
  /** The workspace source file it resolves to, when it is one of `files`. */
  toFile: string | null;
}

/** The rules that are the architecture; each exception names the file and why, and must still match something. */
export interface Rules {
  /** `from → to` between packages under services/ that are allowed (downward arrows). */
  allowedServiceArrows: ReadonlySet<string>;
  /** Files allowed one rule break each, until the move that removes it merges: `path` → the rule's name. */
  exceptions: ReadonlyArray<{ file: string; rule: RuleName; todo: string }>;
}

export type RuleName =
  'module-cycle' | 'package-cycle' | 'service-sideways' | 'testkit-in-production' | 'domain-pure' | 'layer';

export interface Violation {
  rule: RuleName;
  /** The file it is in (the first of a cycle), or the package for a package cycle. */
  where: string;
  message: string;
}

interface Manifest {
  name: string;
  exports?: string | Record<string, string>;
}
const DEFAULT_EXPORTS = { '.': './src/index.ts' };

export function loadWorkspace(root: string): Workspace {
  const packages: WorkspacePackage[] = [];
  const files = new Map<string, string>();
  for (const group of GROUPS) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue; // apps/ and tools/ may not exist (yet)
    for (const name of readdirSync(groupDir).sort()) {
      const manifest = join(groupDir, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
      const exports = typeof pkg.exports === 'string' ? { '.': pkg.exports } : (pkg.exports ?? DEFAULT_EXPORTS);
      packages.push({ name: pkg.name, dir: `${group}/${name}`, group, exports });
      const src = join(groupDir, name, 'src');
      if (!existsSync(src)) continue;
      for (const file of walkTs(src)) files.set(`${group}/${name}/src/${file}`, readFileSync(join(src, file), 'utf8'));
    }
  }
  return { packages, files };
}

function walkTs(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(join(dir, entry)).isDirectory()) out.push(...walkTs(join(dir, entry), rel));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/**
 * Every import of every file, resolved. TypeScript's own pre-processor finds them, so that an import
 * in a comment or a string is none.
 */
export function importEdges(ws: Workspace): ImportEdge[] {
  const byName = new Map(ws.packages.map((p) => [p.name, p]));
  const edges: ImportEdge[] = [];
  for (const [from, source] of ws.files) {
    const fromPackage = packageOf(ws, from);
    if (!fromPackage) continue;
    for (const { fileName: specifier } of ts.preProcessFile(source, true, true).importedFiles) {
      if (specifier.startsWith('.')) {
        const toFile = resolveRelative(ws, posix.join(posix.dirname(from), specifier));
        const target = toFile ?? posix.join(posix.dirname(from), specifier);
        edges.push({ from, specifier, fromPackage, toPackage: packageOf(ws, target), toFile });
        continue;
      }
      const name = specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
      const toPackage = byName.get(name) ?? null;
      if (!toPackage) {
        edges.push({ from, specifier, fromPackage, toPackage: null, toFile: null });
        continue;
      }
      const subpath = `.${specifier.slice(name.length)}`;
      const entry: unknown = toPackage.exports[subpath]; // a conditional export (an object) resolves to no file here
      const toFile = typeof entry === 'string' ? posix.join(toPackage.dir, entry) : null;
      edges.push({ from, specifier, fromPackage, toPackage, toFile: toFile && ws.files.has(toFile) ? toFile : null });
    }
  }
  return edges;
}

function resolveRelative(ws: Workspace, path: string): string | null {
  const candidates = [path.replace(/\.m?js$/, '.ts'), path, `${path}.ts`, `${path}/index.ts`];
  return candidates.find((c) => ws.files.has(c)) ?? null;
}

function packageOf(ws: Workspace, path: string): WorkspacePackage | null {
  return ws.packages.find((p) => path === p.dir || path.startsWith(`${p.dir}/`)) ?? null;
}

/**
 * The cycles of a directed graph: one per strongly connected component of more than one node (or a
 * node importing itself), shown as a path that returns to its start, from its smallest node.
 */
export function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  // Iterative Tarjan: the module graph is deep enough that recursion is a risk for no gain.
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; targets: string[]; i: number }> = [];
    const open = (node: string) => {
      index.set(node, next);
      low.set(node, next++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, targets: [...(graph.get(node) ?? [])].sort(), i: 0 });
    };
    open(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      if (frame.i < frame.targets.length) {
        const target = frame.targets[frame.i++]!;
        if (!index.has(target)) open(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      if (work.length > 0) low.set(work.at(-1)!.node, Math.min(low.get(work.at(-1)!.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      for (let n = stack.pop()!; ; n = stack.pop()!) {
        onStack.delete(n);
        component.push(n);
        if (n === frame.node) break;
      }
      if (component.length > 1 || graph.get(frame.node)?.has(frame.node)) components.push(component);
    }
  }
  return components.map((c) => cyclePath(graph, new Set(c))).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** A shortest path from the component's smallest node back to itself, inside the component. */
function cyclePath(graph: ReadonlyMap<string, ReadonlySet<string>>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of [...(graph.get(node) ?? [])].sort()) {
      if (!component.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let n = node; n !== start; n = previous.get(n)!) path.splice(1, 0, n);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

const TESTKIT = '@bijstand/testkit';
const DOMAIN = '@bijstand/domain';
/** The one package under packages/ that sits on top. */
const CLI = '@bijstand/cli';

/**
 * Every arrow points down: packages/ (libraries) below services/ below apps/ and tools/ (entry points,
 * which may use each other), and the command line on top of all (it calls services and apps).
 */
function layer(p: WorkspacePackage): number {
  return p.name === CLI ? 3 : { packages: 0, services: 1, apps: 2, tools: 2 }[p.group];
}

/** Every rule broken in the workspace, exceptions taken out; an exception that matches nothing is itself reported. */
export function checkArchitecture(ws: Workspace, rules: Rules): Violation[] {
  const edges = importEdges(ws);
  const found: Violation[] = [];

  const modules = new Map<string, Set<string>>([...ws.files.keys()].map((f) => [f, new Set<string>()]));
  for (const e of edges) if (e.toFile) modules.get(e.from)!.add(e.toFile);
  for (const cycle of findCycles(modules))
    found.push({ rule: 'module-cycle', where: cycle[0]!, message: `import cycle: ${cycle.join(' → ')}` });

  const packages = new Map<string, Set<string>>(ws.packages.map((p) => [p.name, new Set<string>()]));
  for (const e of edges) {
    if (e.toPackage && e.toPackage !== e.fromPackage) packages.get(e.fromPackage.name)!.add(e.toPackage.name);
  }
  for (const cycle of findCycles(packages))
    found.push({ rule: 'package-cycle', where: cycle[0]!, message: `package cycle: ${cycle.join(' → ')}` });

  for (const e of edges) {
    const to = e.toPackage;
    if (!to || to === e.fromPackage) continue;
    const at = `${e.from} imports '${e.specifier}'`;
    const arrow = `${e.fromPackage.dir} → ${to.dir}`;
    if (e.fromPackage.group === 'services' && to.group === 'services' && !rules.allowedServiceArrows.has(arrow))
      found.push({
        rule: 'service-sideways',
        where: e.from,
        message: `${at}: ${arrow} is not an allowed arrow between services`,
      });
    if (to.name === TESTKIT && e.fromPackage.group !== 'tools')
      found.push({
        rule: 'testkit-in-production',
        where: e.from,
        message: `${at}: the testkit is for tests (and tools/), not production code`,
      });
    if (e.fromPackage.name === DOMAIN)
      found.push({ rule: 'domain-pure', where: e.from, message: `${at}: the domain imports no workspace package` });
    if (layer(to) > layer(e.fromPackage))
      found.push({
        rule: 'layer',
        where: e.from,
        message: `${at}: ${e.fromPackage.dir} is below ${to.dir}; the arrow points up`,
      });
  }

  const excused = (v: Violation) => rules.exceptions.some((x) => x.file === v.where && x.rule === v.rule);
  const stale = rules.exceptions.filter((x) => !found.some((v) => v.where === x.file && v.rule === x.rule));
  return [
    ...found.filter((v) => !excused(v)),
    ...stale.map((x) => ({
      rule: x.rule,
      where: x.file,
      message: `exception no longer needed (remove it): ${x.file} (${x.rule}; ${x.todo})`,
    })),
  ];
}

export type Tier = 'unit' | 'int' | 'e2e';

/** The vitest project a test file runs in, by its suffix (vitest.config.ts); null: it would run in none. */
export function tierOf(file: string): Tier | null {
  return (/\.(unit|int|e2e)\.test\.ts$/.exec(file)?.[1] as Tier | undefined) ?? null;
}

/** Every `*.test.*` file under a package's test/ and the root test/, relative to the root. */
export function testFiles(root: string): string[] {
  const dirs = [
    ...GROUPS.flatMap((group) =>
      existsSync(join(root, group))
        ? readdirSync(join(root, group))
            .sort()
            .map((p) => `${group}/${p}/test`)
        : [],
    ),
    'test',
  ];
  return dirs
    .filter((dir) => existsSync(join(root, dir)))
    .flatMap((dir) => walkAll(join(root, dir)).map((f) => `${dir}/${f}`))
    .filter((f) => /\.test\.[cm]?[jt]sx?$/.test(f));
}

function walkAll(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .filter((entry) => entry !== 'node_modules')
    .flatMap((entry) => {
      const rel = prefix ? `${prefix}/${entry}` : entry;
      return statSync(join(dir, entry)).isDirectory() ? walkAll(join(dir, entry), rel) : [rel];
    });
}
