import {
  caseEventSchema,
  decide,
  CommandRejected,
  polisIncomeStatementSchema,
  validate,
  type CaseEvent,
  type CaseOpened,
  type HouseholdEvent,
  type HouseholdState,
  type Instant,
  type PolisIncomeStatement,
  type DecisionContext,
} from '@bijstand/domain';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from '@bijstand/event-store';
import {
  HouseholdCache,
  INGEST_ALERTS_STREAM,
  REJECTED_STREAM,
  bsnPseudonym,
  canonicalJson,
  householdStream,
  maskBsn,
  maskBsnRuns,
  memberStream,
  messageIdStream,
  parkedCaseStream,
  parkedStream,
  sha256Hex,
  toNewEvent,
  type Logger,
} from '@bijstand/platform';
import { foldMemberships, identityConflictReason, MEMBER_OF_HOUSEHOLD, MEMBERSHIP_ENDED, openingConflict, routeStatement, type Membership, type MembershipRecord } from './identity.js';
import { contentHash, MESSAGE_ID_CLAIMED, redeliveryConflict } from './messageIds.js';
import { statementVersionVerdict } from './statementVersions.js';
import { CASE_EVENT_PARKED, PARKED_RELEASED, STATEMENT_PARKED, stillParked } from './parking.js';
import { INGEST_ALERT_RAISED, type IngestAlert } from './ingestAlerts.js';

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

const MAX_CONFLICT_RETRIES = 5;

/** A parked message as stored: the validated content, the raw text, and when and where it arrived. */
interface ParkedData<T> {
  recordedAt: Instant;
  source: MessageSource;
  payload?: string;
  statement?: T;
  event?: T;
}

/** Case events have no id of their own: their content is their identity (a re-delivery is the same text). */
const caseEventId = (event: CaseEvent) => `case:${sha256Hex(canonicalJson(event)).slice(0, 32)}`;

/**
 * Validates, deduplicates and stores inbound messages. Every message ends in exactly one place: its
 * household's stream, a parked stream (a statement of a BSN without a case, a case event before its
 * CaseOpened), or the rejected-message stream with the reason. Folded household states are cached
 * between messages (only the events appended since are read), so a household's ingest stays linear.
 */
export class Ingestor {
  private readonly membershipsOfBsn = new Map<string, Membership[]>();
  private readonly households = new HouseholdCache();

  constructor(
    private readonly store: EventStore,
    private readonly ctx: DecisionContext,
    private readonly logger: Logger,
  ) {}

