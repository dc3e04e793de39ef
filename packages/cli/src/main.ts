import { CommanderError } from 'commander';
import {
  EventStoreAccessError,
  EventStoreDamagedError,
  EventStoreNotFoundError,
  ServiceUnavailableError,
} from '@bijstand/event-store';
import { ConfigurationError, maskProcessOutput, UnknownEventError } from '@bijstand/platform';
import { EXIT, UsageError } from './args.js';
import { buildProgram } from './program.js';

/**
 * The backoffice CLI (`./cli --help`). Errors a user can fix are one line on stderr with exit code 2;
 * anything else exits 1 with its message (the stack only with LOG_LEVEL=debug or trace).
 */
async function main(argv: string[]): Promise<void> {
  maskProcessOutput();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    process.exitCode = await exitCodeOf(err);
  }
}

async function exitCodeOf(err: unknown): Promise<number> {
  // Commander has printed its message (and the command's help) already; help itself exits 0.
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.done : EXIT.usage;
  if (err instanceof UsageError || err instanceof ConfigurationError || err instanceof EventStoreAccessError) {
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof EventStoreNotFoundError) {
    process.stderr.write(`error: ${err.message}; \`make run\` creates the demo store, --store PATH names another\n`);
    return EXIT.usage;
  }
  // A damaged store is not a bug to debug: the message is all there is to say (restore from a backup).
  if (err instanceof UnknownEventError) {
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT.failed;
  }
  // Redis or PostgreSQL did not answer: the message names it and where; a stack would add nothing.
  if (err instanceof ServiceUnavailableError) {
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT.failed;
  }
  if (err instanceof EventStoreDamagedError) {
    process.stderr.write(`error: ${err.message}; nothing was read or written (restore the file from a backup)\n`);
    return EXIT.failed;
  }
  // Ingest's errors last, loaded only here: a command that does not ingest never loads ingest otherwise.
  const { ActionRefusedError, InvalidActionError, UnknownMessageError } = await import('@bijstand/ingest');
  if (err instanceof UnknownMessageError || err instanceof InvalidActionError) {
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT.usage;
  }
  // A retry of a message processed already, a dismissal of a dismissed one: refused, nothing changed.
  if (err instanceof ActionRefusedError) {
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT.failed;
  }
  const verbose = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
  process.stderr.write(
    `error: ${verbose ? ((err as Error).stack ?? String(err)) : ((err as Error).message ?? String(err))}\n`,
  );
  if (!verbose) process.stderr.write('(set LOG_LEVEL=debug for the stack trace)\n');
  return EXIT.failed;
}

await main(process.argv.slice(2));
