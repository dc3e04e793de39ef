import { readRuntimeEnv } from '@bijstand/platform';
import { UsageError } from '../args.js';
import { toMarkdown } from '@bijstand/documents';
import { writeDocument } from '@bijstand/documents/output';
import { NoLetterError, residentLetterOf } from '@bijstand/replay';
import { nowInstant, requiredDeploymentConfig, withStore } from './shared.js';

export interface LetterOptions {
  month: string;
  asOf?: string;
  out?: string;
  store?: string;
  nationalDefaults?: boolean;
}

/** `cli letter H --month 2027-03`: the resident's letter (B1) as the store stands now or at --as-of. */
export async function letterCommand(householdId: string, options: LetterOptions): Promise<void> {
  const env = readRuntimeEnv();
  await withStore(options, 'read-only', async (store) => {
    const loaded = await requiredDeploymentConfig(env, store, options, 'the letter names no municipality');
    const request = { month: options.month, asOf: options.asOf, issuedOn: nowInstant().slice(0, 10) };
    const letter = await residentLetterOf(store, householdId, loaded, request, process.env).catch((err: unknown) => {
      throw err instanceof NoLetterError ? new UsageError(err.message) : err;
    });
    if (!options.out) {
      process.stdout.write(toMarkdown(letter));
      return;
    }
    const format = await writeDocument(letter, options.out);
    process.stderr.write(`letter (${format}) written to ${options.out}\n`);
  });
}
