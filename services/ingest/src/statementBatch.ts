import { decideOnStatement, type PolisIncomeStatement } from '@bijstand/domain';
import type { AppendRequest, MessageClaim, NewEvent } from '@bijstand/event-store';
import { REJECTED_STREAM, householdStream, type HouseholdForDecision } from '@bijstand/platform';
import { householdNewEvents } from './householdAppend.js';
import { routeStatement } from './identity.js';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';
import { claimOf } from './messageIdClaims.js';
import { ingestCaseRun, type PlainOpening } from './openingBatch.js';
import { prefetch, warmCaseHouseholds, type Validated } from './readAhead.js';
import { contentHash, redeliveryConflict } from './messageIds.js';
import { rejection } from './rejection.js';
import { recordStatement } from './statementPath.js';
import { validateStatement } from './validation.js';

type IngestOne = (message: InboundMessage) => Promise<IngestOutcome>;

/**
 * How many messages ahead a segment reads what its statements need (message-id claims, member
 * indexes, households) in a readClaims and two readStreams, instead of up to three reads per statement: on
 * PostgreSQL each read is a round trip. Off (INGEST_PREFETCH=off): each statement reads its own.
 */
const PREFETCH_MESSAGES = 1000;

/**
 * Bulk ingest in arrival order, with the appends grouped into as few commits as the store can; the
 * same outcomes and the same events, in the same order, as ingest() one message at a time.
 * Consecutive statements are decided together (each message-id record, member stream and household
 * read once per run) and appended with one appendMany; so are consecutive case openings that need
 * nothing but their own appends (openingBatch.ts; with the read-ahead only); other case events take the
 * per-message path, after what came before them is stored.
 */
export async function ingestBatch(
  deps: IngestDeps,
  messages: readonly InboundMessage[],
  ingestOne: IngestOne,
  plainOpening: PlainOpening,
): Promise<IngestOutcome[]> {
  return deps.store.groupCommits(async () => {
    if (deps.prefetch) await warmCaseHouseholds(deps, messages);
    const outcomes: IngestOutcome[] = new Array<IngestOutcome>(messages.length);
    for (let start = 0; start < messages.length;) {
      const kind = messages[start]!.kind;
      let end = start + 1;
      while (end < messages.length && messages[end]!.kind === kind) end++;
      if (kind === 'statement') await ingestStatementRun(deps, ingestOne, messages, start, end, outcomes);
      else if (deps.prefetch) await ingestCaseRun(deps, ingestOne, plainOpening, messages, start, end, outcomes);
      else for (let i = start; i < end; i++) outcomes[i] = await ingestOne(messages[i]!);
      start = end;
    }
    return outcomes;
  });
}

/**
 * messages[from, to), all statements: decided in order on what the run has read and appended so far,
 * appended in one appendMany, in the order the per-message path would append them. A statement that
 * parks or raises an alert (rare) is handed to the per-message path once what came before it is
 * stored. Should the appendMany fail (another writer got in between) or anything throw, nothing of
 * the segment was written: its messages then go the per-message path, which retries or throws as it would.
 */
async function ingestStatementRun(
  deps: IngestDeps,
  ingestOne: IngestOne,
  messages: readonly InboundMessage[],
  from: number,
  to: number,
  outcomes: IngestOutcome[],
): Promise<void> {
  let segment = new RunSegment();
  /** The first hash of each messageId (stored, or claimed earlier in the segment); null: unclaimed. */
  const claims = new Map<string, string | null>();
  /** The households decided on, as the segment leaves them. */
  const households = new Map<string, HouseholdForDecision>();
  /** Each statement validated once (by the prefetch, or when planned). */
  const validated = new Map<number, Validated>();
  /** Messages before this index have what they need read ahead into claims and households. */
  let prefetchedTo = from;
  const startSegment = () => {
    const done = segment;
    segment = new RunSegment();
    households.clear();
    claims.clear();
    prefetchedTo = from; // what was read ahead may be stale now: read again from the next message on
    return done;
  };
  for (let i = from; i < to; i++) {
    const message = messages[i]!;
    segment.indexes.push(i);
    let handed: PolisIncomeStatement | null;
    try {
      if (deps.prefetch && i >= prefetchedTo) {
        prefetchedTo = Math.min(to, i + PREFETCH_MESSAGES);
        await prefetch(deps, messages, i, prefetchedTo, validated, claims, households, segment.touched);
      }
      const v = validated.get(i) ?? validateStatement(message);
      validated.delete(i);
      handed = await planStatement(deps, message, v, i, segment, claims, households);
    } catch {
      // Unexpected (a read failed, a decider bug): the per-message path does the same, and throws where it would.
      await fallBack(deps, ingestOne, messages, startSegment(), outcomes);
      continue;
    }
    if (handed === null) continue;
    segment.indexes.pop();
    await commitSegment(deps, ingestOne, messages, startSegment(), outcomes);
    outcomes[i] = await recordStatement(deps, handed, message);
  }
  await commitSegment(deps, ingestOne, messages, startSegment(), outcomes);
}

