import { decide, decisionKey, evolve, fmt, ENGINE_VERSION, money, ZERO, type DecisionContext, type HouseholdEvent, type HouseholdState, type Instant, type IsoDate, type Money } from '@bijstand/domain';
import { WrongExpectedRevisionError, type EventStore } from '@bijstand/event-store';
import { BufferProcessManager, copyState } from '@bijstand/buffer';
import { HOUSEHOLD_STREAM_PREFIX, NIGHTLY_RUNS_STREAM, RULES_VERSIONS_STREAM, HouseholdCache, householdIdOfStream, householdStream, toNewEvent, type HouseholdForDecision, type Logger } from '@bijstand/platform';

export interface NightlyRun {
  runDate: IsoDate;
  /** The run's instant: the recordedAt of every decision it takes (virtual clock in scenarios). */
  runAt: Instant;
}

export interface HouseholdRunResult {
  householdId: string;
  appended: number;
  monthsSettled: number;
  paid: Money;
  paymentsMade: number;
  alerts: number;
  ledgerBalance: Money;
}

export interface RunSummary {
  runDate: IsoDate;
  households: number;
  monthsSettled: number;
  paymentsMade: number;
  paid: string;
  householdsWithClaim: number;
  openClaims: string;
  alerts: number;
  failures: Array<{ householdId: string; error: string }>;
}

const MAX_CONFLICT_RETRIES = 5;

export interface SettlementOptions {
  /** Household states kept in memory between runs (least recently used out). Default 10,000. */
  cacheHouseholds?: number;
  /** A snapshot of a household is stored once this many events were folded since its last. Default 8. */
  snapshotEveryEvents?: number;
}

export class NightlySettlement {
  private readonly cache: HouseholdCache;
  private readonly snapshotEveryEvents: number;
  private readonly buffer: BufferProcessManager;

  constructor(
    private readonly store: EventStore,
    private readonly ctx: DecisionContext,
    private readonly rulesVersion: string,
    private readonly logger: Logger,
    options: SettlementOptions = {},
  ) {
    this.cache = new HouseholdCache(options.cacheHouseholds ?? 10_000);
    this.snapshotEveryEvents = options.snapshotEveryEvents ?? 8;
    this.buffer = new BufferProcessManager(store, ctx, rulesVersion, logger);
  }

  async listHouseholds(): Promise<string[]> {
    return (await this.store.listStreams(HOUSEHOLD_STREAM_PREFIX)).map(householdIdOfStream);
  }

  /**
   * The run's instant and rules version, once per run date: replay re-runs exactly these nights. The
   * tables and policy behind a rules version are recorded once, so replay can use the rules of then.
   */
  async recordRun(run: NightlyRun): Promise<void> {
    await this.store.appendMany([
      {
        streamName: NIGHTLY_RUNS_STREAM,
        events: [{ eventId: `run:${run.runDate}`, type: 'NightlyRunStarted', schemaVersion: 1, recordedAt: run.runAt, data: { ...run, rulesVersion: this.rulesVersion } }],
      },
      {
        streamName: RULES_VERSIONS_STREAM,
        events: [
          {
            eventId: `rules:${this.rulesVersion}`,
            type: 'RulesVersionRecorded',
            schemaVersion: 1,
            recordedAt: run.runAt,
            data: { rulesVersion: this.rulesVersion, engineVersion: ENGINE_VERSION, params: this.ctx.params, policy: this.ctx.policy },
          },
        ],
      },
    ]);
  }

