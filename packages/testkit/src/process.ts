import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** True when `command` is an executable file in a PATH directory (checked without running it). */
export function commandOnPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return true;
    } catch {
      /* not here */
    }
  }
  return false;
}

/** A free TCP port on 127.0.0.1: bind port 0, read the port the kernel chose, close. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the bound port'));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every child a testkit helper started and has not yet stopped, with a synchronous "kill now".
 * When the test process exits normally they are killed in the 'exit' hook; when it is killed
 * outright, each child notices that its stdin pipe closed (both helpers are built so that this ends
 * them), so nothing outlives the tests.
 */
const live = new Map<ChildProcess, () => void>();
let exitHookInstalled = false;

export function track(child: ChildProcess, killNow: () => void = () => child.kill('SIGKILL')): void {
  live.set(child, killNow);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const kill of live.values()) {
        try {
          kill();
        } catch {
          /* already gone */
        }
      }
    });
  }
}

export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Waits for `child` to exit, at most `ms`; true when it did. */
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * Ends a child: closes its stdin (the graceful path for both helpers), then SIGTERM, then SIGKILL,
 * each after a grace period. Resolves once it has exited.
 */
export async function terminate(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (exited(child)) return;
  child.stdin?.end();
  if (await waitForExit(child, Math.min(graceMs, 1000))) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, graceMs);
}

export { spawn };
