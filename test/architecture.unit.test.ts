import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkArchitecture, findCycles, loadWorkspace, testFiles, tierOf } from './support/architecture.js';
import type { Rules, Workspace, WorkspacePackage } from './support/architecture.js';

const root = join(import.meta.dirname, '..');

/**
 * The package graph of issue #19, every arrow pointing down:
 *   packages/domain (imports no workspace package) · packages/* (libraries) → services/* → apps/*, tools/*
 *   (entry points) → packages/cli (the command line, on top). The testkit is for tests and tools/ only.
 * Between services only these arrows: the workplace is a web application over the other services (it records
 * and acknowledges alerts, shows the nightly queue and replays a case); no service imports the workplace, and
 * settlement, ingest and alerts import no service at all: an app (apps/worker) composes them. Payments records
 * its alerts through the alerts service.
 */
const RULES: Rules = {
  allowedServiceArrows: new Set([
    'services/workplace → services/alerts',
    'services/workplace → services/settlement',
    'services/workplace → services/replay',
    // The backoffice retries or dismisses a rejected or parked message (ingest's own functions, as the CLI) and
    // reconciles the paydays (payments' reconciliation): the page calls them, it does not re-implement them.
    'services/workplace → services/ingest',
    'services/workplace → services/payments',
    // A refused or returned transfer is an alert to the consultant, recorded and delivered as every alert.
    'services/payments → services/alerts',
  ]),
  exceptions: [],
};

