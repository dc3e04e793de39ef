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
 * The batch handler behind the Kafka source: the batch is stored (household, parked or rejected) through
 * ingestBatch, in few commits and with the same outcomes and events as one message at a time, before its
 * offsets are committed; each rejected one then also goes to its topic's dead-letter topic, in order. Any
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
    const outcomes = await options.ingestor.ingestBatch(
      messages.map((m) => ({
        kind: options.kindOfTopic(m.topic),
        payload: m.value ?? '',
        recordedAt: options.now(),
        source: { type: 'kafka', topic: m.topic, partition: m.partition, offset: m.offset },
      })),
    );
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status !== 'rejected') continue;
      const m = messages[i]!;
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
  };
}
