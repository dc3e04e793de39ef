import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Where tests live: each workspace package's test/ (apps/ and tools/ included), the root test/ and the
 * law-validation suite (validation/: published figures from outside sources, run in the unit tier).
 */
const ROOTS = ['packages/*/test', 'services/*/test', 'apps/*/test', 'tools/*/test', 'test', 'validation'];
/** A fixed random key (from `openssl rand -hex 32`), public like the tests; never a deployment's. */
const TEST_PSEUDONYM_KEY = '5f0c9e2a7b13d4c68e1f0a29b7d3c5e41a8f6b02c9d7e3f15a4b8c6d2e0f9a71';
/** One project per tier, by file suffix: `vitest run --project unit` runs one tier. */
const TIERS = ['unit', 'int', 'e2e'] as const;
/** An e2e test that must have the machine to itself: the project `load`, run after the others. */
const ALONE = 'services/workplace/test/load.e2e.test.ts';

export default defineConfig({
  test: {
    // Both cores (vitest's default leaves one free): most files wait on a child process, a server or a browser.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // The pseudonym key of the tests, set here and inherited by every process a test starts: no process
    // falls back to a development key by NODE_ENV (issue #21). Tests of a missing or other key set their own.
    env: { BSN_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY },
    // No include here: a project that extends the root would add it to its own (arrays are merged).
    projects: [
      ...TIERS.map((tier) => ({
        extends: true,
        test: {
          name: tier,
          include: ROOTS.map((root) => `${root}/**/*.${tier}.test.ts`),
          ...(tier === 'e2e' ? { exclude: [...configDefaults.exclude, ALONE] } : {}),
          // Unit files share their worker's modules: they start nothing and keep no module state (the domain may
          // not, a test enforces it), so importing the packages once per worker instead of once per file cut the
          // unit tier from 68 to 50 s on 2 cores (2026-12-07; also green with --sequence.shuffle).
          ...(tier === 'unit' ? { isolate: false } : {}),
        },
      })),
      // The load test asserts response-time bounds (1 s, 30 s, 5 s) of the workplace under a flood; beside the
      // other test files on two cores those bounds measure the machine, so `make test` runs it after them, alone.
      { extends: true, test: { name: 'load', include: [ALONE] } },
    ],
  },
});
