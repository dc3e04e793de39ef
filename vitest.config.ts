import { defineConfig } from 'vitest/config';

/**
 * Where tests live: each workspace package's test/ (apps/ and tools/ included), the root test/ and the
 * law-validation suite (validation/: published figures from outside sources, run in the unit tier).
 */
const ROOTS = ['packages/*/test', 'services/*/test', 'apps/*/test', 'tools/*/test', 'test', 'validation'];
/** One project per tier, by file suffix: `vitest run --project unit` runs one tier, `vitest run` all three. */
const TIERS = ['unit', 'int', 'e2e'] as const;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // No include here: a project that extends the root would add it to its own (arrays are merged).
    projects: TIERS.map((tier) => ({
      extends: true,
      test: { name: tier, include: ROOTS.map((root) => `${root}/**/*.${tier}.test.ts`) },
    })),
  },
});
