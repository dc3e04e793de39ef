import type { InboundMessage } from './inbound.js';
import type { Ingestor } from './ingestor.js';

/** Where a run's messages ended: recorded, duplicate, parked, rejected (in this order, as `ingest` prints them). */
export type IngestCounts = Record<'recorded' | 'duplicate' | 'parked' | 'rejected', number>;

/**
 * Messages per `ingestBatch` of a file or stdin: its appends go in a few commits instead of one per message
 * (the same outcomes and events, in the same order: batchEquivalence.int.test.ts). A crash loses at most the
 * chunk not yet committed, and ingesting the file again stores what is missing and counts the rest as duplicates.
 */
export const INGEST_CHUNK = 1000;

/**
 * Ingests the messages in order, in chunks of `chunk`; each rejected one also goes to `onRejected` (the CLI says
 * where). A chunk waits until it is full or the input ends: for a file or a pipe that closes, not for a live feed
 * (that is Kafka's path, message by message).
 */
export async function ingestAll(
  ingestor: Ingestor,
  messages: AsyncIterable<InboundMessage>,
  onRejected: (message: InboundMessage, reason: string) => void,
  chunk = INGEST_CHUNK,
): Promise<IngestCounts> {
  const counts: IngestCounts = { recorded: 0, duplicate: 0, parked: 0, rejected: 0 };
  let pending: InboundMessage[] = [];
  const flush = async () => {
    const outcomes = await ingestor.ingestBatch(pending);
    for (const [i, outcome] of outcomes.entries()) {
      counts[outcome.status]++;
      if (outcome.status === 'rejected') onRejected(pending[i]!, outcome.reason);
    }
    pending = [];
  };
  for await (const message of messages) {
    pending.push(message);
    if (pending.length >= chunk) await flush();
  }
  if (pending.length > 0) await flush();
  return counts;
}
