import { decide, decisionKey, evolve, type DecisionContext, type HouseholdEvent, type HouseholdState, type IsoDate } from '@bijstand/domain';
import { WrongExpectedRevisionError, type EventStore, type Subscription } from '@bijstand/event-store';
import { householdIdOfStream, householdStream, loadLatestHousehold, toNewEvent, type Logger } from '@bijstand/platform';

const MAX_CONFLICT_RETRIES = 5;

/**
 * The bufferbudget process manager (SPEC §7): for every payment the nightly run proposed, it decides
 * the draw (or records why not) and makes the payment final. Idempotent: a payment already final
 * has nothing pending, and its decision's event ids are fixed, so a restart never draws twice.
 */
export class BufferProcessManager {
  constructor(
    private readonly store: EventStore,
    private readonly ctx: DecisionContext,
    private readonly rulesVersion: string,
    private readonly logger: Logger,
  ) {}

  /** The decisions on every pending payment, taken on `state` (advanced as it goes); nothing is stored. */
  decideInMemory(state: HouseholdState, runDate: IsoDate): HouseholdEvent[] {
    const out: HouseholdEvent[] = [];
    for (let month = firstPending(state); month; month = firstPending(state)) {
      const events = decide({ type: 'DecideBuffer', month, runDate, rulesVersion: this.rulesVersion }, state, this.ctx);
      if (events.length === 0) break;
      for (const e of events) evolve(state, e);
      out.push(...events);
    }
    return out;
  }

  /**
   * Decide every pending payment of the household; returns the events appended and the stream's
   * revision after them. `known` is the household as the caller has it (the nightly run), which
   * saves reading it back; on a conflict it is read from the store.
   */
  async decidePending(householdId: string, runDate: IsoDate, runAt: string, known?: { state: HouseholdState; revision: number }): Promise<{ events: HouseholdEvent[]; revision: number }> {
    const appended: HouseholdEvent[] = [];
    let household = known ? { state: copyState(known.state), revision: known.revision } : await loadLatestHousehold(this.store, householdId);
    for (let attempt = 0; ; ) {
      const month = [...household.state.pendingPayments.keys()].sort()[0];
      if (!month) return { events: appended, revision: household.revision };
      const events = decide({ type: 'DecideBuffer', month, runDate, rulesVersion: this.rulesVersion }, household.state, this.ctx);
      try {
        const result = await this.store.append(
          householdStream(householdId),
          events.map((e) => toNewEvent(e, { eventId: decisionKey(e), recordedAt: runAt, correlationId: `nightly:${runDate}`, causationId: `proposal:${month}` })),
          { expectedRevision: household.revision },
        );
        appended.push(...events);
        for (const e of events) evolve(household.state, e);
        household = { state: household.state, revision: result.nextExpectedRevision };
        const draw = events.find((e) => e.type === 'BufferDrawn');
        if (draw) this.logger.info({ householdId, month, amount: draw.data.amount }, 'bufferbudget drawn');
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError) || ++attempt >= MAX_CONFLICT_RETRIES) throw err;
        household = await loadLatestHousehold(this.store, householdId);
      }
    }
  }

  /** Run as its own service: react to proposals from the store, resuming after the checkpoint. */
  start(): Subscription {
    return this.store.subscribeToAll({
      subscriptionId: 'buffer-process-manager',
      eventTypes: ['PaymentProposed'],
      handler: async (event) => {
        const { runDate } = event.data as { runDate: IsoDate };
        await this.decidePending(householdIdOfStream(event.streamName), runDate, event.recordedAt);
      },
    });
  }
}

const firstPending = (state: HouseholdState) => [...state.pendingPayments.keys()].sort()[0];

/** The parts of a state a buffer decision changes, copied so that the caller's state is not touched. */
export function copyState(s: HouseholdState): HouseholdState {
  return { ...s, months: new Map(s.months), payments: new Map(s.payments), pendingPayments: new Map(s.pendingPayments), bufferDrawnPerYear: new Map(s.bufferDrawnPerYear), alertsRaised: new Set(s.alertsRaised) };
}
