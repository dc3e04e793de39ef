import type { IsoDate } from './dates.js';
import { copyForDecision, evolve, type HouseholdState } from './household.js';
import type { HouseholdEvent } from './events.js';
import { decide, type DecisionContext, type RunNightly } from './decider.js';

/**
 * A whole night of one household, the one way every driver takes it (in-process run, BullMQ worker,
 * scenarios, replay): the nightly run (SPEC §6), then the buffer decision (SPEC §7) on every payment
 * pending after it. `state` is not changed.
 */
export function decideNight(cmd: RunNightly, state: HouseholdState, ctx: DecisionContext): HouseholdEvent[] {
  const run = decide(cmd, state, ctx);
  if (state.pendingPayments.size === 0 && !run.some((e) => e.type === 'PaymentProposed')) return run;
  const after = copyForDecision(state);
  for (const e of run) evolve(after, e);
  return [...run, ...decidePending(after, cmd.runDate, cmd.rulesVersion, ctx)];
}

/**
 * The buffer decision and final payment of every pending proposal, oldest month first: the second half
 * of a night, and all the buffer process manager does for a proposal a crashed worker left behind.
 * `state` is not changed.
 */
export function decidePendingPayments(
  state: HouseholdState,
  runDate: IsoDate,
  rulesVersion: string,
  ctx: DecisionContext,
): HouseholdEvent[] {
  return decidePending(copyForDecision(state), runDate, rulesVersion, ctx);
}

/** Decides every pending payment on `work` (a copy the caller owns), evolving it as it goes. */
function decidePending(
  work: HouseholdState,
  runDate: IsoDate,
  rulesVersion: string,
  ctx: DecisionContext,
): HouseholdEvent[] {
  const out: HouseholdEvent[] = [];
  for (const month of [...work.pendingPayments.keys()].sort()) {
    for (const e of decide({ type: 'DecideBuffer', month, runDate, rulesVersion }, work, ctx)) {
      evolve(work, e);
      out.push(e);
    }
  }
  return out;
}
