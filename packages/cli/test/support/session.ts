import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, type CliResult } from './cli.js';

/**
 * Several CLI command lines, one after the other, in ONE node process (sessionMain.ts): the same program,
 * commands and output masking as `./cli`, without paying the CLI's start (seconds) per command. For tests
 * that read the output of commands that succeed; exit codes of errors, signals and races need `./cli`
 * itself (runCli). A command's stdout and stderr are what it writes through process.stdout/stderr; the
 * logger writes to file descriptor 2 directly, so log lines are not in them (a test of what logs show, like
 * privacy.e2e, needs `./cli`). `env` applies to the whole process, an invocation's own env to that command only.
 */
export async function runCliSession(
  invocations: Array<{ args: string[]; env?: Record<string, string> }>,
  env: Record<string, string> = {},
): Promise<CliResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cli-session-'));
  const input = join(dir, 'invocations.json');
  const output = join(dir, 'results.json');
  writeFileSync(input, JSON.stringify(invocations));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'sessionMain.ts'), input, output],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`cli session exited ${code}:\n${stderr}`);
  return JSON.parse(readFileSync(output, 'utf8')) as CliResult[];
}
