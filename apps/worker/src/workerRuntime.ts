import { Gauge } from 'prom-client';
import type { DecisionContext } from '@bijstand/domain';
import type { EventStore, Subscription } from '@bijstand/event-store';
import {
  ALERT_STATES,
  AlertDispatcher,
  alertHandling,
  alertRoutingFromConfig,
  deliveryOptionsFromEnv,
  listAlerts,
  notifiersFromEnv,
  startAlertService,
} from '@bijstand/alerts';
import {
  REJECTED_STREAM,
  createMetrics,
  rulesVersionOf,
  startOpsServer,
  type Logger,
  type Metrics,
  type Municipalities,
  type OpsServer,
  type RuntimeEnv,
} from '@bijstand/platform';
import {
  BufferProcessManager,
  NightlyQueue,
  NightlySettlement,
  checkRedis,
  startInProcessScheduler,
  type InProcessScheduler,
} from '@bijstand/settlement';

export interface WorkerDeps {
  env: RuntimeEnv;
  store: EventStore;
  ctx: DecisionContext;
  municipality: string;
  /**
   * The deployment's municipalities (MUNICIPALITY_CONFIG): each household settled under its own, its
   * alerts to its own webhook. Without it `ctx` settles every household and ALERT_WEBHOOK_URL takes every alert.
   */
  municipalities?: Municipalities;
  logger: Logger;
  clock?: () => number;
}

export interface RunningWorker {
  readonly opsPort: number;
  readonly metrics: Metrics;
  /** Graceful stop; safe to call twice (the second call waits for the first). */
  stop(reason: string): Promise<void>;
}

/**
 * The long-running worker: the nightly scheduler (BullMQ's job scheduler with Redis, an in-process
 * timer without), the settlement workers, the buffer process manager, alert delivery, and the
 * /health and /metrics endpoints. Stopping finishes the current group, then closes each part.
 */
export async function startSettlementWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { env, store, ctx, logger } = deps;
  // Before anything starts: an unreachable Redis is an error naming it, not a worker that waits forever.
  if (env.REDIS_URL) await checkRedis(env.REDIS_URL);
  const clock = deps.clock ?? Date.now;
  const metrics = createMetrics();
  const municipalities = deps.municipalities;
  const rulesVersion = rulesVersionOf(ctx.params, ctx.policy);
  const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, {
    cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS,
    ...(municipalities ? { municipalities } : {}),
    // A municipality whose rules changed waits for acceptance (the backoffice is told); the others are settled.
    onRulesChange: 'hold',
  });

  // The alert outbox lives in the store: delivery resumes from it at every start, with or without Redis.
  const routing = municipalities
    ? alertRoutingFromConfig(municipalities, process.env, logger)
    : { notifiers: notifiersFromEnv(env, logger) };
  const delivery = new AlertDispatcher(store, routing.notifiers, logger, {
    ...deliveryOptionsFromEnv(process.env),
    clock,
    ...(routing.route ? { route: routing.route } : {}),
  }).start();
  const subscriptions: Subscription[] = [
    startAlertService(store, delivery, logger),
    // Proposals left by a worker that died between proposal and buffer decision are decided here,
    // under the household's own municipality's rules.
    new BufferProcessManager(
      store,
      ctx,
      rulesVersion,
      logger,
      municipalities ? (state) => municipalities.resolve(state.municipality) : undefined,
    ).start(),
  ];

  let queue: NightlyQueue | undefined;
  let scheduler: InProcessScheduler | undefined;
  if (env.REDIS_URL) {
    queue = new NightlyQueue(env.REDIS_URL, settlement, logger, {
      householdsPerJob: env.SETTLEMENT_GROUP_SIZE,
      metrics,
    });
    try {
      await queue.scheduleDaily();
    } catch (err) {
      // Redis went away since the check: end what has started, so that the process exits with the error.
      await Promise.all([queue.close(), ...subscriptions.map((s) => s.stop()), delivery.close()]);
      throw err;
    }
    queue.startWorker({ concurrency: env.WORKER_CONCURRENCY });
    const q = queue;
    metrics.addExposition(() => q.prometheusText());
  } else {
    scheduler = startInProcessScheduler(settlement, logger, {
      clock,
      catchUp: true,
      groupSize: env.SETTLEMENT_GROUP_SIZE,
      onRunFinished: (summary, ms) => {
        metrics.householdsSettled.inc(summary.households - summary.failures.length);
        metrics.householdFailures.inc(summary.failures.length);
        metrics.runDuration.set(ms / 1000);
        metrics.runFinishedAt.set(clock() / 1000);
      },
    });
  }
  addStoreGauges(metrics, store);

  const ops: OpsServer = await startOpsServer({
    port: env.OPS_PORT,
    host: env.OPS_HOST,
    metrics,
    checks: {
      store: async () => void (await store.loadCheckpoint('alert-service')),
      ...(queue ? { redis: () => queue!.ping() } : {}),
    },
  });
  logger.info(
    {
      municipality: deps.municipality,
      ...(municipalities?.mode === 'multi' ? { municipalities: municipalities.codes } : {}),
      store: store.name,
      redis: Boolean(env.REDIS_URL),
      health: `http://${env.OPS_HOST}:${ops.port}/health`,
      metrics: `http://${env.OPS_HOST}:${ops.port}/metrics`,
    },
    'settlement worker started',
  );

  let stopping: Promise<void> | undefined;
  const stop = async (reason: string) => {
    logger.info({ reason }, 'settlement worker stopping: finishing the current group');
    ops.markStopping();
    const step = async (name: string, f: () => Promise<void>) => {
      try {
        await f();
      } catch (err) {
        logger.error({ part: name, err: (err as Error).message }, 'could not close cleanly');
      }
    };
    await step('scheduler', async () => {
      await scheduler?.stop();
      await queue?.close();
    });
    await step('subscriptions', async () => void (await Promise.all(subscriptions.map((s) => s.stop()))));
    await step('alert delivery', () => delivery.close());
    await step('ops server', () => ops.close());
    await step('store', () => store.close());
    logger.info({ reason }, 'settlement worker stopped');
  };
  return { opsPort: ops.port, metrics, stop: (reason) => (stopping ??= stop(reason)) };
}

/** Read from the store at scrape time: true for the whole deployment, whichever process wrote it. */
function addStoreGauges(metrics: Metrics, store: EventStore): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'bijstand_alerts',
    help: 'Alerts for consultants by state: pending (a channel still to deliver), delivered (every channel), dead-letter (a channel gave up), acknowledged',
    labelNames: ['state'],
    registers,
    async collect() {
      const alerts = await listAlerts(store);
      for (const state of ALERT_STATES) this.set({ state }, alerts.filter((a) => a.state === state).length);
      this.set({ state: 'acknowledged' }, alerts.filter((a) => alertHandling(a) === 'acknowledged').length);
    },
  });
  new Gauge({
    name: 'bijstand_ingest_rejected_messages',
    help: 'Messages rejected at ingest and stored with their reason (all processes)',
    registers,
    async collect() {
      this.set((await store.readStream(REJECTED_STREAM)).length);
    },
  });
}