  /** Settle and pay one household for the run date (SPEC §6). Safe to repeat. */
  async settleHousehold(householdId: string, run: NightlyRun): Promise<HouseholdRunResult> {
    for (let attempt = 0; ; attempt++) {
      const household = await this.cache.loadAsOf(this.store, householdId, run.runAt);
      const events = decide({ type: 'RunNightly', runDate: run.runDate, runAt: run.runAt, rulesVersion: this.rulesVersion }, household.state, this.ctx);
      const correlationId = `nightly:${run.runDate}`;
      try {
        const result = events.length === 0
          ? { appended: 0 }
          : await this.store.append(
              householdStream(householdId),
              events.map((e) => toNewEvent(e, { eventId: decisionKey(e), recordedAt: run.runAt, correlationId })),
              { expectedRevision: household.revision },
            );
        // The payment is final only after the buffer decision: wait for it (also after a crash
        // between proposal and decision, when the proposal is already stored and still pending).
        const runAtMs = Date.parse(run.runAt);
        let revision = 'nextExpectedRevision' in result ? result.nextExpectedRevision : household.revision;
        const upToDate = household.cached && (events.length === 0 || this.cache.applyAppended(householdId, household, events, revision, runAtMs));
        let bufferDecided = 0;
        if (events.some((e) => e.type === 'PaymentProposed') || household.state.pendingPayments.size > 0) {
          // With the cached state up to date (it includes the proposal) the buffer decides on it;
          // otherwise it reads the household back from the store.
          const decided = await this.buffer.decidePending(householdId, run.runDate, run.runAt, upToDate ? { state: household.state, revision } : undefined);
          if (upToDate && decided.events.length > 0) this.cache.applyAppended(householdId, household, decided.events, decided.revision, runAtMs);
          revision = decided.revision;
          bufferDecided = decided.events.length;
          events.push(...decided.events);
        }
        const snapshot = upToDate ? this.cache.snapshotDue(householdId, household, this.snapshotEveryEvents) : null;
        if (snapshot) await this.store.writeSnapshots([snapshot]);
        return resultOf(householdId, household.state, events, result.appended + bufferDecided);
      } catch (err) {
        // Another process appended first: drop the cached state and decide again on what is stored.
        this.cache.forget(householdId);
        if (err instanceof WrongExpectedRevisionError && attempt < MAX_CONFLICT_RETRIES) continue;
        throw err;
      }
    }
  }

  /**
   * The whole night of one household decided in memory: the run and, for the payment it proposes,
   * the buffer decision on the same state (what the process manager would decide next).
   */
  private async decideHousehold(householdId: string, run: NightlyRun): Promise<{ events: HouseholdEvent[]; expectedRevision: number; household: HouseholdForDecision; state: HouseholdState }> {
    const household = await this.cache.loadAsOf(this.store, householdId, run.runAt);
    const events = decide({ type: 'RunNightly', runDate: run.runDate, runAt: run.runAt, rulesVersion: this.rulesVersion }, household.state, this.ctx);
    if (events.some((e) => e.type === 'PaymentProposed') || household.state.pendingPayments.size > 0) {
      const after = copyState(household.state);
      for (const e of events) evolve(after, e);
      events.push(...this.buffer.decideInMemory(after, run.runDate));
    }
    return { events, expectedRevision: household.revision, household, state: household.state };
  }

