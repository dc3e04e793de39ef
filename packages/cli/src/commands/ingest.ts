import { createLogger, readRuntimeEnv } from '@bijstand/platform';
import { dutchRejectionReason, ingestAll, Ingestor, readNdjson, type InboundKind } from '@bijstand/ingest';
import { rejectedInputLines, rejectedSummaryText } from '@bijstand/documents';
import { EXIT, UsageError } from '../args.js';
import { deploymentConfig, nowInstant, readInputFile, requirePseudonymKey, withStore } from './shared.js';

export interface IngestOptions {
  file?: string;
  stdin?: boolean;
  kafka?: boolean;
  kind?: InboundKind;
  store?: string;
}

/** Exit 3 when any message was rejected: the run is done, but someone must look at the rejections. */
export async function ingestCommand(options: IngestOptions): Promise<void> {
  const sources = [options.file !== undefined, options.stdin === true, options.kafka === true].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('ingest needs exactly one of --file F, --stdin or --kafka');
  if (options.file !== undefined) readInputFile(options.file);
  const env = readRuntimeEnv();
  requirePseudonymKey();
  const municipalities = deploymentConfig(env, 'messages are validated against the national tables and default policy');
  const { ctx } = municipalities.defaultMunicipality;
  const logger = createLogger('ingest', { level: env.LOG_LEVEL });
  await withStore(options, 'create', async (store) => {
    // The deployment's municipalities: a case the night could not settle is refused here (issue #21).
    const ingestor = new Ingestor(store, ctx, logger, { municipalities });
    if (options.kafka) {
      if (!env.KAFKA_BROKERS) throw new UsageError('ingest --kafka needs KAFKA_BROKERS (comma-separated host:port)');
      const { runKafkaIngest } = await import('@bijstand/app-kafka-ingest');
      await runKafkaIngest(env, ingestor, store, logger);
      return;
    }
    const kind = options.kind ? { defaultKind: options.kind } : {};
    const messages = readNdjson(options.file ?? process.stdin, { ...kind, now: nowInstant });
    const counts = await ingestAll(ingestor, messages, (message, reason) => {
      const line = message.source.type === 'file' ? message.source.line : null;
      process.stderr.write(rejectedInputLines(line, dutchRejectionReason(reason), reason));
    });
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    if (counts.rejected > 0) {
      process.stderr.write(rejectedSummaryText(counts));
      process.exitCode = EXIT.doneWithRejectedInput;
    }
  });
}
