import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAlert } from '@bijstand/alerts';
import { readInbox } from '../src/inbox.js';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';

let ex: RunExample;

beforeAll(async () => {
  ex = await runExample('couple-correction');
});
afterAll(async () => {
  await ex.store.close();
});

describe('the inbox (alerts decided by the nightly run, before any worker recorded them)', () => {
  it('describes each alert as the alerts service records it, plus acknowledgement and deliveries', async () => {
    const { alerts, raised } = await readInbox(ex.store);
    // Newest first; July is paid on the 25th, before it is settled, so its explanation has no amounts yet.
    expect(alerts.map((a) => [a.alertId, a.raisedOn, a.amount ?? null, a.explanation])).toEqual([
      ['H-couple:below-minimum:2027-07', '2027-07-25', '58.22', { month: '2027-07', legalRefs: [] }],
      ['H-couple:buffer-exhausted:2027-07', '2027-07-25', null, { month: '2027-07', legalRefs: [] }],
      ['H-couple:new-income-relationship:2027-03', '2027-04-21', null, { month: '2027-03', legalRefs: [] }],
    ]);
    expect(alerts[0]!.details).toEqual({
      offset: '580.38',
      bufferDecision: 'drawn',
      bufferDraw: '391.84',
      bufferRemaining: '0.00',
      amountPaid: '1010.98',
      projectedNet: '868.80',
      normExclHoliday: '1938.00',
    });
    for (const { acknowledgedBy, acknowledgedAt, deliveredVia, ...alert } of alerts) {
      expect([acknowledgedBy, acknowledgedAt, deliveredVia]).toEqual([undefined, undefined, []]);
      // What the worker's alert service records for the same AlertRaised: the same alert, field by field.
      expect(await recordAlert(ex.store, raised.get(alert.alertId)!, [])).toEqual(alert);
    }
  });
});
