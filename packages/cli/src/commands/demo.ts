import { dirname, join, resolve } from 'node:path';
import { DEFAULT_SQLITE_PATH } from '@bijstand/platform';
import { runDemo } from '@bijstand/app-demo';
import { demoUsersPath, writeDemoUsers } from '@bijstand/workplace';
import { requirePseudonymKey } from './shared.js';

const repoRoot = resolve(dirname(DEFAULT_SQLITE_PATH), '..');

/** The demo, then what to try next: every line works pasted into a new shell. */
export async function demoCommand(options: { households: number; store: string }): Promise<void> {
  const path = resolve(options.store);
  requirePseudonymKey();
  await runDemo(options.households, path);
  // The commands read SQLITE_PATH when it is set; name the store whenever it is not the one they use.
  const store =
    process.env.SQLITE_PATH || process.env.EVENTSTORE_CONNECTION_STRING || path !== DEFAULT_SQLITE_PATH
      ? ` --store ${path}`
      : '';
  const lines = [
    `cd ${repoRoot}`,
    `./cli household list --claim yes${store}`,
    `./cli household show H-couple${store}`,
    `./cli household show H-ferd --month 2027-11${store}`,
    `MUNICIPALITY_CONFIG=${join('infra', 'config', 'demo-municipality.json')} ./cli run-nightly --date 2028-09-01${store}`,
    `./cli buffer report --year 2027 --decimal-comma --out bufferbudget-2027.csv${store}`,
    `MUNICIPALITY_CONFIG=${join('infra', 'config', 'demo-municipality.json')} ./cli replay H-couple --as-of 2027-08-01T00:00:00Z${store}`,
    './cli --help',
  ];
  process.stdout.write(`\nTry (each line works pasted into a new shell):\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  // The workplace: a demo users file with fresh passwords (DEMO ONLY; real users come from WORKPLACE_USERS).
  const usersFile = demoUsersPath(path);
  const users = writeDemoUsers(usersFile);
  const usersEnv = path !== DEFAULT_SQLITE_PATH ? `WORKPLACE_USERS=${usersFile} ` : '';
  process.stdout.write(
    `\nThe consultant's workplace (web): start it, then open http://127.0.0.1:8080 in a browser\n  cd ${repoRoot}\n  ${usersEnv}MUNICIPALITY_CONFIG=${join('infra', 'config', 'demo-municipality.json')} ./cli serve${store}\n` +
      `Demo logins (generated now, written as hashes to ${usersFile}; DEMO ONLY):\n${users.map((u) => `  ${u.name.padEnd(13)} ${u.password}  (${u.role})`).join('\n')}\n`,
  );
}
