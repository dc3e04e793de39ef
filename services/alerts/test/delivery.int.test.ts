import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { ALERTS_STREAM, createLogger, householdStream } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '../../../apps/scenario/src/pipeline.js';
import {
  AlertDispatcher,
  listAlerts,
  LogNotifier,
  startAlertService,
  WebhookNotifier,
  type DispatcherOptions,
} from '../src/index.js';
import { startReceiver, until } from './support/receiver.js';

const logger = createLogger('test', { level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'alert-delivery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUSEHOLDS = 700;
const MONTHS = ['2027-05', '2027-06', '2027-07'];
const alertIdOf = (h: number, month: string) => `H-${String(h).padStart(4, '0')}:below-minimum:${month}`;
const allAlertIds = () =>
  Array.from({ length: HOUSEHOLDS }, (_, h) => MONTHS.map((m) => alertIdOf(h, m)))
    .flat()
    .sort();

/** A night that raised 2,100 below-minimum alerts (three months of 700 households). */
async function seedBacklog(store: EventStore): Promise<void> {
  await store.groupCommits(async () => {
    for (let h = 0; h < HOUSEHOLDS; h++) {
      await store.append(
        householdStream(`H-${String(h).padStart(4, '0')}`),
        MONTHS.map((month) => ({
          eventId: `raised:${alertIdOf(h, month)}`,
          type: 'AlertRaised',
          schemaVersion: 1,
          recordedAt: '2027-08-01T00:30:00Z',
          data: {
            alertId: alertIdOf(h, month),
            kind: 'below-minimum',
            month,
            amount: '58.22',
            reason: 'claim offset',
            runDate: '2027-08-01',
            details: {},
          },
        })),
      );
    }
  });
}

/** One run of the worker's alert part: the alert service and the dispatcher, until stopped. */
function startDelivery(store: EventStore, url: string, options: DispatcherOptions) {
  const dispatcher = new AlertDispatcher(store, [new WebhookNotifier(url, 'whsec-test')], logger, {
    concurrency: 32,
    pollIntervalMs: 50,
    ...options,
  }).start();
  const service = startAlertService(store, dispatcher, logger);
  return {
    service,
    async stop() {
      await service.stop();
      await dispatcher.close();
      await store.close();
    },
  };
}

async function countByType(store: EventStore, type: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const e of await store.readStream(ALERTS_STREAM))
    if (e.type === type)
      counts.set(
        String((e.data as { alertId: string }).alertId),
        (counts.get(String((e.data as { alertId: string }).alertId)) ?? 0) + 1,
      );
  return counts;
}

describe('alert delivery you can trust', () => {
  it('2,100 pending alerts, the receiver down for a while, two restarts: every alert delivered exactly once', async () => {
    const path = join(dir, 'backlog.sqlite');
    let up = false;
    const receiver = await startReceiver('whsec-test', () => (up ? 204 : 503));
    // Never dead-letter here: the receiver comes back.
    const options: DispatcherOptions = { policy: { maxAttempts: 100, baseDelayMs: 20, maxDelayMs: 200 } };

    let store = await openEventStore({ kind: 'sqlite', path });
    await seedBacklog(store);
    let run = startDelivery(store, receiver.url, options);
    await run.service.caughtUp();
    // The receiver is down: wait until every alert has been refused at least once, then restart.
    await until(async () => receiver.requests.size === 2100, 'every alert has been refused');
    const positionBeforeRestart = await store.loadCheckpoint('alert-service');
    await run.stop();
    const refusedBeforeRestart = new Map(receiver.requests);
    // As in the finding: the alert service's checkpoint has moved past every alert, none delivered.
    expect(receiver.accepted).toEqual([]);
    store = await openEventStore({ kind: 'sqlite', path });
    const lastRaised = Math.max(
      ...(await store.readAll()).filter((e) => e.type === 'AlertRaised').map((e) => e.globalPosition),
    );
    expect(positionBeforeRestart).toBeGreaterThanOrEqual(lastRaised);
    const pending = await listAlerts(store, { state: 'pending' });
    expect(pending.length).toBe(2100);
    // Every try that reached the receiver is recorded as failed: the retries resume from there. (A try
    // may also be recorded that never reached it: on a loaded machine the client's timeout can end it
    // before the request is through, so at least as many, never fewer.)
    const unrecorded = pending.filter(
      (a) => a.deliveries[0]!.attempts < refusedBeforeRestart.get(a.alertId)! || a.deliveries[0]!.awaitingOutcome,
    );
    expect(unrecorded).toEqual([]);

    // The receiver is back; restart once more while the backlog is half way through.
    up = true;
    run = startDelivery(store, receiver.url, options);
    await until(async () => receiver.accepted.length >= 700, '700 alerts are accepted');
    await run.stop();
    const deliveredBeforeSecondRestart = receiver.accepted.length;
    expect(deliveredBeforeSecondRestart).toBeLessThan(2100);

    store = await openEventStore({ kind: 'sqlite', path });
    run = startDelivery(store, receiver.url, options);
    await until(async () => receiver.accepted.length >= 2100, 'every alert is accepted');
    await run.stop();
    await receiver.close();

    expect(receiver.accepted.length).toBe(2100);
    expect([...receiver.accepted].sort()).toEqual(allAlertIds());
    expect(receiver.refusedSignatures).toEqual([]);
    store = await openEventStore({ kind: 'sqlite', path });
    const alerts = await listAlerts(store);
    expect(alerts.filter((a) => a.state === 'delivered').length).toBe(2100);
    // The tries counted on across restarts: the accepted try of each alert is the one after its refusals.
    const deliveredAttempt = new Map(
      (await store.readStream(ALERTS_STREAM))
        .filter((e) => e.type === 'AlertDelivered')
        .map((e) => [(e.data as { alertId: string }).alertId, (e.data as { attempt: number }).attempt]),
    );
    expect(deliveredAttempt.size).toBe(2100);
    expect([...deliveredAttempt].filter(([id, attempt]) => attempt !== refusedBeforeRestart.get(id)! + 1)).toEqual([]);
    expect([...receiver.requests].filter(([id, n]) => n !== refusedBeforeRestart.get(id)! + 1)).toEqual([]);
    expect([...(await countByType(store, 'AlertDelivered')).values()].every((n) => n === 1)).toBe(true);
    await store.close();
  });

  it('a receiver that never accepts: dead letter after the last try, and a restart sends nothing again', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const receiver = await startReceiver('whsec-test', () => 503);
    const options: DispatcherOptions = {
      policy: { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 10 },
      pollIntervalMs: 20,
    };
    const first = new AlertDispatcher(
      store,
      [new WebhookNotifier(receiver.url, 'whsec-test')],
      logger,
      options,
    ).start();
    const service = startAlertService(store, first, logger);
    await service.caughtUp();
    await until(
      async () => (await listAlerts(store, { state: 'dead-letter' })).length === 3,
      'three alerts are dead-lettered',
    );
    await service.stop();
    await first.close();

    const second = new AlertDispatcher(
      store,
      [new WebhookNotifier(receiver.url, 'whsec-test')],
      logger,
      options,
    ).start();
    await second.whenIdle();
    await second.close();
    await receiver.close();
    expect([...receiver.requests.values()]).toEqual([3, 3, 3]);
    expect(receiver.accepted).toEqual([]);
    const alerts = await listAlerts(store);
    expect(
      alerts.map((a) => [a.state, a.deliveries.map((d) => [d.channel, d.status, d.attempts, d.lastError])]),
    ).toEqual(Array(3).fill(['dead-letter', [['webhook', 'dead-letter', 3, 'webhook answered 503']]]));
  });

  it('alerts recorded before the outbox existed are requested at start, only on the channels that never had them', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    // The old alert service recorded alerts without requests; the log channel delivered one of them.
    const service = startAlertService(store, { channels: [], wake: () => {} }, logger);
    await service.caughtUp();
    await service.stop();
    await store.append(ALERTS_STREAM, [
      {
        eventId: 'delivered:log:H-couple:below-minimum:2027-07',
        type: 'AlertDelivered',
        schemaVersion: 1,
        recordedAt: '2027-08-01T01:00:00Z',
        data: { alertId: 'H-couple:below-minimum:2027-07', channel: 'log', attempt: 1 },
      },
    ]);
    const receiver = await startReceiver('whsec-test', () => 204);
    const dispatcher = new AlertDispatcher(
      store,
      [new LogNotifier(logger), new WebhookNotifier(receiver.url, 'whsec-test')],
      logger,
    ).start();
    await until(
      async () => (await listAlerts(store, { state: 'delivered' })).length === 3,
      'three alerts are delivered',
    );
    await dispatcher.close();
    await receiver.close();
    expect(receiver.accepted.sort()).toEqual([
      'H-couple:below-minimum:2027-07',
      'H-couple:buffer-exhausted:2027-07',
      'H-couple:new-income-relationship:2027-03',
    ]);
    expect((await listAlerts(store)).map((a) => [a.alertId, [...a.deliveredVia].sort()])).toEqual([
      ['H-couple:new-income-relationship:2027-03', ['log', 'webhook']],
      ['H-couple:below-minimum:2027-07', ['log', 'webhook']],
      ['H-couple:buffer-exhausted:2027-07', ['log', 'webhook']],
    ]);
    const logDeliveries = (await store.readStream(ALERTS_STREAM)).filter(
      (e) => e.type === 'AlertDelivered' && (e.data as { channel: string }).channel === 'log',
    );
    expect(logDeliveries.length).toBe(3);
  });
});

const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
function couple() {
  return parseScenario(
    JSON.parse(readFileSync(join(examples, 'couple-correction.scenario.json'), 'utf8')),
    defaultParameters,
  );
}
