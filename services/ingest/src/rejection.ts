import type { NewEvent } from '@bijstand/event-store';
import { REJECTED_STREAM, canonicalJson, maskBsnRuns, sha256Hex } from '@bijstand/platform';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';

/** A rejection's reason and the event that stores it. */
export function rejection(
  message: InboundMessage,
  rawReason: string,
  options: { masked?: boolean } = {},
): { reason: string; event: NewEvent } {
  // A reason quotes the input (a key, a household id from the case system) and people read it: its
  // BSN-like runs are masked (the raw payload is kept apart, for reprocessing), unless its maker did.
  const reason = options.masked ? rawReason : maskBsnRuns(rawReason);
  return {
    reason,
    event: {
      // Identity of the receipt, not only its content: two bad messages with the same text are two
      // messages; the same Kafka offset (or file line) delivered again is one.
      eventId: `rejected:${sha256Hex(`${message.kind}\n${canonicalJson(message.source)}\n${message.payload}`).slice(0, 32)}`,
      type: 'MessageRejected',
      schemaVersion: 1,
      recordedAt: message.recordedAt,
      data: { kind: message.kind, reason, payload: message.payload, source: message.source },
    },
  };
}

/** The message ends in the rejected-message stream, with its reason. */
export async function reject(
  deps: Pick<IngestDeps, 'store' | 'logger'>,
  message: InboundMessage,
  rawReason: string,
  options: { masked?: boolean } = {},
): Promise<IngestOutcome> {
  const { reason, event } = rejection(message, rawReason, options);
  await deps.store.append(REJECTED_STREAM, [event]);
  deps.logger.warn({ kind: message.kind, source: message.source, reason }, 'message rejected');
  return { status: 'rejected', reason };
}
