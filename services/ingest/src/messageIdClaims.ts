import type { Instant, PolisIncomeStatement } from '@bijstand/domain';
import { WrongExpectedRevisionError, type EventStore, type NewEvent, type RecordedEvent } from '@bijstand/event-store';
import { messageIdStream } from '@bijstand/platform';
import { MAX_CONFLICT_RETRIES } from './inbound.js';
import { contentHash, MESSAGE_ID_CLAIMED, redeliveryConflict } from './messageIds.js';

/** De-duplication by messageId, as stored: one stream per messageId whose first event holds the content's hash. */

export function claimEvent(hash: string, recordedAt: Instant): NewEvent {
  return { eventId: `message-id:${hash}`, type: MESSAGE_ID_CLAIMED, schemaVersion: 1, recordedAt, data: { hash } };
}

/** The hash the messageId was first claimed with; null: unclaimed. */
export async function firstClaimedHash(store: EventStore, messageId: string): Promise<string | null> {
  return hashOfClaim(await store.readStream(messageIdStream(messageId)));
}

/** The hash of a messageId stream as read (its first event); null: unclaimed. */
export function hashOfClaim(recorded: readonly RecordedEvent[]): string | null {
  const [claimed] = recorded;
  return claimed ? (claimed.data as { hash: string }).hash : null;
}

/**
 * The first content a messageId arrived with is kept (its hash); the same id with other content is
 * a conflict, whichever BSN it names. Null: the first time, or a re-delivery of the same content.
 */
export async function claimMessageId(
  store: EventStore,
  statement: PolisIncomeStatement,
  recordedAt: Instant,
): Promise<string | null> {
  const stream = messageIdStream(statement.messageId);
  const hash = contentHash(statement);
  for (let attempt = 0; ; attempt++) {
    const [first] = await store.readStream(stream);
    if (first) return redeliveryConflict(statement.messageId, (first.data as { hash: string }).hash, hash);
    try {
      await store.append(stream, [claimEvent(hash, recordedAt)], { expectedRevision: 'no-stream' });
      return null;
    } catch (err) {
      // Another consumer claimed it meanwhile: read what it claimed.
      if (err instanceof WrongExpectedRevisionError && attempt < MAX_CONFLICT_RETRIES) continue;
      throw err;
    }
  }
}
