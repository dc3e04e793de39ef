import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** tools/bench, a tool of the repository: the CLI starts it as a process, so the CLI never loads the testkit. */
const BENCH_BIN = join(import.meta.dirname, '..', '..', '..', '..', 'tools', 'bench', 'bin', 'bench.mjs');

/** `bench`: the bench's process with this environment (BSN_PSEUDONYM_KEY included); its exit code is the CLI's. */
export async function benchCommand(): Promise<void> {
  const child = spawn(process.execPath, [BENCH_BIN], { stdio: 'inherit', env: process.env });
  // A stop meant for the CLI is meant for the bench: it must not run on without it.
  const forward = (signal: NodeJS.Signals) => void child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  try {
    process.exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode ?? 1));
    });
  } finally {
    process.off('SIGINT', forward).off('SIGTERM', forward);
  }
}
