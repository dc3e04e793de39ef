import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, freeLoopbackPort, spawn, terminate, track } from './process.js';

export interface PostgresHandle {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the superuser, trust auth, loopback only. */
  url: string;
  port: number;
  /** The same server's URL for another database on it (create it first). */
  urlOf(database: string): string;
  /** Stops the server (and waits until it is gone), then removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';
/** The system user Debian's package creates; initdb and postgres refuse to run as root. */
const SERVER_USER = 'postgres';

/** The directory holding initdb and postgres: POSTGRES_BIN_DIR, else Debian's, version 15 first, else the newest. */
export function postgresBinDir(): string | null {
  const candidates = [process.env.POSTGRES_BIN_DIR, join(DEBIAN_ROOT, '15', 'bin')];
  if (existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(DEBIAN_ROOT, v, 'bin')));
  }
  return (
    candidates.find(
      (dir): dir is string => dir !== undefined && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')),
    ) ?? null
  );
}

/** True when a PostgreSQL server can be started here. */
export function postgresAvailable(): boolean {
  return postgresBinDir() !== null && (!runningAsRoot() || userExists(SERVER_USER));
}

const runningAsRoot = () => process.getuid?.() === 0;

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** util-linux's runuser lives in sbin, which a minimal PATH (cron, `env -i`) may leave out. */
function runuserPath(): string {
  return (
    ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser', '/bin/runuser'].find((p) => existsSync(p)) ?? 'runuser'
  );
}

/** As root, the command runs as the postgres user; otherwise as whoever we are. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return runningAsRoot() ? [runuserPath(), ['-u', SERVER_USER, '--', command, ...args]] : [command, args];
}

function giveToServerUser(dir: string): void {
  if (!runningAsRoot()) return;
  const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8' }).trim());
  chownSync(dir, id('-u'), id('-g'));
}

/*
 * The server runs in the foreground under a tiny shell that waits on its own stdin (a pipe from this
 * process): when that pipe closes, on stop() or because the test process died without cleaning up,
 * the shell stops the server (fast shutdown) and removes the cluster's directory. pg_ctl would
 * daemonize the server and leave it running after a crash of the test process.
 */
const WRAPPER = [
  'dir="$1"; shift',
  '"$@" </dev/null &',
  'pid=$!',
  'echo "postgres-pid $pid"',
  'cat >/dev/null',
  'kill -INT "$pid" 2>/dev/null',
  'wait "$pid"',
  'rm -rf "$dir"',
].join('\n');

/** Server settings for a throw-away test cluster: durability off, small, loopback only; `overrides` win (the benchmark's). */
function serverArgs(dataDir: string, socketDir: string, port: number, overrides: Record<string, string>): string[] {
  const settings: Record<string, string> = {
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '32MB',
    max_connections: '200',
    log_min_messages: 'warning',
    ...overrides,
    // Never overridden: the cluster is reachable from this machine only, its socket in its own directory.
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
  };
  return ['-D', dataDir, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
}

const READY = /database system is ready to accept connections/;
const PORT_TAKEN = /could not bind|Address already in use|could not create any TCP\/IP sockets/i;

async function startOnce(
  binDir: string,
  timeoutMs: number,
  overrides: Record<string, string>,
): Promise<PostgresHandle | { failed: string; portTaken: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'testkit-postgres-'));
  giveToServerUser(dir);
  const dataDir = join(dir, 'data');
  const [initCommand, initArgs] = asServerUser(join(binDir, 'initdb'), [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ]);
  try {
    execFileSync(initCommand, initArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { failed: `initdb failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`, portTaken: false };
  }

  const port = await freeLoopbackPort();
  const [command, args] = asServerUser('sh', [
    '-c',
    WRAPPER,
    'postgres-wrapper',
    dir,
    join(binDir, 'postgres'),
    ...serverArgs(dataDir, dir, port, overrides),
  ]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let serverPid: number | undefined;
  /** SIGQUIT (immediate shutdown) the server, if that pid is still a postgres (never a recycled pid). */
  const killServer = () => {
    if (serverPid === undefined) return;
    try {
      if (!readFileSync(`/proc/${serverPid}/cmdline`, 'utf8').includes('postgres')) return;
      process.kill(serverPid, 'SIGQUIT');
    } catch {
      /* already gone */
    }
  };
  // On process exit: stop the server itself; the wrapper ends (and removes the directory) when its stdin closes with us.
  track(child, () => {
    killServer();
    child.kill('SIGKILL');
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
    const m = /postgres-pid (\d+)/.exec(output);
    if (m?.[1] && serverPid === undefined) serverPid = Number(m[1]);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.stdin.on('error', () => {
    /* EPIPE when the wrapper is already gone */
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await terminate(child, 5000);
      killServer();
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const outcome = await new Promise<'ready' | 'exited' | 'timeout'>((resolve) => {
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    const onData = () => READY.test(output) && finish('ready');
    const onExit = () => finish('exited');
    const finish = (result: 'ready' | 'exited' | 'timeout') => {
      clearTimeout(timer);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      resolve(result);
    };
    child.stderr.on('data', onData);
    child.once('exit', onExit);
    if (exited(child)) onExit();
    onData();
  });
  if (outcome === 'ready') {
    const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    return { url: urlOf('postgres'), port, urlOf, stop };
  }
  await stop();
  const why = outcome === 'timeout' ? `not ready on port ${port} within ${timeoutMs} ms` : 'postgres exited';
  return { failed: `${why}\n${output.trim()}`, portTaken: PORT_TAKEN.test(output) };
}

/**
 * Starts a throw-away PostgreSQL cluster (initdb in a fresh temporary directory, the server on a free
 * loopback port with its unix socket in that directory, trust auth) and resolves once it accepts
 * connections. As root, initdb and the server run as the `postgres` system user. `settings` replace
 * the test defaults (e.g. the benchmark's larger shared_buffers, fsync on). Retries on
 * another port when the chosen one was taken in the meantime.
 */
export async function startPostgres(
  options: { timeoutMs?: number; settings?: Record<string, string> } = {},
): Promise<PostgresHandle> {
  const binDir = postgresBinDir();
  if (binDir === null)
    throw new Error(`no PostgreSQL server binaries under ${DEBIAN_ROOT} (run infra/scripts/ensure-test-deps.sh)`);
  if (runningAsRoot() && !userExists(SERVER_USER))
    throw new Error(`running as root, but there is no '${SERVER_USER}' user to run the server as`);
  let lastFailure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await startOnce(binDir, options.timeoutMs ?? 30_000, options.settings ?? {});
    if (!('failed' in result)) return result;
    lastFailure = result.failed;
    if (!result.portTaken) break;
  }
  throw new Error(`could not start PostgreSQL: ${lastFailure}`);
}
