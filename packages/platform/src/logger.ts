import pino, { type Logger, type DestinationStream } from 'pino';

/**
 * Structured logs (pino). A BSN never reaches a log in clear text: known fields are redacted by path,
 * and any remaining 9-digit run in a logged string is masked, as a safety net for free text.
 */
const BSN_PATHS = ['bsn', '*.bsn', '*.*.bsn', '*.*.*.bsn', 'members[*].bsn', '*.members[*].bsn', 'raw', '*.raw', 'payload', '*.payload'];

function maskDigits(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(/(?<!\d)\d{9}(?!\d)/g, '[redacted-9-digits]');
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDigits(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDigits(v, depth + 1)]));
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
          const masked = args.map((a) => (typeof a === 'string' ? (maskDigits(a) as string) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(2),
  );
}

export type { Logger };
