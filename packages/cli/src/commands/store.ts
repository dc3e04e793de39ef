import {
  copyEventStore,
  CopyTargetNotEmptyError,
  isPostgresUrl,
  openEventStore,
  verifyCopy,
  type EventStore,
} from '@bijstand/event-store';
import { createLogger, readRuntimeEnv, storeFromEnv } from '@bijstand/platform';
import { copyProgressLine, copySummaryLine, copyVerifiedLine } from '@bijstand/documents';
import { UsageError } from '../args.js';

export interface StoreCopyOptions {
  to: string;
  store?: string;
  verify?: boolean;
}

/** `--to`: a PostgreSQL URL or a SQLite file that does not hold events yet. */
async function openTarget(to: string, connectTimeoutMs: number): Promise<EventStore> {
  if (isPostgresUrl(to)) return openEventStore({ kind: 'postgres', connectionString: to, connectTimeoutMs });
  if (/^[a-z]+:\/\//i.test(to))
    throw new UsageError(`--to: ${to.replace(/\/\/[^@/]*@/, '//…@')} is neither a postgres:// URL nor a file path`);
  return openEventStore({ kind: 'sqlite', path: to, mode: 'create' });
}

/**
 * `store copy`: the whole store (every stream, in commit order, with its snapshots) into an empty one,
 * e.g. from the embedded SQLite file to PostgreSQL. The source is only read. Access to the personal
 * data it moves is logged (who: the process; what: the stores; never a BSN).
 */
export async function storeCopyCommand(options: StoreCopyOptions): Promise<void> {
  const env = readRuntimeEnv();
  const logger = createLogger('store-copy', { level: env.LOG_LEVEL });
  const source = await storeFromEnv(env, options.store, 'read-only');
  try {
    const target = await openTarget(options.to, env.EVENTSTORE_CONNECT_TIMEOUT_MS);
    try {
      logger.info({ source: source.name, target: target.name }, 'copying the event store (personal data)');
      const started = performance.now();
      let lastReport = 0;
      const summary = await copyEventStore(source, target, {
        onProgress: ({ events, streams }) => {
          if (performance.now() - lastReport < 2000) return;
          lastReport = performance.now();
          process.stderr.write(copyProgressLine(events, streams));
        },
      }).catch((err: unknown) => {
        // A user's mistake (the wrong --to), not a failure: exit 2 with the message.
        throw err instanceof CopyTargetNotEmptyError
          ? new UsageError(`${err.message}; name a new file or an empty database`)
          : err;
      });
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(copySummaryLine(summary, source.name, target.name, seconds));
      if (options.verify) {
        const streams = await source.listStreams('');
        await verifyCopy(source, target, streams);
        process.stdout.write(copyVerifiedLine(streams.length));
      }
      logger.info({ source: source.name, target: target.name, ...summary }, 'event store copied');
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
