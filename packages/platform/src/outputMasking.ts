import { writeFileSync } from 'node:fs';
import { maskBsnRuns } from './bsn.js';

/**
 * Every text the CLI shows or writes passes maskBsnRuns: ids and reasons from other systems (a household
 * id from the case system, a key in a rejected message) are not trusted to be free of BSNs. Applied at
 * the boundary (stdout, stderr, files written), so no command can forget it. Each write is one whole
 * text (a line or more), so a BSN is never split across two writes.
 */
export function maskProcessOutput(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    (stream as MaskedStream)[UNMASKED] = write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(maskChunk(chunk), ...rest)) as typeof stream.write;
    stream.on('error', endOnClosedPipe);
  }
}

/** The status of a shell tool that SIGPIPE ended (128 + 13): what `set -o pipefail` sees of `yes | head -1`. */
export const EXIT_CLOSED_PIPE = 141;

/**
 * The reader went away (`./cli --help | head -3`): nobody reads what follows, so the command ends at once and
 * quietly, as a shell tool would. Node ignores SIGPIPE, and an unhandled EPIPE would print a stack trace.
 */
function endOnClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
  process.exit(EXIT_CLOSED_PIPE);
}

const UNMASKED = Symbol('unmasked write');
type MaskedStream = NodeJS.WritableStream & { [UNMASKED]?: (chunk: unknown) => boolean };

/**
 * Writes past the masking, for a text that is known to hold no personal data and that masking would
 * corrupt: a password hash (`serve --hash-password`), whose hex may hold a run of nine digits.
 */
export function writeUnmasked(stream: NodeJS.WritableStream, text: string): void {
  const write = (stream as MaskedStream)[UNMASKED];
  if (write) write(text);
  else stream.write(text);
}

function maskChunk(chunk: unknown): unknown {
  if (typeof chunk === 'string') return maskBsnRuns(chunk);
  if (chunk instanceof Uint8Array) return maskBsnRuns(Buffer.from(chunk).toString('utf8'));
  return chunk;
}

/** writeFileSync for a text a person reads (a report, a CSV): BSN-like runs masked. */
export function writeMaskedFile(path: string, text: string): void {
  writeFileSync(path, maskBsnRuns(text));
}
