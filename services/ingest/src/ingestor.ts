import type { DecisionContext } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { HouseholdCache, type Logger } from '@bijstand/platform';
import { recordCaseEvent } from './casePath.js';
import { IdentityIndex } from './identityIndex.js';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';
import { reject } from './rejection.js';
import { ingestBatch } from './statementBatch.js';
import { recordStatement } from './statementPath.js';
import { validateCaseEvent, validateStatement } from './validation.js';

export type { InboundKind, InboundMessage, IngestOutcome, MessageSource } from './inbound.js';

/**
 * Validates, deduplicates and stores inbound messages. Every message ends in exactly one place: its
 * household's stream, a parked stream (a statement of a BSN without a case, a case event before its
 * CaseOpened), or the rejected-message stream with the reason. Folded household states are cached
 * between messages (only the events appended since are read), so a household's ingest stays linear.
 *
 * One message's path, by module: validation → statementPath (messageIdClaims, identity routing,
 * statementAppend, or parkedStatements) or casePath (opening and closure with the identity index,
 * parked case events); householdAppend stores, rejection and raiseIngestAlert report. ingestBatch
 * (statementBatch) decides runs of statements together, with the same outcomes.
 */
export class Ingestor {
  private readonly deps: IngestDeps;

  constructor(store: EventStore, ctx: DecisionContext, logger: Logger) {
    this.deps = { store, ctx, logger, households: new HouseholdCache(), identity: new IdentityIndex(store) };
  }

  async ingest(message: InboundMessage): Promise<IngestOutcome> {
    if (message.kind === 'statement') {
      const v = validateStatement(message);
      return v.ok ? recordStatement(this.deps, v.value, message) : reject(this.deps, message, v.reason);
    }
    const v = validateCaseEvent(message);
    return v.ok ? recordCaseEvent(this.deps, v.value, message) : reject(this.deps, message, v.reason);
  }

  async ingestAll(messages: Iterable<InboundMessage>): Promise<IngestOutcome[]> {
    const out: IngestOutcome[] = [];
    for (const m of messages) out.push(await this.ingest(m));
    return out;
  }

  /** Bulk ingest in arrival order, appends grouped into few commits: the same outcomes and events as ingest(). */
  async ingestBatch(messages: readonly InboundMessage[]): Promise<IngestOutcome[]> {
    return ingestBatch(this.deps, messages, (m) => this.ingest(m));
  }
}
