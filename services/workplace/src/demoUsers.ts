import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hashPassword, type Role } from './users.js';

/** The demo's users file sits next to the demo store; `cli serve` uses it when WORKPLACE_USERS is not set. */
export const demoUsersPath = (storePath: string): string => join(dirname(storePath), 'workplace-users.demo.json');

/**
 * The demo users' municipality: the demo's one municipality settles every household (so they see all of
 * them); under the example shared service (werkplein-drentsche-aa.json) it is its default, Aa en Hunze.
 */
const DEMO_MUNICIPALITIES = ['GM1680'];

/** One user per role with a fresh random password (DEMO ONLY): the file holds the hashes, the caller prints the passwords once. */
export function writeDemoUsers(path: string): Array<{ name: string; role: Role; password: string }> {
  const users = [
    { name: 'klantmanager', role: 'consultant' as const },
    { name: 'backoffice', role: 'backoffice' as const },
    { name: 'bezwaar', role: 'objection-handler' as const },
  ].map((u) => ({ ...u, password: randomBytes(9).toString('base64url') }));
  const file = users.map((u) => ({
    name: u.name,
    role: u.role,
    passwordHash: hashPassword(u.password),
    ...(u.role === 'backoffice' ? {} : { municipalities: DEMO_MUNICIPALITIES }),
  }));
  writeFileSync(path, `${JSON.stringify({ users: file }, null, 2)}\n`, { mode: 0o600 });
  return users;
}
