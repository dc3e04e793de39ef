import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { ALERTS_STREAM, createLogger } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '../../../apps/scenario/src/pipeline.js';
import { alertReasonNl } from '../../../packages/documents/src/alertText.js';
import {
  acknowledgeAlert,
  AlertDispatcher,
  alertHandling,
  InvalidAcknowledgementError,
  listAlerts,
  startAlertService,
  WebhookNotifier,
} from '../src/index.js';
import { startReceiver, until } from './support/receiver.js';

const logger = createLogger('test', { level: 'silent' });
const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const couple = () =>
  parseScenario(JSON.parse(readFileSync(join(examples, 'couple-correction.scenario.json'), 'utf8')), defaultParameters);
const now = () => '2027-12-01T00:00:00Z';

describe('alerts to consultants', () => {
  it('records each alert of the couple example once, with what a consultant needs, and no BSN', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const sub = startAlertService(store, { channels: [], wake: () => {} }, logger);
    await sub.caughtUp();
    await sub.stop();
    const alerts = await listAlerts(store);
    expect(alerts.map((a) => [a.kind, a.month, a.amount ?? null])).toEqual([
      ['new-income-relationship', '2027-03', null],
      ['below-minimum', '2027-07', '58.22'],
      ['buffer-exhausted', '2027-07', null],
    ]);
    const below = alerts[1]!;
    expect(below).toMatchObject({
      householdId: 'H-couple',
      reason: 'claim offset; the bufferbudget was exhausted by this payment',
      details: { offset: '580.38', bufferDraw: '391.84', bufferRemaining: '0.00', amountPaid: '1010.98' },
    });
    expect(JSON.stringify(alerts)).not.toMatch(/111222333|123456782/);
  });

  it('a webhook that fails twice then accepts gets each alert exactly once, signed', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const receiver = await startReceiver('s3cret', (_id, n) => (n <= 2 ? 503 : 204));
    const dispatcher = new AlertDispatcher(store, [new WebhookNotifier(receiver.url, 's3cret')], logger, {
      policy: { baseDelayMs: 5, maxDelayMs: 20 },
    }).start();
    const sub = startAlertService(store, dispatcher, logger);
    await sub.caughtUp();
    await until(
      async () => (await listAlerts(store, { state: 'delivered' })).length === 3,
      'three alerts are delivered',
    );
    await sub.stop();
    await dispatcher.close();
    await receiver.close();
    expect(receiver.accepted.sort()).toEqual([
      'H-couple:below-minimum:2027-07',
      'H-couple:buffer-exhausted:2027-07',
      'H-couple:new-income-relationship:2027-03',
    ]);
    expect([...receiver.requests.values()]).toEqual([3, 3, 3]);
    expect(receiver.refusedSignatures).toEqual([]);
    const alerts = await listAlerts(store);
    expect(alerts.map((a) => [a.state, a.deliveredVia, a.deliveries.map((d) => d.attempts)])).toEqual([
      ['delivered', ['webhook'], [3]],
      ['delivered', ['webhook'], [3]],
      ['delivered', ['webhook'], [3]],
    ]);
  });

  it('an alert service restarted from its checkpoint records and sends nothing twice', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    let wakes = 0;
    const delivery = { channels: ['log'], wake: () => void wakes++ };
    const first = startAlertService(store, delivery, logger);
    await first.caughtUp();
    await first.stop();
    const second = startAlertService(store, delivery, logger);
    await second.caughtUp();
    await second.stop();
    expect(wakes).toBe(3);
    const stream = await store.readStream(ALERTS_STREAM);
    expect(stream.map((e) => e.type).filter((t) => t === 'AlertRecorded' || t === 'AlertDeliveryRequested')).toEqual(
      Array(6)
        .fill(0)
        .map((_, i) => (i % 2 ? 'AlertDeliveryRequested' : 'AlertRecorded')),
    );
  });

  it('acknowledgement is an event; acknowledging twice changes nothing', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const sub = startAlertService(store, { channels: [], wake: () => {} }, logger);
    await sub.caughtUp();
    await sub.stop();
    expect(await acknowledgeAlert(store, 'H-couple:below-minimum:2027-07', 'klantmanager J. de Vries', now())).toBe(
      'acknowledged',
    );
    expect(await acknowledgeAlert(store, 'H-couple:below-minimum:2027-07', 'someone else', now())).toBe(
      'already-acknowledged',
    );
    const a = (await listAlerts(store, { kind: 'below-minimum' }))[0]!;
    expect(a.acknowledgedBy).toBe('klantmanager J. de Vries');
    // As `./cli alerts ack --by` stores it: the named person, no role (the workplace adds the session's role).
    expect((await store.readStream('alerts')).find((e) => e.type === 'AlertAcknowledged')!.data).toEqual({
      alertId: 'H-couple:below-minimum:2027-07',
      by: 'klantmanager J. de Vries',
    });
  });

  it('the below-minimum alert of the couple example reads in Dutch from its stored data', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const sub = startAlertService(store, { channels: [], wake: () => {} }, logger);
    await sub.caughtUp();
    await sub.stop();
    const below = (await listAlerts(store, { kind: 'below-minimum' }))[0]!;
    expect(alertReasonNl(below)).toBe(
      'Onder het bestaansminimum: € 58,22 te weinig in juli 2027; een vordering van € 580,38 is verrekend en ' +
        'het bufferbudget van 2027 is op (€ 391,84 ingezet)',
    );
  });

  it('an acknowledgement with a note; a note above 500 characters is refused; one without still reads', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    // No alert service ran: the alerts are only decided (household streams); acknowledging records them first.
    const id = 'H-couple:below-minimum:2027-07';
    await expect(acknowledgeAlert(store, id, 'J. de Vries', now(), { note: 'x'.repeat(501) })).rejects.toThrow(
      new InvalidAcknowledgementError('note: ten hoogste 500 tekens (nu 501); houd de notitie kort'),
    );
    expect(await listAlerts(store)).toEqual([]);
    const note = ' Betalingsregeling besproken, bijzondere bijstand aangevraagd. ';
    expect(await acknowledgeAlert(store, id, 'J. de Vries', now(), { role: 'consultant', note })).toBe('acknowledged');
    const [alert] = await listAlerts(store);
    expect(alert).toMatchObject({
      alertId: id,
      acknowledgedBy: 'J. de Vries',
      acknowledgedAt: '2027-12-01T00:00:00Z',
      acknowledgementNote: 'Betalingsregeling besproken, bijzondere bijstand aangevraagd.',
    });
    expect(alertHandling(alert!)).toBe('acknowledged');
    // As the workplace calls it (role positional, no note) on an alert acknowledged before notes existed.
    expect(await acknowledgeAlert(store, 'H-couple:buffer-exhausted:2027-07', 'A. Jansen', now(), 'consultant')).toBe(
      'acknowledged',
    );
    const other = (await listAlerts(store)).find((a) => a.kind === 'buffer-exhausted')!;
    expect([alertHandling(other), other.acknowledgedBy, other.acknowledgementNote]).toEqual([
      'acknowledged',
      'A. Jansen',
      undefined,
    ]);
    await expect(acknowledgeAlert(store, 'H-couple:large-claim:2027-07', 'J. de Vries', now())).rejects.toThrow(
      'no alert with id H-couple:large-claim:2027-07',
    );
  });
});
