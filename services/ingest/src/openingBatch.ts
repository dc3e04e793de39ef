import { CommandRejected, decide, type CaseOpened, type HouseholdEvent } from '@bijstand/domain';
import type { AppendRequest, RecordedEvent } from '@bijstand/event-store';
import { householdStream, memberStream, type HouseholdForDecision } from '@bijstand/platform';
import { caseEventId, memberIndexRequests, parkedReadsOf, releaseForOpening } from './casePath.js';
import { householdNewEvents } from './householdAppend.js';
import { openingConflict } from './identity.js';
import type { MemberIndex } from './identityIndex.js';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';

type IngestOne = (message: InboundMessage) => Promise<IngestOutcome>;
/** The message as a CaseOpened that ingest() would take to openCase (valid, settleable); null: any other. */
export type PlainOpening = (message: InboundMessage) => CaseOpened | null;

/**
 * How many openings ahead a run reads their member indexes, households and parked streams at most. It reads
 * no further than the next message that is not an opening: what that message writes may be in the read.
 */
const PREFETCH_MESSAGES = 500;

/**
 * A run of case messages in ingestBatch: the openings that need nothing but their own appends (a new
 * household, no identity conflict, nothing parked for them, no member shared with another opening of
 * the segment) are decided on what was read ahead and appended together with one appendMany; every
 * other case message goes the per-message path once what came before it is stored. The outcomes and
 * the events, in commit order, are those of ingest() one message at a time (batchEquivalence tests).
 */
export async function ingestCaseRun(
  deps: IngestDeps,
  ingestOne: IngestOne,
  plainOpening: PlainOpening,
  messages: readonly InboundMessage[],
  from: number,
  to: number,
  outcomes: IngestOutcome[],
): Promise<void> {
  // Each message validated once, when first looked at (by the read-ahead or the loop).
  const known = new Map<number, CaseOpened | null>();
  const openingAt = (i: number) => {
    let opening = known.get(i);
    if (opening === undefined) known.set(i, (opening = plainOpening(messages[i]!)));
    return opening;
  };
  let ahead = new ReadAhead();
  let segment = new OpeningSegment();
  for (let i = from; i < to; i++) {
    const message = messages[i]!;
    const opening = openingAt(i);
    if (opening && !ahead.covers(i)) ahead = await readAhead(deps, openingAt, i, to);
    const planned = opening !== null && planOpening(deps, ahead, segment, opening, message, i);
    if (planned) continue;
    await commitSegment(deps, ingestOne, messages, segment, outcomes);
    segment = new OpeningSegment();
    outcomes[i] = await ingestOne(message);
    ahead = new ReadAhead(); // what the per-message path wrote may be in what was read ahead
  }
  await commitSegment(deps, ingestOne, messages, segment, outcomes);
}

/**
 * What the openings of messages[from, to) read: their members' indexes, households and parked streams.
 * `new ReadAhead()` covers no message: the next opening reads again.
 */
class ReadAhead {
  readonly indexes = new Map<string, MemberIndex>();
  readonly households = new Map<string, HouseholdForDecision>();
  /** Stream names with events among the parked streams read. */
  readonly parked = new Set<string>();

  constructor(
    private readonly from = 0,
    private readonly to = 0,
  ) {}

  covers(i: number): boolean {
    return i >= this.from && i < this.to;
  }
}

async function readAhead(
  deps: IngestDeps,
  openingAt: (i: number) => CaseOpened | null,
  from: number,
  runEnd: number,
): Promise<ReadAhead> {
  const end = Math.min(runEnd, from + PREFETCH_MESSAGES);
  const openings: CaseOpened[] = [];
  let to = from;
  for (; to < end; to++) {
    const opening = openingAt(to);
    if (opening === null) break;
    openings.push(opening);
  }
  const bsns = [...new Set(openings.flatMap((o) => o.members.map((m) => m.bsn)))];
  const parkedReads = [...new Map(openings.flatMap(parkedReadsOf).map((r) => [r.streamName, r])).values()];
  const [read, households] = await Promise.all([
    deps.store.readStreams([...bsns.map((bsn) => ({ streamName: memberStream(bsn) })), ...parkedReads]),
    deps.households.loadMany(
      deps.store,
      openings.map((o) => o.householdId),
    ),
  ]);
  const ahead = new ReadAhead(from, to);
  for (const [k, bsn] of bsns.entries()) {
    const recorded = read[k]!;
    ahead.indexes.set(bsn, { memberships: deps.identity.remember(bsn, recorded), revision: revisionOf(recorded) });
  }
  for (const [k, r] of parkedReads.entries()) if (read[bsns.length + k]!.length > 0) ahead.parked.add(r.streamName);
  for (const [id, household] of households) ahead.households.set(id, household);
  return ahead;
}

