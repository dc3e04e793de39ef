import {
  caseEventSchema,
  decide,
  statementRecorded,
  CommandRejected,
  polisIncomeStatementSchema,
  validate,
  type CaseEvent,
  type Instant,
  type PolisIncomeStatement,
  type DecisionContext,
} from '@bijstand/domain';
import { WrongExpectedRevisionError, type EventStore } from '@bijstand/event-store';
import {
  REJECTED_STREAM,
  bsnPseudonym,
  canonicalJson,
  householdStream,
  loadLatestHousehold,
  maskBsnRuns,
  memberStream,
  parkedStream,
  sha256Hex,
  toNewEvent,
  type Logger,
} from '@bijstand/platform';

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

/**
 * Validates, deduplicates and stores inbound messages. Every message ends in exactly one place: its
 * household's stream, the parked stream of its BSN, or the rejected-message stream with the reason.
 */
export class Ingestor {
  private readonly householdOfBsn = new Map<string, string>();

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
   * Bulk ingest in arrival order: runs of statements whose BSN routes to an open case are appended in
   * one transaction (no household is folded for them); everything else goes through ingest().
   */
  async ingestBatch(messages: readonly InboundMessage[]): Promise<IngestOutcome[]> {
    // One commit for the whole batch where the store can: a commit per case event cost more than the rest.
    return this.store.groupCommits(() => this.ingestInOrder(messages));
  }

