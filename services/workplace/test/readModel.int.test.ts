import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { ALERTS_STREAM, HOUSEHOLD_STREAM_PREFIX } from '@bijstand/platform';
import { loadCaseFile } from '@bijstand/replay';
import { recordHouseholdView } from '../src/access.js';
import { acknowledge, readInbox } from '../src/inbox.js';
import { WorkplaceReadModel } from '../src/readModel.js';
import { runExample } from '../../../packages/cli/test/support/examples.js';

/** Several worked examples' households in one store, appended one example after the other (as nights would). */
const EXAMPLES = ['couple-correction', 'job-ends-rule-c', 'single-parent-partner-abroad', 'work-disregard-run'];
let store: EventStore;

async function copyHouseholds(name: string): Promise<void> {
  const ex = await runExample(name);
  for (const e of await ex.store.readAll())
    if (e.streamName.startsWith(HOUSEHOLD_STREAM_PREFIX))
      await store.append(e.streamName, [
        { eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, recordedAt: e.recordedAt, data: e.data },
      ]);
  await ex.store.close();
}

beforeAll(async () => {
  store = await openEventStore({ kind: 'memory' });
});
afterAll(async () => {
  await store.close();
});

describe('the read model (caught up from the last position, never a fold of every household per request)', () => {
  it('gives the inbox readInbox gives and the list loadCaseFile gives, after each step it caught up on', async () => {
    const model = new WorkplaceReadModel(store);
    for (const name of EXAMPLES) {
      await copyHouseholds(name);
      await model.refresh();
      const inbox = await readInbox(store);
      expect(model.inbox().alerts).toEqual(inbox.alerts);
      expect([...model.inbox().raised.keys()].sort()).toEqual([...inbox.raised.keys()].sort());
    }
    expect(model.inbox().alerts.length).toBe(3 + 1 + 3 + 5);
    expect(model.householdStreams()).toBe(4);
    const streams = await store.listStreams(HOUSEHOLD_STREAM_PREFIX);
    expect(model.households().map((h) => h.id)).toEqual(streams.map((s) => s.slice(HOUSEHOLD_STREAM_PREFIX.length)));
    for (const row of model.households()) {
      const file = (await loadCaseFile(store, row.id))!;
      const open = model.inbox().alerts.filter((a) => a.householdId === row.id && !a.acknowledgedBy).length;
      expect(row).toEqual({
        id: row.id,
        municipality: (await readInbox(store)).municipalityOf.get(row.id) ?? null,
        start: file.caseStart,
        end: file.caseEnd,
        ledger: file.ledgerBalance,
        alertsOpen: open,
      });
    }
  });

  it('sees an acknowledgement at the next refresh, and shows the list as it stood at asOf', async () => {
    const model = new WorkplaceReadModel(store);
    await model.refresh();
    const first = model.inbox().alerts[0]!;
    const before = model.version;
    expect(
      await acknowledge(store, first.alertId, 'Karin K.', '2027-12-01T09:00:00Z', 'consultant', model.inbox().raised),
    ).toBe('acknowledged');
    await Promise.all([model.refresh(), model.refresh(), model.refresh()]);
    expect(model.version).toBe(before + 1);
    // A household view (the access log) changes no list: the sorted views stay.
    await recordHouseholdView(store, {
      user: 'K',
      role: 'consultant',
      householdId: 'H-run',
      view: 'household',
      at: first.raisedOn,
    });
    await model.refresh();
    expect(model.version).toBe(before + 1);
    expect(model.inbox().alerts).toEqual((await readInbox(store)).alerts);
    expect(model.inbox().alerts[0]).toMatchObject({
      acknowledgedBy: 'Karin K.',
      acknowledgedAt: '2027-12-01T09:00:00Z',
    });

    // As the store stood on 25 March 2027: H-exit not yet ended, H-abroad and H-run with a claim then.
    const then = new WorkplaceReadModel(store, '2027-03-25T12:00:00Z');
    await then.refresh();
    const rows = (m: WorkplaceReadModel) => m.households().map((h) => [h.id, h.start, h.end, h.ledger]);
    expect(rows(then)).toEqual([
      ['H-couple', '2027-01-01', null, '0.00'],
      ['H-exit', '2027-01-01', null, '0.00'],
      ['H-abroad', '2027-01-01', null, '-771.04'],
      ['H-run', '2027-01-01', null, '-255.60'],
    ]);
    expect(rows(model)).toEqual([
      ['H-couple', '2027-01-01', null, '0.00'],
      ['H-exit', '2027-01-01', '2027-06-30', '-1356.60'],
      ['H-abroad', '2027-01-01', null, '0.00'],
      ['H-run', '2027-01-01', null, '0.00'],
    ]);
  });

  it('shows an alert a service recorded without a household decision (a refused payment), and acknowledges it', async () => {
    const model = new WorkplaceReadModel(store);
    await model.refresh();
    const before = model.inbox().alerts.length;
    // What services/payments records when the bank refuses a transfer: an AlertRecorded in the alerts stream only.
    const refused = {
      alertId: 'payment-failed:B-202705-P1-0123456789abcdef',
      householdId: 'H-couple',
      kind: 'payment-failed',
      month: '2027-05',
      amount: '534.60',
      reason:
        'De bank heeft de betaling van € 534,60 (Bijstand mei 2027, aanvrager) geweigerd: AC04 rekening opgeheven.',
      raisedOn: '2027-05-27',
      details: { reasonCode: 'AC04', reasonText: 'rekening opgeheven', payee: 'applicant' },
      explanation: { month: '2027-05', legalRefs: ['Participatiewet art. 45'] },
    };
    await store.append(ALERTS_STREAM, [
      {
        eventId: `alert:${refused.alertId}`,
        type: 'AlertRecorded',
        schemaVersion: 1,
        recordedAt: '2027-05-27T10:00:00Z',
        data: refused,
      },
    ]);
    await model.refresh();
    const inbox = await readInbox(store);
    expect(model.inbox().alerts).toEqual(inbox.alerts);
    expect(model.inbox().alerts).toHaveLength(before + 1);
    expect(model.inbox().alerts.find((a) => a.alertId === refused.alertId)).toMatchObject({
      kind: 'payment-failed',
      householdId: 'H-couple',
      amount: '534.60',
    });
    expect(model.households().find((h) => h.id === 'H-couple')!.alertsOpen).toBe(
      model.inbox().alerts.filter((a) => a.householdId === 'H-couple' && !a.acknowledgedBy).length,
    );
    expect(
      await acknowledge(store, refused.alertId, 'Karin K.', '2027-05-28T09:00:00Z', 'consultant', model.inbox().raised),
    ).toBe('acknowledged');
    await model.refresh();
    expect(model.inbox().alerts.find((a) => a.alertId === refused.alertId)!.acknowledgedBy).toBe('Karin K.');
    // Recorded once: acknowledging did not record the alert a second time.
    const recorded = (await store.readStream(ALERTS_STREAM)).filter(
      (e) => e.type === 'AlertRecorded' && (e.data as { alertId: string }).alertId === refused.alertId,
    );
    expect(recorded).toHaveLength(1);
  });
});