  async ingest(message: InboundMessage): Promise<IngestOutcome> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.payload);
    } catch {
      return this.reject(message, 'payload: is not valid JSON');
    }
    if (message.kind === 'statement') {
      const v = validate(polisIncomeStatementSchema, parsed);
      return v.ok ? this.recordStatement(v.value, message) : this.reject(message, v.reason);
    }
    const v = validate(caseEventSchema, parsed);
    return v.ok ? this.recordCaseEvent(v.value, message) : this.reject(message, v.reason);
  }

  async ingestAll(messages: Iterable<InboundMessage>): Promise<IngestOutcome[]> {
    const out: IngestOutcome[] = [];
    for (const m of messages) out.push(await this.ingest(m));
    return out;
  }

  /** Bulk ingest in arrival order, with the appends grouped into as few commits as the store can. */
  async ingestBatch(messages: readonly InboundMessage[]): Promise<IngestOutcome[]> {
    return this.store.groupCommits(() => this.ingestAll(messages));
  }

  // ---- statements -------------------------------------------------------------------------------

  private async recordStatement(statement: PolisIncomeStatement, message: InboundMessage): Promise<IngestOutcome> {
    const conflict = await this.claimMessageId(statement, message.recordedAt);
    if (conflict) return this.reject(message, conflict);
    const householdId = routeStatement(await this.membershipsOf(statement.bsn), statement.period);
    if (!householdId) return this.parkStatement(statement, message);
    return this.appendStatement(householdId, statement, message, message.recordedAt);
  }

  /**
   * The first content a messageId arrived with is kept (its hash); the same id with other content is
   * a conflict, whichever BSN it names. Null: the first time, or a re-delivery of the same content.
   */
  private async claimMessageId(statement: PolisIncomeStatement, recordedAt: Instant): Promise<string | null> {
    const stream = messageIdStream(statement.messageId);
    const hash = contentHash(statement);
    for (let attempt = 0; ; attempt++) {
      const [first] = await this.store.readStream(stream);
      if (first) return redeliveryConflict(statement.messageId, (first.data as { hash: string }).hash, hash);
      try {
        await this.store.append(stream, [{ eventId: `message-id:${hash}`, type: MESSAGE_ID_CLAIMED, schemaVersion: 1, recordedAt, data: { hash } }], { expectedRevision: 'no-stream' });
        return null;
      } catch (err) {
        // Another consumer claimed it meanwhile: read what it claimed.
        if (err instanceof WrongExpectedRevisionError && attempt < MAX_CONFLICT_RETRIES) continue;
        throw err;
      }
    }
  }

  private async appendStatement(householdId: string, statement: PolisIncomeStatement, message: InboundMessage, statementRecordedAt: Instant): Promise<IngestOutcome> {
    let flag: IngestAlert['kind'] | null = null;
    const outcome = await this.decideAndAppend(householdId, message, `statement:${statement.messageId}`, (state) => {
      const verdict = statementVersionVerdict(state, statement);
      if (verdict.kind === 'superseded') throw new CommandRejected(verdict.reason);
      flag = verdict.kind === 'record-flagged' ? verdict.flag : null;
      return decide({ type: 'RecordIncomeStatement', statement, recordedAt: statementRecordedAt, channel: message.source.type }, state, this.ctx);
    });
    if (flag && outcome.status === 'recorded') {
      const reason = flag === 'correction-without-initial' ? 'a correction arrived for an income relationship and period without an initial statement; recorded as the first version known (SPEC §1.1)' : 'a withdrawal arrived for an income relationship and period without a statement to withdraw; recorded, nothing is in force for it (SPEC §1.1)';
      await this.raiseAlert(`${flag}:${statement.messageId}`, { kind: flag, householdId, member: maskBsn(statement.bsn), reference: statement.messageId, reason, raisedAt: message.recordedAt });
    }
    return outcome;
  }

  private async parkStatement(statement: PolisIncomeStatement, message: InboundMessage): Promise<IngestOutcome> {
    const data: ParkedData<PolisIncomeStatement> = { statement, payload: message.payload, recordedAt: message.recordedAt, source: message.source };
    await this.store.append(parkedStream(statement.bsn), [{ eventId: `statement:${statement.messageId}`, type: STATEMENT_PARKED, schemaVersion: 1, recordedAt: message.recordedAt, data }]);
    // Write, then check again: a case opened meanwhile (by another consumer) may have released the
    // parked statements just before this one was parked; releasing again is idempotent.
    const householdId = routeStatement(await this.membershipsOf(statement.bsn, { fresh: true }), statement.period);
    if (householdId) {
      await this.releaseParkedStatements(statement.bsn, message.recordedAt);
      return { status: 'recorded', householdId, appended: 1 };
    }
    this.logger.info({ messageId: statement.messageId, member: bsnPseudonym(statement.bsn) }, 'statement parked: no case for this BSN yet');
    return { status: 'parked' };
  }

  /**
   * Statements parked before a case of their BSN opened enter their household now: the stored
   * event's recordedAt is this moment (so an as-of replay sees them when the decisions did), the
   * statement keeps its own.
   */
  private async releaseParkedStatements(bsn: string, releasedAt: Instant): Promise<void> {
    const stream = parkedStream(bsn);
    const pending = stillParked(await this.store.readStream(stream));
    if (pending.length === 0) return;
    const memberships = await this.membershipsOf(bsn);
    for (const p of pending) {
      const { statement, payload, recordedAt, source } = p.data as ParkedData<PolisIncomeStatement>;
      const householdId = routeStatement(memberships, statement!.period)!;
      await this.appendStatement(householdId, statement!, { kind: 'statement', payload: payload ?? JSON.stringify(statement), recordedAt: releasedAt, source }, recordedAt);
    }
    await this.markReleased(stream, pending[pending.length - 1]!.streamRevision, releasedAt);
  }

  // ---- case events ------------------------------------------------------------------------------

  private async recordCaseEvent(event: CaseEvent, message: InboundMessage): Promise<IngestOutcome> {
    if (event.type === 'CaseOpened') return this.openCase(event, message);
    const household = await this.households.load(this.store, event.householdId);
    if (household.state.householdId === null) return this.parkCaseEvent(event, message);
    return this.applyCaseEvent(event, message, message.recordedAt);
  }

  /**
   * One person, one case at a time (across households): an opening naming a member of another case
   * whose period it overlaps is refused, and the consultant is alerted. Once opened, the members are
   * indexed with the case's start, and what was parked for them or for the household is applied.
   */
  private async openCase(event: CaseOpened, message: InboundMessage): Promise<IngestOutcome> {
    const memberships = await Promise.all(event.members.map((m) => this.membershipsOf(m.bsn, { fresh: true })));
    const conflict = openingConflict(event, memberships);
    if (conflict) {
      const reason = identityConflictReason(conflict);
      const member = event.members[conflict.memberIndex]!.bsn;
      await this.raiseAlert(`identity-conflict:${caseEventId(event)}:${conflict.memberIndex}`, { kind: 'identity-conflict', householdId: event.householdId, member: maskBsn(member), reference: 'CaseOpened', reason, raisedAt: message.recordedAt });
      return this.reject(message, reason);
    }
    const outcome = await this.decideAndAppend(event.householdId, message, caseEventId(event), (state) => decide({ type: 'RecordCaseEvent', event, recordedAt: message.recordedAt }, state, this.ctx));
    if (outcome.status === 'rejected') return outcome;
    for (const member of event.members) {
      await this.appendMembership(member.bsn, { type: MEMBER_OF_HOUSEHOLD, data: { householdId: event.householdId, role: member.role, startDate: event.startDate } }, `member:${event.householdId}`, message.recordedAt);
    }
    for (const member of event.members) await this.releaseParkedStatements(member.bsn, message.recordedAt);
    await this.drainParkedCaseEvents(event.householdId, message.recordedAt);
    return outcome;
  }

  /** A case event of an opened household; a closure ends the members' memberships (it releases their BSNs). */
  private async applyCaseEvent(event: Exclude<CaseEvent, CaseOpened>, message: InboundMessage, eventRecordedAt: Instant): Promise<IngestOutcome> {
    const outcome = await this.decideAndAppend(event.householdId, message, caseEventId(event), (state) => decide({ type: 'RecordCaseEvent', event, recordedAt: eventRecordedAt }, state, this.ctx));
    if (event.type === 'CaseClosed' && outcome.status !== 'rejected') {
      const { state } = await this.households.load(this.store, event.householdId);
      // The end in force is the household's (a later CaseClosed may have moved it); written again on a re-delivery, idempotently.
      for (const member of state.members) {
        await this.appendMembership(member.bsn, { type: MEMBERSHIP_ENDED, data: { householdId: event.householdId, endDate: state.endDate! } }, `membership-ended:${event.householdId}:${state.endDate}`, message.recordedAt);
      }
    }
    return outcome;
  }

  private async parkCaseEvent(event: Exclude<CaseEvent, CaseOpened>, message: InboundMessage): Promise<IngestOutcome> {
    const data: ParkedData<CaseEvent> = { event, payload: message.payload, recordedAt: message.recordedAt, source: message.source };
    const eventId = caseEventId(event);
    await this.store.append(parkedCaseStream(event.householdId), [{ eventId, type: CASE_EVENT_PARKED, schemaVersion: 1, recordedAt: message.recordedAt, data }]);
    // Write, then check again (as for statements): the case may have opened meanwhile.
    const household = await this.households.load(this.store, event.householdId);
    if (household.state.householdId !== null) {
      const outcomes = await this.drainParkedCaseEvents(event.householdId, message.recordedAt);
      return outcomes.get(eventId) ?? { status: 'duplicate', householdId: event.householdId };
    }
    this.logger.info({ householdId: event.householdId, type: event.type }, 'case event parked: its CaseOpened has not arrived yet');
    return { status: 'parked' };
  }

  /** The household's parked case events, in the order they were parked, once its case is open. */
  private async drainParkedCaseEvents(householdId: string, releasedAt: Instant): Promise<Map<string, IngestOutcome>> {
    const stream = parkedCaseStream(householdId);
    const pending = stillParked(await this.store.readStream(stream));
    const outcomes = new Map<string, IngestOutcome>();
    for (const p of pending) {
      const { event, payload, recordedAt, source } = p.data as ParkedData<Exclude<CaseEvent, CaseOpened>>;
      outcomes.set(p.eventId, await this.applyCaseEvent(event!, { kind: 'case', payload: payload ?? JSON.stringify(event), recordedAt: releasedAt, source }, recordedAt));
    }
    if (pending.length > 0) await this.markReleased(stream, pending[pending.length - 1]!.streamRevision, releasedAt);
    return outcomes;
  }

  // ---- the identity index -----------------------------------------------------------------------

  private async membershipsOf(bsn: string, options: { fresh?: boolean } = {}): Promise<Membership[]> {
    const cached = options.fresh ? undefined : this.membershipsOfBsn.get(bsn);
    if (cached) return cached;
    const records = (await this.store.readStream(memberStream(bsn))).map((e) => ({ type: e.type, data: e.data }) as MembershipRecord);
    const memberships = foldMemberships(records);
    this.membershipsOfBsn.set(bsn, memberships);
    return memberships;
  }

  private async appendMembership(bsn: string, record: MembershipRecord, eventId: string, recordedAt: Instant): Promise<void> {
    await this.store.append(memberStream(bsn), [{ eventId, type: record.type, schemaVersion: record.type === MEMBER_OF_HOUSEHOLD ? 2 : 1, recordedAt, data: record.data }]);
    this.membershipsOfBsn.delete(bsn);
  }

  // ---- storing ----------------------------------------------------------------------------------

  private async markReleased(stream: string, upToRevision: number, releasedAt: Instant): Promise<void> {
    await this.store.append(stream, [{ eventId: `released:${upToRevision}`, type: PARKED_RELEASED, schemaVersion: 1, recordedAt: releasedAt, data: { upToRevision } }]);
  }

  private async raiseAlert(eventId: string, alert: IngestAlert): Promise<void> {
    const event: NewEvent = { eventId, type: INGEST_ALERT_RAISED, schemaVersion: 1, recordedAt: alert.raisedAt, data: alert };
    await this.store.append(INGEST_ALERTS_STREAM, [event]);
    this.logger.warn({ kind: alert.kind, householdId: alert.householdId, reference: alert.reference }, 'ingest alert raised');
  }

  /**
   * Decide on the household as it stands (cached, plus what was appended since) and append with
   * optimistic concurrency; a conflicting writer means: reload and decide again.
   */
  private async decideAndAppend(householdId: string, message: InboundMessage, eventId: string, decideOn: (state: HouseholdState) => HouseholdEvent[]): Promise<IngestOutcome> {
    for (let attempt = 0; ; attempt++) {
      const household = await this.households.load(this.store, householdId);
      let events: HouseholdEvent[];
      try {
        events = decideOn(household.state);
      } catch (err) {
        if (err instanceof CommandRejected) return this.reject(message, err.reason);
        throw err;
      }
      if (events.length === 0) return { status: 'duplicate', householdId };
      try {
        const result = await this.store.append(
          householdStream(householdId),
          events.map((e, i) => toNewEvent(e, { eventId: events.length === 1 ? eventId : `${eventId}:${i}`, recordedAt: message.recordedAt, correlationId: eventId })),
          { expectedRevision: household.revision < 0 ? 'no-stream' : household.revision },
        );
        this.households.applyAppended(householdId, household, events, result.nextExpectedRevision, Date.parse(message.recordedAt));
        return result.appended === 0 ? { status: 'duplicate', householdId } : { status: 'recorded', householdId, appended: result.appended };
      } catch (err) {
        this.households.forget(householdId);
        if (err instanceof WrongExpectedRevisionError && attempt < MAX_CONFLICT_RETRIES) continue;
        throw err;
      }
    }
  }

  private async reject(message: InboundMessage, rawReason: string): Promise<IngestOutcome> {
    // A reason quotes the input (a key, a household id from the case system) and people read it: its
    // BSN-like runs are masked (the raw payload is kept apart, for reprocessing).
    const reason = maskBsnRuns(rawReason);
    await this.store.append(REJECTED_STREAM, [
      {
        // Identity of the receipt, not only its content: two bad messages with the same text are two
        // messages; the same Kafka offset (or file line) delivered again is one.
        eventId: `rejected:${sha256Hex(`${message.kind}\n${canonicalJson(message.source)}\n${message.payload}`).slice(0, 32)}`,
        type: 'MessageRejected',
        schemaVersion: 1,
        recordedAt: message.recordedAt,
        data: { kind: message.kind, reason, payload: message.payload, source: message.source },
      },
    ]);
    this.logger.warn({ kind: message.kind, source: message.source, reason }, 'message rejected');
    return { status: 'rejected', reason };
  }
}
