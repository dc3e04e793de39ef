import type { Instant } from '@bijstand/domain';
import type { Logger } from '@bijstand/platform';
import type { Ingestor, InboundKind } from './ingestor.js';
import type { RawMessage } from './kafka.js';

export interface DeadLetterSink {
  send(
    topic: string,
    messages: Array<{ key: string | null; value: string; headers: Record<string, string> }>,
  ): Promise<void>;
}

export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

/**
 * The batch handler behind the Kafka source: each message is stored (household, parked or rejected)
 * before its offset is committed; a rejected one also goes to the topic's dead-letter topic. Any
 * failure throws, so nothing is committed and the batch is delivered again; storing is idempotent.
 */
export function kafkaBatchHandler(options: {
  ingestor: Ingestor;
  deadLetters: DeadLetterSink;
  kindOfTopic: (topic: string) => InboundKind;
  now: () => Instant;
  logger: Logger;
}): (messages: RawMessage[]) => Promise<void> {
  return async (messages) => {
    for (const m of messages) {
      const outcome = await options.ingestor.ingest({
        kind: options.kindOfTopic(m.topic),
        payload: m.value ?? '',
        recordedAt: options.now(),
        source: { type: 'kafka', topic: m.topic, partition: m.partition, offset: m.offset },
      });
      if (outcome.status === 'rejected') {
        await options.deadLetters.send(deadLetterTopic(m.topic), [
          {
            key: m.key,
            value: m.value ?? '',
            headers: {
              reason: outcome.reason,
              'source-topic': m.topic,
              'source-partition': String(m.partition),
              'source-offset': m.offset,
            },
          },
        ]);
      }
    }
  };
}
