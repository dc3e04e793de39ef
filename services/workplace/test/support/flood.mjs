// The load test's flood, in a process of its own (as a real one would come from elsewhere): REQUESTS requests,
// each on its own connection, mixed over /inbox, a household page and wrong logins; each given up after 30 s.
// WAVE_MS 0: all at once; otherwise in waves of 50, one wave every WAVE_MS (a sustained flood, which a loop
// saturated one page per turn once let queue up in the kernel). Prints one JSON line: [{ path, status, ms }]
// (status 0: no answer); each ms counts from the request's own wave.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const [base, cookie, count, waveMs = '0'] = process.argv.slice(2);
const WAVE = 50;
const url = new URL(base);
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const LIMIT_MS = 30_000;

async function send(path, i, method = 'GET', body) {
  await sleep(Math.floor(i / WAVE) * Number(waveMs));
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status) => {
      clearTimeout(timer);
      resolve({ path, status, ms: Math.round(performance.now() - started) });
    };
    const headers = { cookie, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
    const req = request({ agent, host: url.hostname, port: url.port, path, method, headers }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', () => done(0));
    });
    const timer = setTimeout(() => req.destroy(), LIMIT_MS);
    req.on('error', () => done(0));
    req.end(body);
  });
}

const answers = await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    i % 3 === 0
      ? send('/inbox', i)
      : i % 3 === 1
        ? send('/households/H-couple', i)
        : send('/login', i, 'POST', 'name=Karin+Klantmanager&password=wrong-password'),
  ),
);
agent.destroy();
process.stdout.write(`${JSON.stringify(answers)}\n`);
