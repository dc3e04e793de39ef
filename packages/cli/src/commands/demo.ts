import { dirname, join, resolve } from 'node:path';
import { DEFAULT_SQLITE_PATH } from '@bijstand/platform';
import { runDemo } from '@bijstand/app-demo';
import { demoNextStepsText, demoRejectedText } from '@bijstand/documents';
import { demoUsersPath, writeDemoUsers } from '@bijstand/workplace';
import { requirePseudonymKey } from './shared.js';

const repoRoot = resolve(dirname(DEFAULT_SQLITE_PATH), '..');

/** The demo, then what to try next: every line works pasted into a new shell. */
export async function demoCommand(options: { households: number; store: string }): Promise<void> {
  const path = resolve(options.store);
  requirePseudonymKey();
  const { rejected } = await runDemo(options.households, path);
  // The commands read SQLITE_PATH when it is set; name the store whenever it is not the one they use.
  const storeFlag =
    process.env.SQLITE_PATH || process.env.EVENTSTORE_CONNECTION_STRING || path !== DEFAULT_SQLITE_PATH
      ? ` --store ${path}`
      : '';
  // The workplace: a demo users file with fresh passwords (DEMO ONLY; real users come from WORKPLACE_USERS).
  const usersFile = demoUsersPath(path);
  const users = writeDemoUsers(usersFile);
  const usersEnv = path !== DEFAULT_SQLITE_PATH ? `WORKPLACE_USERS=${usersFile} ` : '';
  const municipalityConfig = join('infra', 'config', 'demo-municipality.json');
  process.stdout.write(demoRejectedText(rejected, storeFlag));
  process.stdout.write(demoNextStepsText({ repoRoot, storeFlag, municipalityConfig, usersFile, usersEnv, users }));
}
