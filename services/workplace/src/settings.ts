import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ConfigurationError, DEFAULT_SQLITE_PATH } from '@bijstand/platform';
import { demoUsersPath } from './demoUsers.js';
import { loadUsers, type WorkplaceUser } from './users.js';

export interface WorkplaceSettings {
  users: WorkplaceUser[];
  sessionSecret: string;
  host: string;
  port: number;
  /** Behind a TLS-terminating proxy (--behind-tls, WORKPLACE_BEHIND_TLS=1): `Secure` cookies and HSTS. */
  behindTls: boolean;
  /** WORKPLACE_TRUSTED_PROXY: the proxy addresses (comma-separated) whose X-Forwarded-For/-Proto count. */
  trustProxy?: string;
}

/** Below this, a secret can be guessed and a session cookie forged (HMAC-SHA256 wants 32 bytes of key). */
export const MIN_SESSION_SECRET_BYTES = 32;

/**
 * The workplace's users, session secret and address: WORKPLACE_USERS (else the demo users file `make run`
 * writes), WORKPLACE_SESSION_SECRET (else one for this run), --host/--port over WORKPLACE_HOST/PORT
 * (127.0.0.1: this machine only). No users file or a wrong port is a ConfigurationError; the demo users
 * and a generated secret go to `warn` (the CLI's stderr), in the order they are found.
 */
export function workplaceSettings(
  env: NodeJS.ProcessEnv,
  options: { host?: string; port?: string; behindTls?: boolean },
  warn: (line: string) => void,
): WorkplaceSettings {
  const demoUsers = demoUsersPath(DEFAULT_SQLITE_PATH);
  const usersFile = env.WORKPLACE_USERS || (existsSync(demoUsers) ? demoUsers : undefined);
  if (!usersFile)
    throw new ConfigurationError(
      'WORKPLACE_USERS is not set: name a users file ({"users":[{"name","role","passwordHash","municipalities"}]}; roles consultant, backoffice, objection-handler; hash with ./cli serve --hash-password). `make run` writes a demo one.',
    );
  if (!env.WORKPLACE_USERS)
    warn(`warning: WORKPLACE_USERS is not set: using the DEMO users file ${usersFile} (written by make run)\n`);
  let users;
  try {
    users = loadUsers(usersFile);
  } catch (err) {
    throw new ConfigurationError(`WORKPLACE_USERS: ${(err as Error).message}`);
  }
  let sessionSecret = env.WORKPLACE_SESSION_SECRET;
  if (sessionSecret && Buffer.byteLength(sessionSecret, 'utf8') < MIN_SESSION_SECRET_BYTES)
    throw new ConfigurationError(
      `WORKPLACE_SESSION_SECRET: must be at least ${MIN_SESSION_SECRET_BYTES} bytes of random ` +
        '(e.g. `openssl rand -hex 32`); a shorter one can be guessed and session cookies forged',
    );
  if (!sessionSecret) {
    sessionSecret = randomBytes(32).toString('hex');
    warn(
      'warning: WORKPLACE_SESSION_SECRET is not set: a secret was generated for this run; sessions end when the process stops\n',
    );
  }
  const host = options.host ?? env.WORKPLACE_HOST ?? '127.0.0.1';
  const port = Number(options.port ?? env.WORKPLACE_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigurationError(`--port: ${options.port ?? env.WORKPLACE_PORT} is not a port`);
  const behindTls = options.behindTls === true || env.WORKPLACE_BEHIND_TLS === '1';
  const trustProxy = env.WORKPLACE_TRUSTED_PROXY || undefined;
  return { users, sessionSecret, host, port, behindTls, ...(trustProxy ? { trustProxy } : {}) };
}