describe('the workspace architecture', () => {
  it('has no import cycle, no sideways arrow between services, no testkit in production, a domain of its own', () => {
    const ws = loadWorkspace(root);
    expect(ws.packages.map((p) => p.name)).toContain('@bijstand/domain');
    expect(ws.files.size).toBeGreaterThan(100);
    expect(checkArchitecture(ws, RULES).map((v) => v.message)).toEqual([]);
  });

  // pnpm links devDependencies too: a test helper that depends on the package whose tests use it (testkit →
  // synthetic → domain, domain's tests → testkit) is a cycle of packages even when no src file shows it.
  it('has no cycle between package manifests, devDependencies included', () => {
    const ws = loadWorkspace(root);
    const names = new Set(ws.packages.map((p) => p.name));
    const graph = new Map<string, Set<string>>();
    for (const p of ws.packages) {
      const manifest = JSON.parse(readFileSync(join(root, p.dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((d) => names.has(d));
      graph.set(p.name, new Set(deps));
    }
    expect(graph.get('@bijstand/domain')).toContain('@bijstand/testkit');
    expect(findCycles(graph)).toEqual([]);
  });
});

describe('the test tiers', () => {
  it('puts every test file in exactly one vitest project (unit, int or e2e) by its suffix', () => {
    const files = testFiles(root);
    expect(files).toContain('test/architecture.unit.test.ts');
    expect(files.filter((f) => tierOf(f) === null)).toEqual([]);
  });

  it('knows a file without a tier suffix, which no project would run', () => {
    const names = ['a.unit.test.ts', 'b.int.test.ts', 'c.e2e.test.ts', 'd.test.ts', 'e.unit.test.js', 'f.intg.test.ts'];
    expect(names.map(tierOf)).toEqual(['unit', 'int', 'e2e', null, null, null]);
  });
});

// The checker on planted trees: each rule must fire on its violation, or the test above proves nothing.
const pkg = (dir: string, name = `@bijstand/${dir.split('/')[1]}`): WorkspacePackage => ({
  name,
  dir,
  group: dir.split('/')[0] as WorkspacePackage['group'],
  exports: { '.': './src/index.ts' },
});
const tree = (files: Record<string, string>, extra: WorkspacePackage[] = []): Workspace => {
  const dirs = new Set(Object.keys(files).map((f) => f.split('/').slice(0, 2).join('/')));
  return { packages: [...[...dirs].map((d) => pkg(d)), ...extra], files: new Map(Object.entries(files)) };
};
const none: Rules = { allowedServiceArrows: new Set(), exceptions: [] };
const messages = (ws: Workspace, rules: Rules = none) =>
  checkArchitecture(ws, rules).map((v) => `${v.rule}: ${v.message}`);
/** The message of a module cycle through these files of one package's src, back to the first. */
const moduleCycle = (src: string, ...files: string[]) =>
  `module-cycle: import cycle: ${[...files, files[0]].map((f) => `${src}/${f}`).join(' → ')}`;

describe('the architecture checker', () => {
  it('finds a planted module cycle, type-only and re-export imports included, and none once it is broken', () => {
    const planted = tree({
      'packages/platform/src/index.ts': "export * from './config.js';\n",
      'packages/platform/src/config.ts': "import { key } from './ids.js';\nexport const config = key;\n",
      'packages/platform/src/ids.ts': "export { keyOf as key } from './key.js';\n",
      'packages/platform/src/key.ts': "import type { Config } from './config.js';\nexport const keyOf = 1;\n",
    });
    expect(messages(planted)).toEqual([moduleCycle('packages/platform/src', 'config.ts', 'ids.ts', 'key.ts')]);
    const broken = "import type { Config } from './errors.js';\n// import { config } from './config.js';\n";
    planted.files.set('packages/platform/src/key.ts', broken);
    expect(messages(planted)).toEqual([]);
  });

  it('finds a cycle through a package entry and a dynamic import, and a package cycle', () => {
    const planted = tree({
      'packages/platform/src/index.ts': "import { a } from '@bijstand/event-store';\nexport const p = a;\n",
      'packages/event-store/src/index.ts':
        "export const a = 1;\nexport const p = () => import('@bijstand/platform');\n",
    });
    expect(messages(planted)).toEqual([
      'module-cycle: import cycle: packages/event-store/src/index.ts → packages/platform/src/index.ts → ' +
        'packages/event-store/src/index.ts',
      'package-cycle: package cycle: @bijstand/event-store → @bijstand/platform → @bijstand/event-store',
    ]);
  });

  it('refuses a sideways import between services unless it is an allowed arrow, also by a relative path', () => {
    const planted = tree({
      'services/settlement/src/index.ts':
        "import { a } from '@bijstand/alerts';\nimport '../../alerts/src/index.js';\n",
      'services/alerts/src/index.ts': 'export const listAlerts = 1;\n',
    });
    const sideways = 'services/settlement → services/alerts is not an allowed arrow between services';
    expect(messages(planted)).toEqual([
      `service-sideways: services/settlement/src/index.ts imports '@bijstand/alerts': ${sideways}`,
      `service-sideways: services/settlement/src/index.ts imports '../../alerts/src/index.js': ${sideways}`,
    ]);
    const allowed = new Set(['services/settlement → services/alerts']);
    expect(messages(planted, { ...none, allowedServiceArrows: allowed })).toEqual([]);
  });

  it('refuses the testkit in production code except in tools/, and any workspace import in the domain', () => {
    const planted = tree({
      'packages/testkit/src/index.ts': 'export const startRedis = 1;\n',
      'apps/demo/src/main.ts': "import { startRedis } from '@bijstand/testkit';\n",
      'tools/bench/src/main.ts': "import { startRedis } from '@bijstand/testkit';\n",
      'packages/domain/src/index.ts': "import type { Logger } from '@bijstand/platform';\nimport { z } from 'zod';\n",
      'packages/platform/src/index.ts': "import { Decimal } from 'decimal.js';\n",
    });
    expect(messages(planted)).toEqual([
      "testkit-in-production: apps/demo/src/main.ts imports '@bijstand/testkit': " +
        'the testkit is for tests (and tools/), not production code',
      "domain-pure: packages/domain/src/index.ts imports '@bijstand/platform': the domain imports no workspace package",
    ]);
  });

  it('refuses an arrow that points up: a library importing a service, a service importing an app', () => {
    const planted = tree({
      'packages/platform/src/index.ts': "import { NIGHTLY_QUEUE } from '@bijstand/settlement';\n",
      'services/settlement/src/index.ts': "import { main } from '@bijstand/worker';\nexport const QUEUE = 'n';\n",
      'apps/worker/src/index.ts': "import { NIGHTLY_QUEUE } from '@bijstand/settlement';\nexport const main = 1;\n",
    });
    expect(messages(planted).filter((m) => m.startsWith('layer'))).toEqual([
      "layer: packages/platform/src/index.ts imports '@bijstand/settlement': " +
        'packages/platform is below services/settlement; the arrow points up',
      "layer: services/settlement/src/index.ts imports '@bijstand/worker': " +
        'services/settlement is below apps/worker; the arrow points up',
    ]);
  });

  it('lets an exception excuse exactly its file and rule, and reports an exception that no longer matches', () => {
    const planted = tree({
      'services/settlement/src/workerRuntime.ts': "import { listAlerts } from '@bijstand/alerts';\n",
      'services/settlement/src/queue.ts': "import { listAlerts } from '@bijstand/alerts';\n",
      'services/alerts/src/index.ts': 'export const listAlerts = 1;\n',
    });
    const rules: Rules = {
      allowedServiceArrows: new Set(),
      exceptions: [
        { file: 'services/settlement/src/workerRuntime.ts', rule: 'service-sideways', todo: 'moves to apps/worker' },
        { file: 'packages/cli/src/demo.ts', rule: 'testkit-in-production', todo: 'moves to apps/demo' },
      ],
    };
    expect(messages(planted, rules)).toEqual([
      "service-sideways: services/settlement/src/queue.ts imports '@bijstand/alerts': " +
        'services/settlement → services/alerts is not an allowed arrow between services',
      'testkit-in-production: exception no longer needed (remove it): ' +
        'packages/cli/src/demo.ts (testkit-in-production; moves to apps/demo)',
    ]);
  });

  it('finds a module importing itself and leaves an acyclic graph alone', () => {
    const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));
    expect(findCycles(graph({ a: ['a'], b: ['c'], c: [] }))).toEqual([['a', 'a']]);
    expect(findCycles(graph({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
    expect(findCycles(graph({ d: ['e'], e: ['f', 'd'], f: ['d'] }))).toEqual([['d', 'e', 'd']]);
  });

  it('reads a workspace from disk, its packages by their package.json name, without apps/ or tools/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'architecture-'));
    try {
      for (const [path, text] of Object.entries({
        'packages/core/package.json': JSON.stringify({
          name: '@x/core',
          exports: { '.': './src/index.ts', './contract': './test/contract.ts' },
        }),
        'packages/core/src/index.ts': "export * from './nested/a.js';\n",
        'packages/core/src/nested/a.ts': "import { b } from '@x/core';\n",
        'packages/core/test/contract.ts': 'export {};\n',
        'services/runner/package.json': JSON.stringify({ name: '@x/runner' }),
      })) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const ws = loadWorkspace(dir);
      expect(ws.packages.map((p) => [p.name, p.dir, p.group])).toEqual([
        ['@x/core', 'packages/core', 'packages'],
        ['@x/runner', 'services/runner', 'services'],
      ]);
      expect([...ws.files.keys()]).toEqual(['packages/core/src/index.ts', 'packages/core/src/nested/a.ts']);
      expect(messages(ws)).toEqual([moduleCycle('packages/core/src', 'index.ts', 'nested/a.ts')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
