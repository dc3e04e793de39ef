import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..', '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult>;
  stderr(): string;
}

/** Starts `./cli` as a user would (the wrapper execs node, so signals reach the CLI itself). */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(join(root, 'cli'), args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

export const runCli = (args: string[], env: Record<string, string> = {}) => startCli(args, env).done;

/** Resolves with the first match of `pattern` on the CLI's stderr. */
export async function waitForStderr(cli: RunningCli, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const started = Date.now();
  for (;;) {
    const m = pattern.exec(cli.stderr());
    if (m) return m;
    if (cli.child.exitCode !== null)
      throw new Error(`cli exited (${cli.child.exitCode}) before ${pattern}:\n${cli.stderr()}`);
    if (Date.now() - started > timeoutMs)
      throw new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${cli.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
