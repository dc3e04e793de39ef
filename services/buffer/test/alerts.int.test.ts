import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { ALERTS_STREAM, createLogger } from '@bijstand/platform';
import { startRedis, redisAvailable } from '@bijstand/testkit';
import { runScenarioThroughPipeline } from '../../../packages/cli/src/scenarioPipeline.js';
import { acknowledgeAlert, bufferReport, bufferReportCsv, bullmqDelivery, inProcessDelivery, listAlerts, signBody, startAlertService, WebhookNotifier } from '../src/index.js';

const logger = createLogger('test', { level: 'silent' });
const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const couple = () => parseScenario(JSON.parse(readFileSync(join(examples, 'couple-correction.scenario.json'), 'utf8')), defaultParameters);
const now = () => '2027-12-01T00:00:00Z';

/** A consultant system's webhook that refuses the first two requests for every alert, then accepts. */
function flakyReceiver(secret: string) {
  const attempts = new Map<string, number>();
  const accepted: Array<{ alertId: string; body: Record<string, unknown> }> = [];
  const badSignatures: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.headers['x-signature'] !== signBody(body, secret)) badSignatures.push(body);
      const id = String(req.headers['x-alert-id']);
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      if (n <= 2) {
        res.writeHead(503).end();
        return;
      }
      accepted.push({ alertId: id, body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  return { server, attempts, accepted, badSignatures };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
}

async function untilDelivered(store: EventStore, count: number) {
  for (let i = 0; i < 200; i++) {
    const delivered = (await store.readStream(ALERTS_STREAM)).filter((e) => e.type === 'AlertDelivered').length;
    if (delivered >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('alerts were not delivered in time');
}

describe('alerts to consultants', () => {
  it('records each alert of the couple example once, with what a consultant needs, and no BSN', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const sub = startAlertService(store, { enqueue: async () => {}, close: async () => {} }, logger);
    await sub.caughtUp();
    await sub.stop();
    const alerts = await listAlerts(store);
    expect(alerts.map((a) => [a.kind, a.month, a.amount ?? null])).toEqual([
      ['new-income-relationship', '2027-03', null],
      ['below-minimum', '2027-07', '58.22'],
      ['buffer-exhausted', '2027-07', null],
    ]);
    const below = alerts[1]!;
    expect(below).toMatchObject({ householdId: 'H-couple', reason: 'claim offset; the bufferbudget was exhausted by this payment', details: { offset: '580.38', bufferDraw: '391.84', bufferRemaining: '0.00', amountPaid: '1010.98' } });
    expect(JSON.stringify(alerts)).not.toMatch(/111222333|123456782/);
  });

  it('a webhook that fails twice then accepts gets each alert exactly once (in-process retries)', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const receiver = flakyReceiver('s3cret');
    const url = await listen(receiver.server);
    const delivery = inProcessDelivery(store, [new WebhookNotifier(url, 's3cret')], logger, now, { backoffMs: 5 });
    const sub = startAlertService(store, delivery, logger);
    await sub.caughtUp();
    await delivery.close();
    await sub.stop();
    receiver.server.close();
    expect(receiver.accepted.map((a) => a.alertId).sort()).toEqual(['H-couple:below-minimum:2027-07', 'H-couple:buffer-exhausted:2027-07', 'H-couple:new-income-relationship:2027-03']);
    expect([...receiver.attempts.values()]).toEqual([3, 3, 3]);
    expect(receiver.badSignatures).toEqual([]);
    expect((await listAlerts(store)).every((a) => a.deliveredVia.length === 1 && a.deliveredVia[0] === 'webhook')).toBe(true);
  });

  it('an alert service restarted from its checkpoint records and sends nothing twice', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const sent: string[] = [];
    const delivery = { enqueue: async (a: { alertId: string }) => void sent.push(a.alertId), close: async () => {} };
    const first = startAlertService(store, delivery, logger);
    await first.caughtUp();
    await first.stop();
    const second = startAlertService(store, delivery, logger);
    await second.caughtUp();
    await second.stop();
    expect(sent).toHaveLength(3);
    expect((await store.readStream(ALERTS_STREAM)).filter((e) => e.type === 'AlertRecorded')).toHaveLength(3);
  });

  it('acknowledgement is an event; acknowledging twice changes nothing', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const sub = startAlertService(store, { enqueue: async () => {}, close: async () => {} }, logger);
    await sub.caughtUp();
    await sub.stop();
    expect(await acknowledgeAlert(store, 'H-couple:below-minimum:2027-07', 'klantmanager J. de Vries', now())).toBe('acknowledged');
    expect(await acknowledgeAlert(store, 'H-couple:below-minimum:2027-07', 'someone else', now())).toBe('already-acknowledged');
    const a = (await listAlerts(store, { kind: 'below-minimum' }))[0]!;
    expect(a.acknowledgedBy).toBe('klantmanager J. de Vries');
  });

  it('reports the bufferbudget drawn per household per year for the eindheffing', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const report = await bufferReport(store, '2027');
    expect(report.totals).toEqual({ households: 1, drawn: '1000.00', draws: 2 });
    expect(bufferReportCsv(report)).toBe('\uFEFFhouseholdId;year;drawn;remaining;draws\r\nH-couple;2027;1000.00;0.00;2\r\n');
    expect(bufferReportCsv(report, { decimalComma: true })).toBe('\uFEFFhouseholdId;year;drawn;remaining;draws\r\nH-couple;2027;1000,00;0,00;2\r\n');
    expect(bufferReportCsv(await bufferReport(store, '2026'))).toBe('\uFEFFhouseholdId;year;drawn;remaining;draws\r\n');
  });
});

describe.skipIf(!redisAvailable())('alert delivery through BullMQ on a real Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('retries with backoff; the receiver that fails twice gets each alert exactly once', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const receiver = flakyReceiver('k');
    const url = await listen(receiver.server);
    const delivery = bullmqDelivery(redis.url, store, [new WebhookNotifier(url, 'k')], logger, now, { backoffMs: 20 });
    const sub = startAlertService(store, delivery, logger);
    await sub.caughtUp();
    await untilDelivered(store, 3);
    await sub.stop();
    await delivery.close();
    receiver.server.close();
    expect(receiver.accepted).toHaveLength(3);
    expect(new Set(receiver.accepted.map((a) => a.alertId)).size).toBe(3);
    expect((await store.readStream(ALERTS_STREAM)).filter((e) => e.type === 'AlertDelivered')).toHaveLength(3);
  });
});
