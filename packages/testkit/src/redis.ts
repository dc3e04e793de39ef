import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { commandOnPath, exited, freeLoopbackPort, sleep, spawn, terminate, track } from './process.js';

export interface RedisHandle {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Kills the server (and waits until it is gone). Safe to call twice. */
  stop(): Promise<void>;
}

/** True when `redis-server` is on PATH. */
export function redisAvailable(): boolean {
  return commandOnPath('redis-server');
}

/*
 * redis-server runs under a tiny shell that waits on its own stdin (a pipe from this process) and
 * kills the server when that pipe closes: on stop(), and also when the test process dies without
 * running any cleanup (SIGKILL, crash), so no server is ever left behind.
 */
const WRAPPER = [
  'redis-server "$@" </dev/null &',
  'pid=$!',
  'echo "redis-pid $pid"',
  'cat >/dev/null',
  'kill -TERM "$pid" 2>/dev/null',
  'wait "$pid"',
].join('\n');

async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {
    /* expected while the server starts */
  });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function startOnce(port: number, timeoutMs: number): Promise<RedisHandle | { failed: string }> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--dir',
    tmpdir(),
    '--loglevel',
    'warning',
  ];
  const child = spawn('sh', ['-c', WRAPPER, 'redis-wrapper', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let redisPid: number | undefined;
  /** SIGKILL the server, if that pid is still a redis-server (never a recycled pid). */
  const killRedis = () => {
    if (redisPid === undefined) return;
    try {
      const cmdline = readFileSync(`/proc/${redisPid}/cmdline`, 'utf8');
      if (!cmdline.includes('redis-server')) return;
    } catch {
      if (existsSync('/proc/self')) return; // no such process
    }
    try {
      process.kill(redisPid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  // On process exit: kill the server itself; the wrapper ends when its stdin closes with us.
  track(child, () => {
    killRedis();
    child.kill('SIGKILL');
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    const m = /redis-pid (\d+)/.exec(output);
    if (m?.[1] && redisPid === undefined) redisPid = Number(m[1]);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.stdin.on('error', () => {
    /* EPIPE when the wrapper is already gone */
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await terminate(child);
      // Belt and braces: the wrapper is gone; make sure the server is too.
      killRedis();
    })();
    return stopped;
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child) || /Address already in use|Could not create server TCP/i.test(output)) {
      await stop();
      return { failed: output.trim() || 'redis-server exited' };
    }
    if (await answersPing(port)) {
      return { url: `redis://127.0.0.1:${port}`, port, stop };
    }
    await sleep(50);
  }
  await stop();
  return { failed: `redis-server did not answer PING on port ${port} within ${timeoutMs} ms\n${output.trim()}` };
}

/**
 * Starts a throw-away redis-server on a free loopback port (no persistence) and resolves once it
 * answers PING. Retries on another port when the chosen one was taken in the meantime.
 */
export async function startRedis(options: { timeoutMs?: number } = {}): Promise<RedisHandle> {
  if (!redisAvailable()) throw new Error('redis-server is not on PATH (run infra/scripts/ensure-test-deps.sh)');
  let lastFailure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    const result = await startOnce(port, options.timeoutMs ?? 10_000);
    if (!('failed' in result)) return result;
    lastFailure = result.failed;
  }
  throw new Error(`could not start redis-server: ${lastFailure}`);
}