  private async ingestInOrder(messages: readonly InboundMessage[]): Promise<IngestOutcome[]> {
    const outcomes: IngestOutcome[] = new Array(messages.length);
    let run: Array<{ index: number; householdId: string; statement: PolisIncomeStatement; message: InboundMessage }> = [];
    const flush = async () => {
      if (run.length === 0) return;
      // The same messageId twice in one batch: the first counts, the others are re-deliveries.
      const firstOfId = new Set<string>();
      const byHousehold = new Map<string, typeof run>();
      for (const r of run) {
        if (firstOfId.has(r.statement.messageId)) {
          outcomes[r.index] = { status: 'duplicate', householdId: r.householdId };
          continue;
        }
        firstOfId.add(r.statement.messageId);
        byHousehold.set(r.householdId, [...(byHousehold.get(r.householdId) ?? []), r]);
      }
      const requests = [...byHousehold].map(([householdId, rs]) => ({
        streamName: householdStream(householdId),
        events: rs.map((r) => toNewEvent(statementRecorded(r.statement, r.message.recordedAt, r.message.source.type), { eventId: `statement:${r.statement.messageId}`, recordedAt: r.message.recordedAt, correlationId: `statement:${r.statement.messageId}` })),
      }));
      const results = await this.store.appendMany(requests);
      [...byHousehold.values()].forEach((rs, i) => {
        // The store skips ids it already holds; when it skipped some but not all of a household's
        // statements, which ones is not reported, so they are all counted as recorded.
        const appended = results[i]!.appended;
        for (const r of rs) outcomes[r.index] = appended === 0 ? { status: 'duplicate', householdId: r.householdId } : { status: 'recorded', householdId: r.householdId, appended: 1 };
      });
      run = [];
    };
    for (const [index, message] of messages.entries()) {
      if (message.kind === 'statement') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(message.payload);
        } catch {
          parsed = undefined;
        }
        const v = parsed === undefined ? null : validate(polisIncomeStatementSchema, parsed);
        const householdId = v?.ok ? await this.householdOf(v.value.bsn) : null;
        if (v?.ok && householdId) {
          run.push({ index, householdId, statement: v.value, message });
          continue;
        }
      }
      await flush();
      outcomes[index] = await this.ingest(message);
    }
    await flush();
    return outcomes;
  }

  private async householdOf(bsn: string, options: { fresh?: boolean } = {}): Promise<string | null> {
    const cached = options.fresh ? undefined : this.householdOfBsn.get(bsn);
    if (cached) return cached;
    const events = await this.store.readStream(memberStream(bsn));
    const last = events[events.length - 1];
    if (!last) return null;
    const householdId = (last.data as { householdId: string }).householdId;
    this.householdOfBsn.set(bsn, householdId);
    return householdId;
  }

  private async recordStatement(statement: PolisIncomeStatement, message: InboundMessage): Promise<IngestOutcome> {
    const householdId = await this.householdOf(statement.bsn);
    if (!householdId) {
      await this.store.append(parkedStream(statement.bsn), [
        {
          eventId: `statement:${statement.messageId}`,
          type: 'IncomeStatementParked',
          schemaVersion: 1,
          recordedAt: message.recordedAt,
          data: { statement, recordedAt: message.recordedAt, source: message.source },
        },
      ]);
      // Write, then check again: a case opened meanwhile (by another consumer) may have released the
      // parked statements just before this one was parked; releasing again is idempotent.
      const openedMeanwhile = await this.householdOf(statement.bsn, { fresh: true });
      if (openedMeanwhile) {
        await this.releaseParked(statement.bsn, openedMeanwhile, message.recordedAt);
        return { status: 'recorded', householdId: openedMeanwhile, appended: 1 };
      }
      this.logger.info({ messageId: statement.messageId, member: bsnPseudonym(statement.bsn) }, 'statement parked: no open case for this BSN yet');
      return { status: 'parked' };
    }
    return this.decideAndAppend(householdId, message, { type: 'RecordIncomeStatement', statement, recordedAt: message.recordedAt, channel: message.source.type }, `statement:${statement.messageId}`);
  }

  private async recordCaseEvent(event: CaseEvent, message: InboundMessage): Promise<IngestOutcome> {
    const eventId = `case:${sha256Hex(canonicalJson(event)).slice(0, 32)}`;
    const outcome = await this.decideAndAppend(event.householdId, message, { type: 'RecordCaseEvent', event, recordedAt: message.recordedAt }, eventId);
    if (event.type === 'CaseOpened' && outcome.status !== 'rejected') {
      for (const member of event.members) {
        await this.store.append(memberStream(member.bsn), [
          {
            eventId: `member:${event.householdId}`,
            type: 'MemberOfHousehold',
            schemaVersion: 1,
            recordedAt: message.recordedAt,
            data: { householdId: event.householdId, role: member.role },
          },
        ]);
        this.householdOfBsn.set(member.bsn, event.householdId);
        await this.releaseParked(member.bsn, event.householdId, message.recordedAt);
      }
    }
    return outcome;
  }

  /**
   * Statements parked before the case opened enter the household now: the stored event's recordedAt is
   * this moment (so an as-of replay sees them when the decisions did), the statement keeps its own.
   */
  private async releaseParked(bsn: string, householdId: string, releasedAt: Instant): Promise<void> {
    const parked = await this.store.readStream(parkedStream(bsn));
    for (const p of parked) {
      const { statement, recordedAt, source } = p.data as { statement: PolisIncomeStatement; recordedAt: Instant; source: MessageSource };
      await this.decideAndAppend(
        householdId,
        { kind: 'statement', payload: JSON.stringify(statement), recordedAt: releasedAt, source },
        { type: 'RecordIncomeStatement', statement, recordedAt, channel: source.type },
        `statement:${statement.messageId}`,
      );
    }
  }

  private async decideAndAppend(
    householdId: string,
    message: InboundMessage,
    command: Parameters<typeof decide>[0],
    eventId: string,
  ): Promise<IngestOutcome> {
    for (let attempt = 0; ; attempt++) {
      const household = await loadLatestHousehold(this.store, householdId);
      let events;
      try {
        events = decide(command, household.state, this.ctx);
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
        return result.appended === 0 ? { status: 'duplicate', householdId } : { status: 'recorded', householdId, appended: result.appended };
      } catch (err) {
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
