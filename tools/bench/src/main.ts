import { ConfigurationError, INSECURE_DEV_KEY_OPT_IN } from '@bijstand/platform';
import { BenchSettingError, runBench } from './bench.js';

/**
 * The bench's process (`make bench`, `./cli bench`): `--insecure-dev-key` as in the CLI (the bench's households
 * are synthetic). A setting it cannot use exits 2 with one line; anything else 1, as the CLI's commands do.
 */
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--insecure-dev-key');
if (unknown.length > 0) {
  process.stderr.write(
    `error: unknown argument '${unknown[0]}' (the bench takes --insecure-dev-key and BENCH_* variables)\n`,
  );
  process.exit(2);
}
if (args.includes('--insecure-dev-key')) process.env.BSN_PSEUDONYM_KEY = INSECURE_DEV_KEY_OPT_IN;
try {
  await runBench();
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message ?? String(err)}\n`);
  process.exitCode = err instanceof BenchSettingError || err instanceof ConfigurationError ? 2 : 1;
}