const revisionOf = (recorded: readonly RecordedEvent[]) => recorded.at(-1)?.streamRevision ?? -1;

/**
 * Plans the opening into the segment when it needs nothing but its appends; false: it is for the
 * per-message path (a conflict, a re-delivery, a refusal, something parked for it, a member already in
 * the segment), nothing of it planned.
 */
function planOpening(
  deps: IngestDeps,
  ahead: ReadAhead,
  segment: OpeningSegment,
  event: CaseOpened,
  message: InboundMessage,
  i: number,
): boolean {
  const household = ahead.households.get(event.householdId);
  if (!household || household.revision >= 0 || segment.households.has(event.householdId)) return false;
  if (event.members.some((m) => segment.bsns.has(m.bsn) || !ahead.indexes.has(m.bsn))) return false;
  if (parkedReadsOf(event).some((r) => ahead.parked.has(r.streamName))) return false;
  const indexed = event.members.map((m) => ahead.indexes.get(m.bsn)!);
  if (
    openingConflict(
      event,
      indexed.map((x) => x.memberships),
    )
  )
    return false;
  let events: HouseholdEvent[];
  try {
    events = decide({ type: 'RecordCaseEvent', event, recordedAt: message.recordedAt }, household.state, deps.ctx);
  } catch (err) {
    if (err instanceof CommandRejected) return false;
    throw err;
  }
  if (events.length === 0) return false;
  // A later opening naming one of these BSNs or this household is for the per-message path (segment.bsns,
  // segment.households), after this segment is stored: what was read ahead of them is stale from here on.
  segment.add(i, event, household, events, [
    {
      streamName: householdStream(event.householdId),
      events: householdNewEvents(events, caseEventId(event), message.recordedAt),
      expectedRevision: 'no-stream',
    },
    ...memberIndexRequests(event, indexed, message.recordedAt),
  ]);
  return true;
}

/** Openings planned since the last appendMany. */
class OpeningSegment {
  readonly planned: Array<{
    i: number;
    event: CaseOpened;
    household: HouseholdForDecision;
    events: HouseholdEvent[];
    request: number;
  }> = [];
  readonly requests: AppendRequest[] = [];
  readonly households = new Set<string>();
  readonly bsns = new Set<string>();

  add(
    i: number,
    event: CaseOpened,
    household: HouseholdForDecision,
    events: HouseholdEvent[],
    requests: AppendRequest[],
  ): void {
    this.planned.push({ i, event, household, events, request: this.requests.length });
    this.requests.push(...requests);
    this.households.add(event.householdId);
    for (const m of event.members) this.bsns.add(m.bsn);
  }
}

/**
 * Appends the segment in one appendMany, then reads what was parked for its openings meanwhile (after
 * the members' index is stored, as openCase does: a statement another consumer parked in between is in
 * this read or released by its parker) and releases it. Should the appendMany fail, nothing of the
 * segment was written: its messages go the per-message path, which retries or throws as it would.
 */
async function commitSegment(
  deps: IngestDeps,
  ingestOne: IngestOne,
  messages: readonly InboundMessage[],
  segment: OpeningSegment,
  outcomes: IngestOutcome[],
): Promise<void> {
  if (segment.planned.length === 0) return;
  let results;
  try {
    results = await deps.store.appendMany(segment.requests);
  } catch {
    for (const p of segment.planned) {
      deps.households.forget(p.event.householdId);
      for (const m of p.event.members) deps.identity.forget(m.bsn);
    }
    for (const p of segment.planned) outcomes[p.i] = await ingestOne(messages[p.i]!);
    return;
  }
  for (const p of segment.planned) {
    const result = results[p.request]!;
    const recordedAt = Date.parse(messages[p.i]!.recordedAt);
    if (
      !deps.households.applyAppended(
        p.event.householdId,
        p.household,
        p.events,
        result.nextExpectedRevision,
        recordedAt,
      )
    )
      deps.households.forget(p.event.householdId);
    for (const m of p.event.members) deps.identity.forget(m.bsn);
    outcomes[p.i] =
      result.appended === 0
        ? { status: 'duplicate', householdId: p.event.householdId }
        : { status: 'recorded', householdId: p.event.householdId, appended: result.appended };
  }
  const reads = segment.planned.map((p) => parkedReadsOf(p.event));
  const parked = await deps.store.readStreams(reads.flat());
  let at = 0;
  for (const [k, p] of segment.planned.entries()) {
    const mine = parked.slice(at, at + reads[k]!.length);
    at += reads[k]!.length;
    if (mine.some((events) => events.length > 0))
      await releaseForOpening(deps, p.event, messages[p.i]!.recordedAt, mine);
  }
}
