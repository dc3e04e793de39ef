import pino, { type Logger, type DestinationStream } from 'pino';
import { besideBarDestination } from '@bijstand/terminal';
import { maskBsnRuns } from './bsn.js';

/**
 * Structured logs (pino). A BSN never reaches a log in clear text: known fields are redacted by path,
 * and any remaining BSN-like run in a logged string (maskBsnRuns) is masked, as a safety net for free
 * text: error messages and stacks included (an error may quote a household id from the case system).
 */
const BSN_PATHS = [
  'bsn',
  '*.bsn',
  '*.*.bsn',
  '*.*.*.bsn',
  'members[*].bsn',
  '*.members[*].bsn',
  'raw',
  '*.raw',
  'payload',
  '*.payload',
];

function maskDigits(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskBsnRuns(value);
  if (value instanceof Error) return maskedError(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDigits(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDigits(v, depth + 1)]));
}

/** The same error with its message and stack masked (pino's err serializer then logs type, message, stack). */
function maskedError(err: Error): Error {
  const masked = new Error(maskBsnRuns(err.message));
  masked.name = err.name;
  masked.stack = err.stack === undefined ? undefined : maskBsnRuns(err.stack);
  return masked;
}

export function createLogger(name: string, options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: BSN_PATHS, censor: '[redacted]' },
      formatters: { log: (obj) => maskDigits(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) =>
            typeof a === 'string' ? maskBsnRuns(a) : a instanceof Error ? maskedError(a) : a,
          );
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    // On stderr around a progress bar, never through it (the bar redraws itself below the line). Written
    // synchronously, as node writes process.stderr: an async write would land after the bar is redrawn.
    options.destination ?? besideBarDestination(pino.destination({ dest: 2, sync: true })),
  );
}

export type { Logger };
