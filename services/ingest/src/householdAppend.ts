import { CommandRejected, type HouseholdEvent, type HouseholdState, type Instant } from '@bijstand/domain';
import { WrongExpectedRevisionError, type AppendRequest, type NewEvent } from '@bijstand/event-store';
import { householdStream, toNewEvent } from '@bijstand/platform';
import { MAX_CONFLICT_RETRIES, type IngestDeps, type IngestOutcome, type InboundMessage } from './inbound.js';
import { reject } from './rejection.js';

/**
 * Decide on the household as it stands (cached, plus what was appended since) and append with
 * optimistic concurrency; a conflicting writer means: reload and decide again.
 */
export async function decideAndAppend(
  deps: IngestDeps,
  householdId: string,
  message: InboundMessage,
  eventId: string,
  decideOn: (state: HouseholdState) => HouseholdEvent[],
  alongside: readonly AppendRequest[] = [],
): Promise<IngestOutcome> {
  for (let attempt = 0; ; attempt++) {
    const household = await deps.households.load(deps.store, householdId);
    let events: HouseholdEvent[];
    try {
      events = decideOn(household.state);
    } catch (err) {
      if (err instanceof CommandRejected) return reject(deps, message, err.reason);
      throw err;
    }
    if (events.length === 0) {
      // A re-delivery: what goes alongside is written again (idempotently), in case it was lost before.
      if (alongside.length > 0) await deps.store.appendMany([...alongside]);
      return { status: 'duplicate', householdId };
    }
    try {
      // With what goes alongside (the members' index) in one transaction: all of it or none.
      const [appended] = await deps.store.appendMany([
        {
          streamName: householdStream(householdId),
          events: householdNewEvents(events, eventId, message.recordedAt),
          expectedRevision: household.revision < 0 ? 'no-stream' : household.revision,
        },
        ...alongside,
      ]);
      const result = appended!;
      deps.households.applyAppended(
        householdId,
        household,
        events,
        result.nextExpectedRevision,
        Date.parse(message.recordedAt),
      );
      return result.appended === 0
        ? { status: 'duplicate', householdId }
        : { status: 'recorded', householdId, appended: result.appended };
    } catch (err) {
      deps.households.forget(householdId);
      // Another writer on the household: decide again. On a stream alongside: the caller's to handle.
      if (
        err instanceof WrongExpectedRevisionError &&
        err.streamName === householdStream(householdId) &&
        attempt < MAX_CONFLICT_RETRIES
      )
        continue;
      throw err;
    }
  }
}

export function householdNewEvents(
  events: readonly HouseholdEvent[],
  eventId: string,
  recordedAt: Instant,
): NewEvent[] {
  // One event: its id names the message already. Several: the correlation id ties them to it.
  if (events.length === 1) return [toNewEvent(events[0]!, { eventId, recordedAt })];
  return events.map((e, i) => toNewEvent(e, { eventId: `${eventId}:${i}`, recordedAt, correlationId: eventId }));
}
