import { createRequire } from 'node:module';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** prom-client (CommonJS, one instance), loaded by the first createMetrics: a process without /metrics never loads it. */
const promClient = () => createRequire(import.meta.url)('prom-client') as typeof import('prom-client');

/**
 * The Prometheus metrics of a process (prom-client). Counters count what this process did since it
 * started; gauges read from the store or the queue are computed at scrape time by the collectors a
 * service adds, so they hold across processes and restarts.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly householdsSettled: Counter;
  readonly householdFailures: Counter;
  readonly groupDuration: Histogram;
  readonly runDuration: Gauge;
  readonly runFinishedAt: Gauge;
  readonly ingestMessages: Counter<'outcome'>;
  /** Text in the exposition format appended to every scrape (e.g. BullMQ's queue metrics). */
  addExposition(source: () => Promise<string>): void;
  /** Everything, in the Prometheus text format. */
  render(): Promise<string>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = promClient();
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const expositions: Array<() => Promise<string>> = [];
  return {
    registry,
    householdsSettled: new Counter({
      name: 'bijstand_households_settled_total',
      help: 'Households settled by the nightly run in this process',
      registers,
    }),
    householdFailures: new Counter({
      name: 'bijstand_household_settlement_failures_total',
      help: 'Households the nightly run could not settle in this process',
      registers,
    }),
    groupDuration: new Histogram({
      name: 'bijstand_settlement_group_duration_seconds',
      help: 'Time to settle one group of households (one commit)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    runDuration: new Gauge({
      name: 'bijstand_nightly_run_duration_seconds',
      help: 'Duration of the last nightly run that finished, from enqueue to the last group',
      registers,
    }),
    runFinishedAt: new Gauge({
      name: 'bijstand_nightly_run_last_finished_timestamp_seconds',
      help: 'When the last nightly run finished (Unix time)',
      registers,
    }),
    ingestMessages: new Counter({
      name: 'bijstand_ingest_messages_total',
      help: 'Messages ingested by this process, by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    addExposition(source) {
      expositions.push(source);
    },
    async render() {
      const extra = await Promise.all(expositions.map((f) => f()));
      return [await registry.metrics(), ...extra].map((t) => t.trimEnd()).join('\n') + '\n';
    },
  };
}
