import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const run = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });

/** A BENCH_* value the bench cannot use stops it before any household is generated: exit 2, the variable named. */
describe('the bench process (tools/bench) and `./cli bench`', () => {
  it('refuses a count that is not a whole number, naming the variable', () => {
    const r = run(['tools/bench/bin/bench.mjs', '--insecure-dev-key'], { BENCH_HOUSEHOLDS: '20k' });
    expect(r.stderr).toBe("error: BENCH_HOUSEHOLDS: '20k' is not a whole number of at least 1\n");
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });

  it('refuses an unknown store, naming the known ones', () => {
    const r = run(['tools/bench/bin/bench.mjs', '--insecure-dev-key'], { BENCH_STORES: 'sqlite,oracle' });
    expect(r.stderr).toBe("error: BENCH_STORES: unknown store 'oracle' (known: sqlite, postgres, memory)\n");
    expect(r.status).toBe(2);
  });

  it('refuses a history path it does not know, naming the known ones', () => {
    const r = run(['tools/bench/bin/bench.mjs', '--insecure-dev-key'], { BENCH_HISTORY_VIA: 'kafka' });
    expect(r.stderr).toBe("error: BENCH_HISTORY_VIA: 'kafka' is not one of sqlite, postgres\n");
    expect(r.status).toBe(2);
  });

  it("runs from the CLI as its own process, whose exit code is the CLI's", () => {
    const r = run(['packages/cli/bin/cli.mjs', '--insecure-dev-key', 'bench'], { BENCH_MONTHS: '0' });
    expect(r.stderr).toBe("error: BENCH_MONTHS: '0' is not a whole number of at least 1\n");
    expect(r.status).toBe(2);
  });
});
