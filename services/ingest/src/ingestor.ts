import {
  caseEventSchema,
  decide,
  decideOnStatement,
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
import { WrongExpectedRevisionError, type AppendRequest, type EventStore, type NewEvent } from '@bijstand/event-store';
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
  type HouseholdForDecision,
  type Logger,
} from '@bijstand/platform';
import { foldMemberships, identityConflictReason, MEMBER_OF_HOUSEHOLD, MEMBERSHIP_ENDED, openingConflict, routeStatement, type Membership, type MembershipRecord } from './identity.js';
import { contentHash, MESSAGE_ID_CLAIMED, redeliveryConflict } from './messageIds.js';
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

  /**
   * Bulk ingest in arrival order, with the appends grouped into as few commits as the store can; the
   * same outcomes and the same events, in the same order, as ingest() one message at a time.
   * Consecutive statements are decided together (each message-id record, member stream and household
   * read once per run) and appended with one appendMany; case events take the per-message path, after
   * the statements before them are stored.
   */
  async ingestBatch(messages: readonly InboundMessage[]): Promise<IngestOutcome[]> {
    return this.store.groupCommits(async () => {
      const outcomes: IngestOutcome[] = new Array<IngestOutcome>(messages.length);
      let runStart = 0;
      for (const [i, message] of messages.entries()) {
        if (message.kind === 'statement') continue;
        if (runStart < i) await this.ingestStatementRun(messages, runStart, i, outcomes);
        outcomes[i] = await this.ingest(message);
        runStart = i + 1;
      }
      if (runStart < messages.length) await this.ingestStatementRun(messages, runStart, messages.length, outcomes);
      return outcomes;
    });
  }

  // ---- the batched path of a run of statements ----------------------------------------------------

  /**
   * messages[from, to), all statements: decided in order on what the run has read and appended so far,
   * appended in one appendMany, in the order the per-message path would append them. A statement that
   * parks or raises an alert (rare) is handed to the per-message path once what came before it is
   * stored. Should the appendMany fail (another writer got in between) or anything throw, nothing of
   * the segment was written: its messages then go the per-message path, which retries or throws as it would.
   */
  private async ingestStatementRun(messages: readonly InboundMessage[], from: number, to: number, outcomes: IngestOutcome[]): Promise<void> {
    let segment = new RunSegment();
    /** The first hash of each messageId (stored, or claimed earlier in the segment); null: unclaimed. */
    const claims = new Map<string, string | null>();
    /** The households decided on, as the segment leaves them. */
    const households = new Map<string, HouseholdForDecision>();
    const startSegment = () => {
      const done = segment;
      segment = new RunSegment();
      households.clear();
      claims.clear();
      return done;
    };
    for (let i = from; i < to; i++) {
      const message = messages[i]!;
      segment.indexes.push(i);
      let handed: PolisIncomeStatement | null;
      try {
        handed = await this.planStatement(message, i, segment, claims, households);
      } catch {
        // Unexpected (a read failed, a decider bug): the per-message path does the same, and throws where it would.
        await this.fallBack(messages, startSegment(), outcomes);
        continue;
      }
      if (handed === null) continue;
      segment.indexes.pop();
      await this.commitSegment(messages, startSegment(), outcomes);
      outcomes[i] = await this.recordStatement(handed, message);
    }
    await this.commitSegment(messages, startSegment(), outcomes);
  }

  /**
   * Plans message i into the segment: its appends, its outcome (or how to compute it from the append
   * results), its log line. Returns the statement when it is for the per-message path instead
   * (nothing of it planned).
   */
  private async planStatement(message: InboundMessage, i: number, segment: RunSegment, claims: Map<string, string | null>, households: Map<string, HouseholdForDecision>): Promise<PolisIncomeStatement | null> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.payload);
    } catch {
      segment.reject(i, this.rejection(message, 'payload: is not valid JSON'));
      return null;
    }
    const v = validate(polisIncomeStatementSchema, parsed);
    if (!v.ok) {
      segment.reject(i, this.rejection(message, v.reason));
      return null;
    }
    const statement = v.value;
    const hash = contentHash(statement);
    let first = claims.get(statement.messageId);
    if (first === undefined) {
      const [claimed] = await this.store.readStream(messageIdStream(statement.messageId));
      first = claimed ? (claimed.data as { hash: string }).hash : null;
      claims.set(statement.messageId, first);
    }
    if (first !== null) {
      const conflict = redeliveryConflict(statement.messageId, first, hash);
      if (conflict) {
        segment.reject(i, this.rejection(message, conflict, { masked: true }));
        return null;
      }
    }
    const householdId = routeStatement(await this.membershipsOf(statement.bsn), statement.period);
    if (!householdId) return statement; // parks
    let household = households.get(householdId);
    if (!household) {
      household = await this.households.load(this.store, householdId);
      households.set(householdId, household);
      segment.touched.add(householdId);
    }
    const decision = decideOnStatement(household.state, statement, message.recordedAt, message.source.type, this.ctx);
    if (decision.kind === 'append' && decision.flag) return statement; // raises an alert
    if (first === null) {
      segment.requests.push({ streamName: messageIdStream(statement.messageId), events: [this.claimEvent(hash, message.recordedAt)], expectedRevision: 'no-stream' });
      claims.set(statement.messageId, hash);
    }
    if (decision.kind === 'refused') {
      segment.reject(i, this.rejection(message, decision.reason));
      return null;
    }
    if (decision.events.length === 0) {
      segment.outcomes.set(i, { status: 'duplicate', householdId });
      return null;
    }
    const revisionBefore = household.revision;
    const eventId = `statement:${statement.messageId}`;
    segment.requests.push({ streamName: householdStream(householdId), events: this.householdNewEvents(decision.events, eventId, message.recordedAt), expectedRevision: revisionBefore < 0 ? 'no-stream' : revisionBefore });
    segment.appends.set(i, { request: segment.requests.length - 1, householdId, planned: decision.events.length });
    // The segment decides its next statements on the household with these events (the cache's entry:
    // forgotten again should the segment not be stored).
    if (!this.households.applyAppended(householdId, household, decision.events, revisionBefore + decision.events.length, Date.parse(message.recordedAt))) throw new Error(`household ${householdId}: its state could not be moved on in memory`);
    return null;
  }

  private async commitSegment(messages: readonly InboundMessage[], segment: RunSegment, outcomes: IngestOutcome[]): Promise<void> {
    if (segment.indexes.length === 0) return;
    let results;
    try {
      results = segment.requests.length > 0 ? await this.store.appendMany(segment.requests) : [];
    } catch {
      // All or nothing: another writer got in between (WrongExpectedRevisionError), or the store failed.
      await this.fallBack(messages, segment, outcomes);
      return;
    }
    for (const i of segment.indexes) {
      const append = segment.appends.get(i);
      if (append) {
        const appended = results[append.request]!.appended;
        // Not exactly the events planned (skipped as already stored): the household is read again next time.
        if (appended !== append.planned) this.households.forget(append.householdId);
        outcomes[i] = appended === 0 ? { status: 'duplicate', householdId: append.householdId } : { status: 'recorded', householdId: append.householdId, appended };
      } else {
        outcomes[i] = segment.outcomes.get(i)!;
      }
      const rejected = segment.rejections.get(i);
      if (rejected) this.logger.warn({ kind: messages[i]!.kind, source: messages[i]!.source, reason: rejected }, 'message rejected');
    }
  }

  /** Nothing of the segment was stored: the households it decided on are read again, its messages go one by one. */
  private async fallBack(messages: readonly InboundMessage[], segment: RunSegment, outcomes: IngestOutcome[]): Promise<void> {
    for (const householdId of segment.touched) this.households.forget(householdId);
    for (const i of segment.indexes) outcomes[i] = await this.ingest(messages[i]!);
  }

  // ---- statements -------------------------------------------------------------------------------

  private claimEvent(hash: string, recordedAt: Instant): NewEvent {
    return { eventId: `message-id:${hash}`, type: MESSAGE_ID_CLAIMED, schemaVersion: 1, recordedAt, data: { hash } };
  }

  private async recordStatement(statement: PolisIncomeStatement, message: InboundMessage): Promise<IngestOutcome> {
    const conflict = await this.claimMessageId(statement, message.recordedAt);
    if (conflict) return this.reject(message, conflict, { masked: true });
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
        await this.store.append(stream, [this.claimEvent(hash, recordedAt)], { expectedRevision: 'no-stream' });
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
      const decision = decideOnStatement(state, statement, statementRecordedAt, message.source.type, this.ctx);
      if (decision.kind === 'refused') throw new CommandRejected(decision.reason);
      flag = decision.flag;
      return decision.events;
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
    let outcome: IngestOutcome;
    for (let attempt = 0; ; attempt++) {
      const indexed = await Promise.all(event.members.map((m) => this.membershipIndexOf(m.bsn)));
      const conflict = openingConflict(event, indexed.map((i) => i.memberships));
      if (conflict) {
        const reason = identityConflictReason(conflict);
        const member = event.members[conflict.memberIndex]!.bsn;
        await this.raiseAlert(`identity-conflict:${caseEventId(event)}:${conflict.memberIndex}`, { kind: 'identity-conflict', householdId: event.householdId, member: maskBsn(member), reference: 'CaseOpened', reason, raisedAt: message.recordedAt });
        return this.reject(message, reason);
      }
      // Appended only if each member's index still stands where the check read it: another process
      // opening a case for one of them meanwhile makes this append fail, and the check runs again.
      const memberIndex = event.members.map((member, k) => ({
        ...this.membershipRequest(member.bsn, { type: MEMBER_OF_HOUSEHOLD, data: { householdId: event.householdId, role: member.role, startDate: event.startDate } }, `member:${event.householdId}`, message.recordedAt),
        expectedRevision: indexed[k]!.revision < 0 ? ('no-stream' as const) : indexed[k]!.revision,
      }));
      try {
        outcome = await this.decideAndAppend(event.householdId, message, caseEventId(event), (state) => decide({ type: 'RecordCaseEvent', event, recordedAt: message.recordedAt }, state, this.ctx), memberIndex);
        break;
      } catch (err) {
        const raced = err instanceof WrongExpectedRevisionError && err.streamName !== householdStream(event.householdId);
        if (raced && attempt < MAX_CONFLICT_RETRIES) continue;
        throw err;
      }
    }
    if (outcome.status === 'rejected') return outcome;
    for (const member of event.members) this.membershipsOfBsn.delete(member.bsn);
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
      await this.store.appendMany(state.members.map((member) => this.membershipRequest(member.bsn, { type: MEMBERSHIP_ENDED, data: { householdId: event.householdId, endDate: state.endDate! } }, `membership-ended:${event.householdId}:${state.endDate}`, message.recordedAt)));
      for (const member of state.members) this.membershipsOfBsn.delete(member.bsn);
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
    return cached ?? (await this.membershipIndexOf(bsn)).memberships;
  }

  /** The BSN's memberships as stored now, with the revision of its index stream (-1: none yet). */
  private async membershipIndexOf(bsn: string): Promise<{ memberships: Membership[]; revision: number }> {
    const recorded = await this.store.readStream(memberStream(bsn));
    const memberships = foldMemberships(recorded.map((e) => ({ type: e.type, data: e.data }) as MembershipRecord));
    this.membershipsOfBsn.set(bsn, memberships);
    return { memberships, revision: recorded.length > 0 ? recorded[recorded.length - 1]!.streamRevision : -1 };
  }

  /** A record of the identity index (one stream per BSN pseudonym); the caller forgets the BSN's cached memberships once it is stored. */
  private membershipRequest(bsn: string, record: MembershipRecord, eventId: string, recordedAt: Instant): AppendRequest {
    return { streamName: memberStream(bsn), events: [{ eventId, type: record.type, schemaVersion: record.type === MEMBER_OF_HOUSEHOLD ? 2 : 1, recordedAt, data: record.data }] };
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
  private async decideAndAppend(householdId: string, message: InboundMessage, eventId: string, decideOn: (state: HouseholdState) => HouseholdEvent[], alongside: readonly AppendRequest[] = []): Promise<IngestOutcome> {
    for (let attempt = 0; ; attempt++) {
      const household = await this.households.load(this.store, householdId);
      let events: HouseholdEvent[];
      try {
        events = decideOn(household.state);
      } catch (err) {
        if (err instanceof CommandRejected) return this.reject(message, err.reason);
        throw err;
      }
      if (events.length === 0) {
        // A re-delivery: what goes alongside is written again (idempotently), in case it was lost before.
        if (alongside.length > 0) await this.store.appendMany([...alongside]);
        return { status: 'duplicate', householdId };
      }
      try {
        // With what goes alongside (the members' index) in one transaction: all of it or none.
        const [appended] = await this.store.appendMany([
          { streamName: householdStream(householdId), events: this.householdNewEvents(events, eventId, message.recordedAt), expectedRevision: household.revision < 0 ? 'no-stream' : household.revision },
          ...alongside,
        ]);
        const result = appended!;
        this.households.applyAppended(householdId, household, events, result.nextExpectedRevision, Date.parse(message.recordedAt));
        return result.appended === 0 ? { status: 'duplicate', householdId } : { status: 'recorded', householdId, appended: result.appended };
      } catch (err) {
        this.households.forget(householdId);
        // Another writer on the household: decide again. On a stream alongside: the caller's to handle.
        if (err instanceof WrongExpectedRevisionError && err.streamName === householdStream(householdId) && attempt < MAX_CONFLICT_RETRIES) continue;
        throw err;
      }
    }
  }

  private householdNewEvents(events: readonly HouseholdEvent[], eventId: string, recordedAt: Instant): NewEvent[] {
    // One event: its id names the message already. Several: the correlation id ties them to it.
    if (events.length === 1) return [toNewEvent(events[0]!, { eventId, recordedAt })];
    return events.map((e, i) => toNewEvent(e, { eventId: `${eventId}:${i}`, recordedAt, correlationId: eventId }));
  }

  /** A rejection's reason and the event that stores it. */
  private rejection(message: InboundMessage, rawReason: string, options: { masked?: boolean } = {}): { reason: string; event: NewEvent } {
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

  private async reject(message: InboundMessage, rawReason: string, options: { masked?: boolean } = {}): Promise<IngestOutcome> {
    const { reason, event } = this.rejection(message, rawReason, options);
    await this.store.append(REJECTED_STREAM, [event]);
    this.logger.warn({ kind: message.kind, source: message.source, reason }, 'message rejected');
    return { status: 'rejected', reason };
  }
}

/** What a run of statements has planned since its last appendMany. */
class RunSegment {
  /** The messages planned, in order. */
  readonly indexes: number[] = [];
  readonly requests: AppendRequest[] = [];
  /** Outcomes known before the append (rejected, duplicate by the household's state). */
  readonly outcomes = new Map<number, IngestOutcome>();
  /** Reasons of the rejected, logged once stored. */
  readonly rejections = new Map<number, string>();
  /** Statements whose outcome is their household append's result. */
  readonly appends = new Map<number, { request: number; householdId: string; planned: number }>();
  /** Households whose cached state the segment moved on. */
  readonly touched = new Set<string>();

  reject(i: number, rejection: { reason: string; event: NewEvent }): void {
    this.requests.push({ streamName: REJECTED_STREAM, events: [rejection.event] });
    this.outcomes.set(i, { status: 'rejected', reason: rejection.reason });
    this.rejections.set(i, rejection.reason);
  }
}
