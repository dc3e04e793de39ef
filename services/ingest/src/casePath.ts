import { decide, type CaseEvent, type CaseOpened, type Instant } from '@bijstand/domain';
import {
  WrongExpectedRevisionError,
  type AppendRequest,
  type RecordedEvent,
  type StreamRead,
} from '@bijstand/event-store';
import { canonicalJson, householdStream, maskBsn, parkedCaseStream, parkedStream, sha256Hex } from '@bijstand/platform';
import type { PaymentAccountRecorded } from '@bijstand/sepa';
import { isPaymentAccountPayload, recordPaymentAccount } from './accountPath.js';
import { decideAndAppend } from './householdAppend.js';
import { identityConflictReason, MEMBER_OF_HOUSEHOLD, MEMBERSHIP_ENDED, openingConflict } from './identity.js';
import { membershipRequest, type MemberIndex } from './identityIndex.js';
import { MAX_CONFLICT_RETRIES, type IngestDeps, type IngestOutcome, type InboundMessage } from './inbound.js';
import { releaseParkedStatements } from './parkedStatements.js';
import { CASE_EVENT_PARKED } from './parking.js';
import { releaseParked, releasedMessage, type ParkedData } from './parkedStreams.js';
import { raiseIngestAlert } from './raiseIngestAlert.js';
import { reject } from './rejection.js';

type LaterCaseEvent = Exclude<CaseEvent, CaseOpened>;
/** What may wait for a CaseOpened: a later case event, or a member's payment account. */
type Parkable = LaterCaseEvent | PaymentAccountRecorded;

/** Case events have no id of their own: their content is their identity (a re-delivery is the same text). */
export const caseEventId = (event: CaseEvent | PaymentAccountRecorded) =>
  `case:${sha256Hex(canonicalJson(event)).slice(0, 32)}`;

/** A validated case event: an opening, an event of an opened household, or one that waits for its opening. */
export async function recordCaseEvent(
  deps: IngestDeps,
  event: CaseEvent | PaymentAccountRecorded,
  message: InboundMessage,
): Promise<IngestOutcome> {
  if (event.type === 'CaseOpened') return openCase(deps, event, message);
  const household = await deps.households.load(deps.store, event.householdId);
  if (household.state.householdId === null) return parkCaseEvent(deps, event, message);
  return applyParkable(deps, event, message, message.recordedAt);
}

/** A payment account goes to its own stream; every other case event to the household's decider. */
function applyParkable(deps: IngestDeps, event: Parkable, message: InboundMessage, eventRecordedAt: Instant) {
  return isPaymentAccountPayload(event)
    ? recordPaymentAccount(deps, event as PaymentAccountRecorded, message)
    : applyCaseEvent(deps, event as LaterCaseEvent, message, eventRecordedAt);
}

/**
 * One person, one case at a time (across households): an opening naming a member of another case
 * whose period it overlaps is refused, and the consultant is alerted. Once opened, the members are
 * indexed with the case's start, and what was parked for them or for the household is applied.
 */
async function openCase(deps: IngestDeps, event: CaseOpened, message: InboundMessage): Promise<IngestOutcome> {
  let outcome: IngestOutcome;
  for (let attempt = 0; ; attempt++) {
    const indexed = await deps.identity.indexesOf(event.members.map((m) => m.bsn));
    const conflict = openingConflict(
      event,
      indexed.map((i) => i.memberships),
    );
    if (conflict) {
      const reason = identityConflictReason(conflict);
      const member = event.members[conflict.memberIndex]!.bsn;
      await raiseIngestAlert(deps, `identity-conflict:${caseEventId(event)}:${conflict.memberIndex}`, {
        kind: 'identity-conflict',
        householdId: event.householdId,
        member: maskBsn(member),
        reference: 'CaseOpened',
        reason,
        raisedAt: message.recordedAt,
      });
      return reject(deps, message, reason);
    }
    const memberIndex = memberIndexRequests(event, indexed, message.recordedAt);
    try {
      outcome = await decideAndAppend(
        deps,
        event.householdId,
        message,
        caseEventId(event),
        (state) => decide({ type: 'RecordCaseEvent', event, recordedAt: message.recordedAt }, state, deps.ctx),
        memberIndex,
      );
      break;
    } catch (err) {
      const raced = err instanceof WrongExpectedRevisionError && err.streamName !== householdStream(event.householdId);
      if (raced && attempt < MAX_CONFLICT_RETRIES) continue;
      throw err;
    }
  }
  if (outcome.status === 'rejected') return outcome;
  for (const member of event.members) deps.identity.forget(member.bsn);
  // Read after the members' index is stored (a statement parked meanwhile by another consumer is then
  // either in these reads or released by its parker), all in one readStreams.
  await releaseForOpening(deps, event, message.recordedAt, await deps.store.readStreams(parkedReadsOf(event)));
  return outcome;
}

