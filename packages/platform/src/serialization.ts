import type { HouseholdEvent, HouseholdEventType } from '@bijstand/domain';
import type { NewEvent, RecordedEvent } from '@bijstand/event-store';

/** Current schema version of each household event type; bump with an upcaster when a shape changes. */
export const SCHEMA_VERSIONS: Record<HouseholdEventType, number> = {
  CaseOpened: 1,
  HouseholdChanged: 1,
  CaseClosed: 1,
  EarningsDisregardGranted: 1,
  IncomeStatementRecorded: 1,
  MonthSettled: 1,
  PaymentMade: 1,
  BufferDrawn: 1,
  BufferNotDrawn: 1,
  AlertRaised: 1,
};

const householdTypes = new Set<string>(Object.keys(SCHEMA_VERSIONS));

export interface EventContext {
  eventId: string;
  recordedAt: string;
  correlationId?: string;
  causationId?: string;
}

export function toNewEvent(event: HouseholdEvent, ctx: EventContext): NewEvent {
  return {
    eventId: ctx.eventId,
    type: event.type,
    schemaVersion: SCHEMA_VERSIONS[event.type],
    recordedAt: ctx.recordedAt,
    data: event.data,
    metadata: {
      ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
      ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
    },
  };
}

export function isHouseholdEvent(e: RecordedEvent): boolean {
  return householdTypes.has(e.type);
}

/** Stored event → domain event. Older schema versions pass through the upcasters first. */
export function toHouseholdEvent(e: RecordedEvent): HouseholdEvent {
  return { type: e.type, data: e.data } as HouseholdEvent;
}
