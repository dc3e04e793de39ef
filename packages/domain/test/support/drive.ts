import {
  decide,
  decideNight,
  type DecisionContext,
  type HouseholdCommand,
  type HouseholdEvent,
  type HouseholdState,
} from '../../src/index.js';

/** A command as the services decide it: a nightly run is a whole night (run + buffer decision). */
export function decideLikeTheServices(
  command: HouseholdCommand,
  state: HouseholdState,
  ctx: DecisionContext,
): HouseholdEvent[] {
  return command.type === 'RunNightly' ? decideNight(command, state, ctx) : decide(command, state, ctx);
}
