import type { CaseOpened, DecisionContext, Instant } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import { ConfigurationError, HouseholdCache, type Logger, type Municipalities } from '@bijstand/platform';
import { isPaymentAccountPayload, validatePaymentAccount } from './accountPath.js';
import { recordCaseEvent } from './casePath.js';
import { IdentityIndex } from './identityIndex.js';
import { MessageIdClaims } from './messageIdClaims.js';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';
import { placeParked } from './parkedPlacement.js';
import { reject } from './rejection.js';
import { ingestBatch } from './statementBatch.js';
import { unsettleableReason } from './settleable.js';
import { recordStatement } from './statementPath.js';
import { validateCaseEvent, validateStatement } from './validation.js';

export type { InboundKind, InboundMessage, IngestOutcome, MessageSource } from './inbound.js';

export interface IngestorOptions {
  /**
   * The deployment's municipalities: a CaseOpened naming one it does not name is refused, and a case's
   * dates are checked against its own municipality's tables (settleable.ts). Without it, `ctx`'s tables.
   */
  municipalities?: Municipalities;
  /**
   * Whether ingestBatch reads a segment's claims, member indexes and households ahead in a few queries
   * (the same outcomes and events either way). Default: `prefetchSetting` of INGEST_PREFETCH and the store.
   */
  prefetch?: boolean;
}

/**
 * INGEST_PREFETCH: `on`, `off`, or unset for the store's own choice: on where each read is a round trip
 * (PostgreSQL, EventStoreDB), off where reads stay in this process (SQLite, memory), since reading ahead there
 * does the same reads in more steps (measured 2026-12-07: SQLite ingest 5–9 % faster without it).
 */
export function prefetchSetting(store: Pick<EventStore, 'reads'>, value: string | undefined): boolean {
  if (value === undefined || value === '') return store.reads === 'network';
  if (value === 'on' || value === 'off') return value === 'on';
  throw new ConfigurationError(
    `INGEST_PREFETCH: '${value}' must be on or off (unset: on for PostgreSQL, off for SQLite)`,
  );
}

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
function parsedOrNull(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return null;
  }
}

export class Ingestor {
  private readonly deps: IngestDeps;
  private readonly municipalities: Municipalities | undefined;

  constructor(store: EventStore, ctx: DecisionContext, logger: Logger, options: IngestorOptions = {}) {
    this.deps = {
      store,
      ctx,
      logger,
      households: new HouseholdCache(),
      identity: new IdentityIndex(store),
      claims: new MessageIdClaims(store),
      prefetch: options.prefetch ?? prefetchSetting(store, process.env.INGEST_PREFETCH),
    };
    this.municipalities = options.municipalities;
  }

  async ingest(message: InboundMessage): Promise<IngestOutcome> {
    if (message.kind === 'statement') {
      const v = validateStatement(message);
      return v.ok ? recordStatement(this.deps, v.value, message) : reject(this.deps, message, v.reason);
    }
    if (isPaymentAccountPayload(parsedOrNull(message.payload))) {
      const account = validatePaymentAccount(JSON.parse(message.payload));
      return account.ok
        ? recordCaseEvent(this.deps, account.value, message)
        : reject(this.deps, message, account.reason);
    }
    const v = validateCaseEvent(message);
    if (!v.ok) return reject(this.deps, message, v.reason);
    const unsettleable = unsettleableReason(v.value, this.deps.ctx, this.municipalities);
    return unsettleable ? reject(this.deps, message, unsettleable) : recordCaseEvent(this.deps, v.value, message);
  }

  async ingestAll(messages: Iterable<InboundMessage>): Promise<IngestOutcome[]> {
    const out: IngestOutcome[] = [];
    for (const m of messages) out.push(await this.ingest(m));
    return out;
  }

  /** Bulk ingest in arrival order, appends grouped into few commits: the same outcomes and events as ingest(). */
  async ingestBatch(messages: readonly InboundMessage[]): Promise<IngestOutcome[]> {
    return ingestBatch(
      this.deps,
      messages,
      (m) => this.ingest(m),
      (m) => this.plainOpening(m),
    );
  }

  /** The case message as the CaseOpened ingest() would take to openCase (valid and settleable); null: any other. */
  private plainOpening(message: InboundMessage): CaseOpened | null {
    if (message.kind !== 'case' || isPaymentAccountPayload(parsedOrNull(message.payload))) return null;
    const v = validateCaseEvent(message);
    if (!v.ok || v.value.type !== 'CaseOpened') return null;
    return unsettleableReason(v.value, this.deps.ctx, this.municipalities) ? null : v.value;
  }

  /** A parked message placed now if its case is open (the backoffice's retry, parkedActions.ts); null: it waits. */
  async placeParked(parked: RecordedEvent, at: Instant): Promise<IngestOutcome | null> {
    return placeParked(this.deps, parked, at);
  }
}
