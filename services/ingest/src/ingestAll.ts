import type { InboundMessage } from './inbound.js';
import type { Ingestor } from './ingestor.js';

/** Where a run's messages ended: recorded, duplicate, parked, rejected (in this order, as `ingest` prints them). */
export type IngestCounts = Record<'recorded' | 'duplicate' | 'parked' | 'rejected', number>;

/** Ingests the messages one by one, in order; each rejected one also goes to `onRejected` (the CLI says where). */
export async function ingestAll(
  ingestor: Ingestor,
  messages: AsyncIterable<InboundMessage>,
  onRejected: (message: InboundMessage, reason: string) => void,
): Promise<IngestCounts> {
  const counts: IngestCounts = { recorded: 0, duplicate: 0, parked: 0, rejected: 0 };
  for await (const message of messages) {
    const outcome = await ingestor.ingest(message);
    counts[outcome.status]++;
    if (outcome.status === 'rejected') onRejected(message, outcome.reason);
  }
  return counts;
}
