import { readRuntimeEnv } from '@bijstand/platform';
import { UsageError } from '../args.js';
import { letterContact, municipalityName, residentLetter, toMarkdown } from '@bijstand/documents';
import { writeDocument } from '@bijstand/documents/output';
import { loadCaseFile } from '@bijstand/replay';
import { nowInstant, ownMunicipality, requiredDeploymentConfig, withStore } from './shared.js';
import { loadHousehold } from '@bijstand/platform';

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
    const file = await loadCaseFile(store, householdId, options.asOf);
    if (!file)
      throw new UsageError(
        `household ${householdId} has no case in this store (${store.name})${options.asOf ? ' as of that instant' : ''}`,
      );
    // The household's own municipality writes the letter (a shared service writes for several).
    const own = await ownMunicipality(householdId, async () =>
      loaded.resolve((await loadHousehold(store, householdId, options.asOf)).state.municipality),
    );
    const { contact, missing } = letterContact(municipalityName(loaded.configured, own.name), process.env);
    const letter = residentLetter(file, { ...contact, month: options.month, issuedOn: nowInstant().slice(0, 10) });
    if (!options.out) {
      process.stdout.write(toMarkdown(letter));
      return;
    }
    const format = await writeDocument(letter, options.out);
    process.stderr.write(`letter (${format}) written to ${options.out}\n`);
  });
}
