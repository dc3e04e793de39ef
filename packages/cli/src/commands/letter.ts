import { readRuntimeEnv } from '@bijstand/platform';
import { UsageError } from '../args.js';
import { toMarkdown } from '@bijstand/documents';
import { MonthNotDecidedError, NoLetterError, residentLetterOf, writeLetter } from '@bijstand/replay';
import { requiredDeploymentConfig, withStore } from './shared.js';

export interface LetterOptions {
  month: string;
  asOf?: string;
  out?: string;
  store?: string;
  nationalDefaults?: boolean;
}

/**
 * A month without a decision is refused (exit 1): there is nothing to send. A household without a case is a
 * usage error (exit 2), and so is a municipality whose letters block is incomplete (a ConfigurationError).
 */
export const letterRefusal = (err: unknown): unknown =>
  err instanceof NoLetterError
    ? new UsageError(err.message)
    : err instanceof MonthNotDecidedError
      ? new Error(`refused: ${err.message}`)
      : err;

/** `cli letter H --month 2027-03`: the decision about a month (B1) as the store stands now or at --as-of. */
export async function letterCommand(householdId: string, options: LetterOptions): Promise<void> {
  const env = readRuntimeEnv();
  await withStore(options, 'read-only', async (store) => {
    const loaded = await requiredDeploymentConfig(env, store, options, 'the letter names no municipality');
    const request = { month: options.month, asOf: options.asOf };
    const letter = await residentLetterOf(store, householdId, loaded, request).catch((err: unknown) => {
      throw letterRefusal(err);
    });
    if (!options.out) {
      process.stdout.write(toMarkdown(letter));
      return;
    }
    const format = await writeLetter(letter, options.out);
    process.stderr.write(`letter (${format}) written to ${options.out}\n`);
  });
}
