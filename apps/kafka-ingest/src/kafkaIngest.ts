import type { EventStore } from '@bijstand/event-store';
import type { Logger, RuntimeEnv } from '@bijstand/platform';
import { createDeadLetterProducer, createKafkaSource, kafkaBatchHandler, type Ingestor } from '@bijstand/ingest';

/** `cli ingest --kafka`: consume both topics in the consumer group until SIGINT/SIGTERM. */
export async function runKafkaIngest(
  env: RuntimeEnv,
  ingestor: Ingestor,
  _store: EventStore,
  logger: Logger,
): Promise<void> {
  if (!env.KAFKA_BROKERS) throw new Error('KAFKA_BROKERS is not set');
  const brokers = env.KAFKA_BROKERS.split(',').map((b) => b.trim());
  const deadLetters = createDeadLetterProducer({ brokers, clientId: 'bijstand-ingest-dlq' });
  await deadLetters.connect();
  const source = createKafkaSource({
    brokers,
    clientId: 'bijstand-ingest',
    groupId: env.KAFKA_GROUP_ID,
    topics: [env.KAFKA_STATEMENT_TOPIC, env.KAFKA_CASE_TOPIC],
    logger,
    // kafkajs gives up on some errors for good; exit so the supervisor restarts the consumer.
    onFatalError: (error) => {
      logger.fatal({ err: error.message }, 'kafka consumer stopped for good; exiting so it is restarted');
      process.exit(1);
    },
    handleBatch: kafkaBatchHandler({
      ingestor,
      deadLetters,
      kindOfTopic: (topic) => (topic === env.KAFKA_CASE_TOPIC ? 'case' : 'statement'),
      now: () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      logger,
    }),
  });
  await source.start();
  logger.info({ topics: [env.KAFKA_STATEMENT_TOPIC, env.KAFKA_CASE_TOPIC] }, 'kafka ingest running');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await source.stop();
  await deadLetters.disconnect();
}
