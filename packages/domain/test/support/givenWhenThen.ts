import { expect } from 'vitest';
import {
  CommandRejected,
  defaultParameters,
  defaultPolicy,
  householdDecider,
  type DecisionContext,
  type HouseholdCommand,
  type HouseholdEvent,
} from '../../src/index.js';

/** What `then` expects of an event: its type and the fields of its data that matter to the test. */
export type ExpectedEvent = { type: HouseholdEvent['type']; data?: Record<string, unknown> };

/**
 * Decider tests in the given/when/then form (as Emmett's DeciderSpecification): given the events a
 * household has, when a command is decided, then exactly these events (each matched on the fields
 * given), or a rejection naming the rule.
 */
export function given(...history: HouseholdEvent[]) {
  return {
    when(command: HouseholdCommand, ctx: DecisionContext = { params: defaultParameters, policy: defaultPolicy }) {
      const { decide, evolve, initialState } = householdDecider;
      const state = history.reduce(evolve, initialState());
      const decided = () => decide(command, state, ctx);
      return {
        then(...expected: ExpectedEvent[]): HouseholdEvent[] {
          const events = decided();
          expect(events.map((e) => e.type)).toEqual(expected.map((e) => e.type));
          expected.forEach((e, i) => e.data && expect(events[i]!.data).toMatchObject(e.data));
          return events;
        },
        thenNothing(): void {
          expect(decided()).toEqual([]);
        },
        thenRejected(reason: string): void {
          expect(decided).toThrow(CommandRejected);
          expect(decided).toThrow(reason);
        },
      };
    },
  };
}
