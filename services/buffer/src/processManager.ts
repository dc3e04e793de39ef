import { decide, decisionKey, type DecisionContext, type HouseholdEvent, type IsoDate } from '@bijstand/domain';
import { WrongExpectedRevisionError, type EventStore, type Subscription } from '@bijstand/event-store';
import { householdIdOfStream, householdStream, loadHousehold, toNewEvent, type Logger } from '@bijstand/platform';

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

  /** Decide every pending payment of the household; returns the events appended. */
  async decidePending(householdId: string, runDate: IsoDate, runAt: string): Promise<HouseholdEvent[]> {
    const appended: HouseholdEvent[] = [];
    for (let attempt = 0; ; ) {
      const household = await loadHousehold(this.store, householdId);
      const month = [...household.state.pendingPayments.keys()].sort()[0];
      if (!month) return appended;
      const events = decide({ type: 'DecideBuffer', month, runDate, rulesVersion: this.rulesVersion }, household.state, this.ctx);
      try {
        await this.store.append(
          householdStream(householdId),
          events.map((e) => toNewEvent(e, { eventId: decisionKey(e), recordedAt: runAt, correlationId: `nightly:${runDate}`, causationId: `proposal:${month}` })),
          { expectedRevision: household.revision },
        );
        appended.push(...events);
        const draw = events.find((e) => e.type === 'BufferDrawn');
        if (draw) this.logger.info({ householdId, month, amount: draw.data.amount }, 'bufferbudget drawn');
      } catch (err) {
        if (err instanceof WrongExpectedRevisionError && ++attempt < MAX_CONFLICT_RETRIES) continue;
        throw err;
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
