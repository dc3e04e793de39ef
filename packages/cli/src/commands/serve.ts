import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DEFAULT_SQLITE_PATH, loadMunicipalities, readRuntimeEnv, storeFromEnv } from '@bijstand/platform';
import { UsageError } from '../args.js';
import { letterContact, municipalityName } from '@bijstand/documents';
import { buildWorkplace, demoUsersPath, hashPassword, loadUsers } from '@bijstand/workplace';

export interface ServeOptions {
  host?: string;
  port?: string;
  store?: string;
  hashPassword?: boolean;
}

/** `cli serve`: the consultant's workplace in this one process, on 127.0.0.1 unless WORKPLACE_HOST or --host says otherwise. */
export async function serveCommand(options: ServeOptions): Promise<void> {
  if (options.hashPassword) {
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: process.stdin }).once('line', resolve),
    );
    process.stdout.write(`${hashPassword(line)}\n`);
    return;
  }
  const env = readRuntimeEnv();
  const demoUsers = demoUsersPath(DEFAULT_SQLITE_PATH);
  const usersFile = process.env.WORKPLACE_USERS || (existsSync(demoUsers) ? demoUsers : undefined);
  if (!usersFile)
    throw new UsageError(
      'WORKPLACE_USERS is not set: name a users file ({"users":[{"name","role","passwordHash"}]}; roles consultant, backoffice, objection-handler; hash with ./cli serve --hash-password). `make run` writes a demo one.',
    );
  if (!process.env.WORKPLACE_USERS)
    process.stderr.write(
      `warning: WORKPLACE_USERS is not set: using the DEMO users file ${usersFile} (written by make run)\n`,
    );
  let users;
  try {
    users = loadUsers(usersFile);
  } catch (err) {
    throw new UsageError(`WORKPLACE_USERS: ${(err as Error).message}`);
  }
  let sessionSecret = process.env.WORKPLACE_SESSION_SECRET;
  if (!sessionSecret) {
    sessionSecret = randomBytes(32).toString('hex');
    process.stderr.write(
      'warning: WORKPLACE_SESSION_SECRET is not set: a secret was generated for this run; sessions end when the process stops\n',
    );
  }
  const host = options.host ?? process.env.WORKPLACE_HOST ?? '127.0.0.1';
  const port = Number(options.port ?? process.env.WORKPLACE_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: ${options.port ?? process.env.WORKPLACE_PORT} is not a port`);
  const municipalities = loadMunicipalities(env.MUNICIPALITY_CONFIG);
  const name = municipalities.mode === 'multi' ? municipalities.deployment : municipalities.defaultMunicipality.name;
  const { contact } = letterContact(municipalityName(municipalities.configured, name), process.env);
  // The workplace records who viewed what (access-log) and acknowledgements: an existing store, written to.
  const store = await storeFromEnv(env, options.store, 'existing');
  const app = await buildWorkplace({
    store,
    users,
    sessionSecret,
    contact,
    municipalities,
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  });
  const address = await app.listen({ host, port });
  process.stderr.write(`workplace listening on ${address} (store ${store.name}); stop with Ctrl-C\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await store.close();
  process.stderr.write('workplace stopped\n');
}