  /**
   * The nightly batch in-process (no Redis): households in chunks (settleHouseholds). One household's
   * failure is logged and reported; it never stops the others.
   */
  async runNightly(run: NightlyRun, options: { chunkSize?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<RunSummary> {
    await this.recordRun(run);
    const households = await this.listHouseholds();
    const results: HouseholdRunResult[] = [];
    const failures: RunSummary['failures'] = [];
    const chunkSize = options.chunkSize ?? 200;
    for (let i = 0; i < households.length; i += chunkSize) {
      options.signal?.throwIfAborted();
      const chunk = await this.settleHouseholds(households.slice(i, i + chunkSize), run);
      results.push(...chunk.results);
      failures.push(...chunk.failures);
      options.onProgress?.(Math.min(i + chunkSize, households.length), households.length);
    }
    const summary = summarize(run.runDate, households.length, results, failures);
    this.logger.info({ summary: { ...summary, failures: summary.failures.length } }, 'nightly run finished');
    return summary;
  }

  /**
   * Settle and pay a group of households: each decided in memory (run and buffer decision), all their
   * decisions and snapshots appended in one commit. A group that meets a concurrent writer falls back
   * to household by household. Safe to repeat.
   */
  async settleHouseholds(householdIds: readonly string[], run: NightlyRun): Promise<{ results: HouseholdRunResult[]; failures: RunSummary['failures'] }> {
    const results: HouseholdRunResult[] = [];
    const failures: RunSummary['failures'] = [];
    const fail = (householdId: string, err: unknown) => {
      failures.push({ householdId, error: (err as Error).message });
      this.logger.error({ householdId, runDate: run.runDate, err: (err as Error).message }, 'household could not be settled');
    };
    const runAtMs = Date.parse(run.runAt);
    const decided: Array<{ householdId: string; events: HouseholdEvent[]; expectedRevision: number; household: HouseholdForDecision; state: HouseholdState }> = [];
    for (const householdId of householdIds) {
      try {
        decided.push({ householdId, ...(await this.decideHousehold(householdId, run)) });
      } catch (err) {
        fail(householdId, err);
      }
    }
    const writes = decided.filter((d) => d.events.length > 0);
    try {
      await this.store.groupCommits(async () => {
        const appended = await this.store.appendMany(
          writes.map((d) => ({
            streamName: householdStream(d.householdId),
            events: d.events.map((e) => toNewEvent(e, { eventId: decisionKey(e), recordedAt: run.runAt, correlationId: `nightly:${run.runDate}` })),
            expectedRevision: d.expectedRevision,
          })),
        );
        const snapshots = [];
        for (const [k, d] of writes.entries()) {
          if (!this.cache.applyAppended(d.householdId, d.household, d.events, appended[k]!.nextExpectedRevision, runAtMs)) continue;
          const snapshot = this.cache.snapshotDue(d.householdId, d.household, this.snapshotEveryEvents);
          if (snapshot) snapshots.push(snapshot);
        }
        await this.store.writeSnapshots(snapshots);
      });
      for (const d of decided) results.push(resultOf(d.householdId, d.state, d.events, d.events.length));
    } catch (err) {
      if (!(err instanceof WrongExpectedRevisionError)) throw err;
      // Someone else wrote to one of these households meanwhile: settle them one by one.
      for (const d of decided) {
        this.cache.forget(d.householdId);
        try {
          results.push(await this.settleHousehold(d.householdId, run));
        } catch (e) {
          fail(d.householdId, e);
        }
      }
    }
    return { results, failures };
  }
}

function resultOf(householdId: string, before: HouseholdState, events: readonly HouseholdEvent[], appended: number): HouseholdRunResult {
  let ledger = before.ledgerBalance;
  let paid: Money = ZERO;
  let paymentsMade = 0;
  for (const e of events) {
    if (e.type === 'PaymentMade') {
      paid = money(paid.plus(e.data.amount));
      paymentsMade++;
      ledger = money(e.data.ledgerBalanceAfter);
    } else if (e.type === 'MonthSettled') ledger = money(e.data.ledgerBalanceAfter);
  }
  return {
    householdId,
    appended,
    monthsSettled: events.filter((e) => e.type === 'MonthSettled').length,
    paid,
    paymentsMade,
    alerts: events.filter((e) => e.type === 'AlertRaised').length,
    ledgerBalance: ledger,
  };
}

export function summarize(runDate: IsoDate, households: number, results: HouseholdRunResult[], failures: RunSummary['failures']): RunSummary {
  let paid: Money = ZERO;
  let claims: Money = ZERO;
  let withClaim = 0;
  for (const r of results) {
    paid = money(paid.plus(r.paid));
    if (r.ledgerBalance.lessThan(0)) {
      withClaim++;
      claims = money(claims.plus(r.ledgerBalance.negated()));
    }
  }
  return {
    runDate,
    households,
    monthsSettled: results.reduce((t, r) => t + r.monthsSettled, 0),
    paymentsMade: results.reduce((t, r) => t + r.paymentsMade, 0),
    paid: fmt(paid),
    householdsWithClaim: withClaim,
    openClaims: fmt(claims),
    alerts: results.reduce((t, r) => t + r.alerts, 0),
    failures: [...failures].sort((a, b) => (a.householdId < b.householdId ? -1 : 1)),
  };
}
