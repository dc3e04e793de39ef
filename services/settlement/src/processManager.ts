import {
  decidePendingPayments,
  decisionKey,
  type DecisionContext,
  type HouseholdEvent,
  type HouseholdState,
  type IsoDate,
} from '@bijstand/domain';
import { WrongExpectedRevisionError, type EventStore, type Subscription } from '@bijstand/event-store';
import { householdIdOfStream, householdStream, loadLatestHousehold, toNewEvent, type Logger } from '@bijstand/platform';

const MAX_CONFLICT_RETRIES = 5;

/**
 * The bufferbudget process manager (SPEC §7) for proposals that no night finished: a settlement
 * worker decides the buffer in the same commit as its proposal (decideNight), so this only acts on a
 * proposal stored without its decision (a worker of an older version, or one that crashed between two
 * commits). Idempotent: a payment already final has nothing pending, and its decision's event ids
 * are fixed, so a restart never draws twice.
 */
export class BufferProcessManager {
  constructor(
    private readonly store: EventStore,
    private readonly ctx: DecisionContext,
    private readonly rulesVersion: string,
    private readonly logger: Logger,
    /** Several municipalities: the household's own context and rules version (its state's municipality). */
    private readonly rulesFor?: (state: HouseholdState) => { ctx: DecisionContext; rulesVersion: string },
  ) {}

  /** Decide every pending payment of the household (decidePendingPayments) and append the decisions. */
  async decidePending(
    householdId: string,
    runDate: IsoDate,
    runAt: string,
  ): Promise<{ events: HouseholdEvent[]; revision: number }> {
    for (let attempt = 0; ; attempt++) {
      const household = await loadLatestHousehold(this.store, householdId);
      const rules = this.rulesFor?.(household.state) ?? { ctx: this.ctx, rulesVersion: this.rulesVersion };
      const events = decidePendingPayments(household.state, runDate, rules.rulesVersion, rules.ctx);
      if (events.length === 0) return { events, revision: household.revision };
      try {
        const result = await this.store.append(
          householdStream(householdId),
          events.map((e) =>
            toNewEvent(e, {
              eventId: decisionKey(e),
              recordedAt: runAt,
              correlationId: `nightly:${runDate}`,
              causationId: `proposal:${'month' in e.data ? e.data.month : ''}`,
            }),
          ),
          { expectedRevision: household.revision },
        );
        for (const e of events)
          if (e.type === 'BufferDrawn')
            this.logger.info({ householdId, month: e.data.month, amount: e.data.amount }, 'bufferbudget drawn');
        return { events, revision: result.nextExpectedRevision };
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError) || attempt + 1 >= MAX_CONFLICT_RETRIES) throw err;
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
