import type { HouseholdEvent } from './events.js';

/**
 * The natural key of a decision, used as its event id: re-running a night (after a crash, or twice)
 * appends nothing that is already there: a month's version, a month's payment, an alert's cause.
 */
export function decisionKey(e: HouseholdEvent): string {
  switch (e.type) {
    case 'MonthSettled':
      return `settled:${e.data.month}:v${e.data.version}`;
    case 'PaymentProposed':
      return `proposal:${e.data.month}`;
    case 'PaymentMade':
      return `payment:${e.data.month}`;
    case 'BufferDrawn':
    case 'BufferNotDrawn':
      return `buffer:${e.data.month}`;
    case 'AlertRaised':
      return `alert:${e.data.kind}:${e.data.month}`;
    default:
      throw new Error(`${e.type} is not a decision of the nightly run`);
  }
}

const DECISION_TYPES: readonly string[] = Object.freeze([
  'MonthSettled',
  'PaymentProposed',
  'PaymentMade',
  'BufferDrawn',
  'BufferNotDrawn',
  'AlertRaised',
]);

export function isDecision(e: HouseholdEvent): boolean {
  return DECISION_TYPES.includes(e.type);
}

/** Whether events of this type are decisions (for an event not parsed yet). */
export function isDecisionType(type: string): boolean {
  return DECISION_TYPES.includes(type);
}
