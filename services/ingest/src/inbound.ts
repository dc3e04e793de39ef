import type { DecisionContext, Instant } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import type { HouseholdCache, Logger } from '@bijstand/platform';
import type { IdentityIndex } from './identityIndex.js';
import type { MessageIdClaims } from './messageIdClaims.js';

/** Which channel a message came in on: polis wage statements or case events (each its own topic/file). */
export type InboundKind = 'statement' | 'case';

export type MessageSource =
  | { type: 'kafka'; topic: string; partition: number; offset: string }
  | { type: 'file'; name: string; line: number }
  | { type: 'inline'; reference: string };

export interface InboundMessage {
  kind: InboundKind;
  /** The raw text as received; stored verbatim when the message is rejected. */
  payload: string;
  recordedAt: Instant;
  source: MessageSource;
}

export type IngestOutcome =
  | { status: 'recorded'; householdId: string; appended: number }
  | { status: 'duplicate'; householdId: string }
  | { status: 'parked' }
  | { status: 'rejected'; reason: string };

/**
 * What the paths of one Ingestor share: the store, the rules, the log, and the two caches (folded
 * households, memberships per BSN) that keep a household's ingest linear.
 */
export interface IngestDeps {
  store: EventStore;
  ctx: DecisionContext;
  logger: Logger;
  households: HouseholdCache;
  identity: IdentityIndex;
  /** The messageIds received, each with the hash of its first content (messageIdClaims.ts). */
  claims: MessageIdClaims;
  /** ingestBatch reads ahead for a segment of statements (statementBatch.ts); false: INGEST_PREFETCH=off. */
  prefetch: boolean;
}

/** A lost race (another writer got in between) is read again and retried this many times. */
export const MAX_CONFLICT_RETRIES = 5;