/**
 * Plans message i into the segment: its appends, its outcome (or how to compute it from the append
 * results), its log line. Returns the statement when it is for the per-message path instead
 * (nothing of it planned).
 */
async function planStatement(
  deps: IngestDeps,
  message: InboundMessage,
  v: Validated,
  i: number,
  segment: RunSegment,
  claims: Map<string, string | null>,
  households: Map<string, HouseholdForDecision>,
): Promise<PolisIncomeStatement | null> {
  if (!v.ok) {
    segment.reject(i, rejection(message, v.reason));
    return null;
  }
  const statement = v.value;
  const hash = contentHash(statement);
  let first = claims.get(statement.messageId);
  if (first === undefined) {
    first = await deps.claims.firstHash(statement.messageId);
    claims.set(statement.messageId, first);
  }
  if (first !== null) {
    const conflict = redeliveryConflict(statement.messageId, first, hash);
    if (conflict) {
      segment.reject(i, rejection(message, conflict, { masked: true }));
      return null;
    }
  }
  const householdId = routeStatement(await deps.identity.membershipsOf(statement.bsn), statement.period);
  if (!householdId) return statement; // parks
  let household = households.get(householdId);
  if (!household) {
    household = await deps.households.load(deps.store, householdId);
    households.set(householdId, household);
    segment.touched.add(householdId);
  }
  const decision = decideOnStatement(household.state, statement, message.recordedAt, message.source.type, deps.ctx);
  if (decision.kind === 'append' && decision.flag) return statement; // raises an alert
  if (first === null) {
    segment.claims.push(claimOf(statement.messageId, hash, message.recordedAt));
    claims.set(statement.messageId, hash);
  }
  if (decision.kind === 'refused') {
    segment.reject(i, rejection(message, decision.reason));
    return null;
  }
  if (decision.events.length === 0) {
    segment.outcomes.set(i, { status: 'duplicate', householdId });
    return null;
  }
  const revisionBefore = household.revision;
  const eventId = `statement:${statement.messageId}`;
  segment.requests.push({
    streamName: householdStream(householdId),
    events: householdNewEvents(decision.events, eventId, message.recordedAt),
    expectedRevision: revisionBefore < 0 ? 'no-stream' : revisionBefore,
  });
  segment.appends.set(i, { request: segment.requests.length - 1, householdId, planned: decision.events.length });
  // The segment decides its next statements on the household with these events (the cache's entry:
  // forgotten again should the segment not be stored).
  if (
    !deps.households.applyAppended(
      householdId,
      household,
      decision.events,
      revisionBefore + decision.events.length,
      Date.parse(message.recordedAt),
    )
  )
    throw new Error(`household ${householdId}: its state could not be moved on in memory`);
  return null;
}

async function commitSegment(
  deps: IngestDeps,
  ingestOne: IngestOne,
  messages: readonly InboundMessage[],
  segment: RunSegment,
  outcomes: IngestOutcome[],
): Promise<void> {
  if (segment.indexes.length === 0) return;
  let results;
  try {
    results =
      segment.requests.length + segment.claims.length > 0
        ? await deps.store.appendMany(segment.requests, segment.claims)
        : [];
  } catch {
    // All or nothing: another writer got in between (WrongExpectedRevisionError, ClaimTakenError), or the store failed.
    await fallBack(deps, ingestOne, messages, segment, outcomes);
    return;
  }
  for (const i of segment.indexes) {
    const append = segment.appends.get(i);
    if (append) {
      const appended = results[append.request]!.appended;
      // Not exactly the events planned (skipped as already stored): the household is read again next time.
      if (appended !== append.planned) deps.households.forget(append.householdId);
      outcomes[i] =
        appended === 0
          ? { status: 'duplicate', householdId: append.householdId }
          : { status: 'recorded', householdId: append.householdId, appended };
    } else {
      outcomes[i] = segment.outcomes.get(i)!;
    }
    const rejected = segment.rejections.get(i);
    if (rejected)
      deps.logger.warn({ kind: messages[i]!.kind, source: messages[i]!.source, reason: rejected }, 'message rejected');
  }
}

/** Nothing of the segment was stored: the households it decided on are read again, its messages go one by one. */
async function fallBack(
  deps: IngestDeps,
  ingestOne: IngestOne,
  messages: readonly InboundMessage[],
  segment: RunSegment,
  outcomes: IngestOutcome[],
): Promise<void> {
  for (const householdId of segment.touched) deps.households.forget(householdId);
  for (const i of segment.indexes) outcomes[i] = await ingestOne(messages[i]!);
}

/** What a run of statements has planned since its last appendMany. */
class RunSegment {
  /** The messages planned, in order. */
  readonly indexes: number[] = [];
  readonly requests: AppendRequest[] = [];
  /** The messageIds claimed, appended with the requests (all or nothing). */
  readonly claims: MessageClaim[] = [];
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
