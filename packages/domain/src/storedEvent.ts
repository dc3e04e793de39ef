import { isDecisionType } from './decisions.js';
import type { HouseholdEvent } from './events.js';
import type { Instant } from './dates.js';

/** A household event as stored: what it says and when it entered the system. */
export interface StoredHouseholdEvent {
  /** May be parsed only when first read (a getter): most stored decisions are compared as text. */
  readonly event: HouseholdEvent;
  recordedAt: Instant;
  /** The event as stored, when the reader kept it: its type and id without parsing, its data as JSON. */
  stored?: { type: string; eventId: string; dataText: string };
}

const typeOf = (s: StoredHouseholdEvent) => s.stored?.type ?? s.event.type;
export const isStoredDecision = (s: StoredHouseholdEvent) => isDecisionType(typeOf(s));