/**
 * The members' index records of an opening. Appended only if each member's index still stands where the
 * check read it (`indexed`): another process opening a case for one of them meanwhile makes the append
 * fail, and the check runs again.
 */
export function memberIndexRequests(
  event: CaseOpened,
  indexed: readonly MemberIndex[],
  recordedAt: Instant,
): AppendRequest[] {
  return event.members.map((member, k) => ({
    ...membershipRequest(
      member.bsn,
      {
        type: MEMBER_OF_HOUSEHOLD,
        data: { householdId: event.householdId, role: member.role, startDate: event.startDate },
      },
      `member:${event.householdId}`,
      recordedAt,
    ),
    expectedRevision: indexed[k]!.revision < 0 ? ('no-stream' as const) : indexed[k]!.revision,
  }));
}

/** An opening's members' BSNs, each once (a BSN named twice is read and released once). */
const distinctBsns = (event: CaseOpened) => [...new Set(event.members.map((m) => m.bsn))];

/** What may wait for an opening: its members' parked statements, then the household's parked case events. */
export function parkedReadsOf(event: CaseOpened): StreamRead[] {
  return [
    ...distinctBsns(event).map((bsn) => ({ streamName: parkedStream(bsn) })),
    { streamName: parkedCaseStream(event.householdId) },
  ];
}

/**
 * Once an opening is stored: what waited for it (`parked`, as parkedReadsOf reads it) is applied, the
 * members' statements first. Releasing one member's statements writes to none of the other streams read.
 */
export async function releaseForOpening(
  deps: IngestDeps,
  event: CaseOpened,
  releasedAt: Instant,
  parked: readonly RecordedEvent[][],
): Promise<void> {
  const bsns = distinctBsns(event);
  for (const [k, bsn] of bsns.entries()) await releaseParkedStatements(deps, bsn, releasedAt, parked[k]);
  await drainParkedCaseEvents(deps, event.householdId, releasedAt, parked[bsns.length]);
}

/** A case event of an opened household; a closure ends the members' memberships (it releases their BSNs). */
async function applyCaseEvent(
  deps: IngestDeps,
  event: LaterCaseEvent,
  message: InboundMessage,
  eventRecordedAt: Instant,
): Promise<IngestOutcome> {
  const outcome = await decideAndAppend(deps, event.householdId, message, caseEventId(event), (state) =>
    decide({ type: 'RecordCaseEvent', event, recordedAt: eventRecordedAt }, state, deps.ctx),
  );
  if (event.type === 'CaseClosed' && outcome.status !== 'rejected') {
    const { state } = await deps.households.load(deps.store, event.householdId);
    // The end in force is the household's (a later CaseClosed may have moved it); written again on a re-delivery, idempotently.
    await deps.store.appendMany(
      state.members.map((member) =>
        membershipRequest(
          member.bsn,
          { type: MEMBERSHIP_ENDED, data: { householdId: event.householdId, endDate: state.endDate! } },
          `membership-ended:${event.householdId}:${state.endDate}`,
          message.recordedAt,
        ),
      ),
    );
    for (const member of state.members) deps.identity.forget(member.bsn);
  }
  return outcome;
}

async function parkCaseEvent(deps: IngestDeps, event: Parkable, message: InboundMessage): Promise<IngestOutcome> {
  const data: ParkedData<Parkable> = {
    event,
    payload: message.payload,
    recordedAt: message.recordedAt,
    source: message.source,
  };
  const eventId = caseEventId(event);
  await deps.store.append(parkedCaseStream(event.householdId), [
    { eventId, type: CASE_EVENT_PARKED, schemaVersion: 1, recordedAt: message.recordedAt, data },
  ]);
  // Write, then check again (as for statements): the case may have opened meanwhile.
  const household = await deps.households.load(deps.store, event.householdId);
  if (household.state.householdId !== null) {
    const outcomes = await drainParkedCaseEvents(deps, event.householdId, message.recordedAt);
    return outcomes.get(eventId) ?? { status: 'duplicate', householdId: event.householdId };
  }
  deps.logger.info(
    { householdId: event.householdId, type: event.type },
    'case event parked: its CaseOpened has not arrived yet',
  );
  return { status: 'parked' };
}

/** The household's parked case events, in the order they were parked, once its case is open. */
export async function drainParkedCaseEvents(
  deps: IngestDeps,
  householdId: string,
  releasedAt: Instant,
  read?: RecordedEvent[],
): Promise<Map<string, IngestOutcome>> {
  const outcomes = new Map<string, IngestOutcome>();
  await releaseParked<Parkable>(
    deps.store,
    parkedCaseStream(householdId),
    releasedAt,
    async (parked, id) => {
      const event = parked.event!;
      const released = releasedMessage('case', parked, event, releasedAt);
      outcomes.set(id, await applyParkable(deps, event, released, parked.recordedAt));
    },
    read,
  );
  return outcomes;
}
