import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@bijstand/event-store';
import {
  AlertLedger,
  backoffDelayMs,
  dueSteps,
  jitterOf,
  nextStep,
  type Delivery,
  type RetryPolicy,
} from '../src/index.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };
const T0 = Date.parse('2027-08-01T01:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

let revision = 0;
const event = (type: string, data: Record<string, unknown>, atMs = T0): RecordedEvent => ({
  eventId: `e${revision}`,
  type,
  schemaVersion: 1,
  recordedAt: iso(atMs),
  data,
  streamName: 'alerts',
  streamRevision: revision++,
  globalPosition: revision,
});
const recorded = (alertId: string) =>
  event('AlertRecorded', {
    alertId,
    householdId: 'H-1',
    kind: 'below-minimum',
    month: '2027-07',
    reason: 'r',
    raisedOn: '2027-08-01',
    details: {},
    explanation: { month: '2027-07', legalRefs: [] },
  });
const webhook = (type: string, alertId: string, extra: Record<string, unknown> = {}, atMs = T0) =>
  event(type, { alertId, channel: 'webhook', ...extra }, atMs);

function ledgerOf(events: RecordedEvent[]): AlertLedger {
  const ledger = new AlertLedger();
  for (const e of events) ledger.apply(e);
  return ledger;
}

describe('retry backoff', () => {
  it('doubles from the base up to the cap; the jitter spreads each delay over its upper half', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, 0))).toEqual([500, 1000, 2000, 2500, 2500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, 0.5))).toEqual([750, 1500, 3000, 3750, 3750]);
  });

  it('takes a jitter that is the same for a delivery and try after a restart, and differs between alerts', () => {
    expect(jitterOf('webhook:A', 1)).toBe(jitterOf('webhook:A', 1));
    expect(jitterOf('webhook:A', 1)).not.toBe(jitterOf('webhook:B', 1));
    const values = Array.from({ length: 1000 }, (_, i) => jitterOf(`webhook:H-${i}`, 1));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(values.filter((v) => v < 0.5).length).toBeGreaterThan(400);
    expect(values.filter((v) => v < 0.5).length).toBeLessThan(600);
  });
});

describe('the alert ledger: what is pending, delivered, dead-lettered', () => {
  it('folds requests, tries and outcomes into each delivery and the alert state', () => {
    const ledger = ledgerOf([
      recorded('A'),
      webhook('AlertDeliveryRequested', 'A'),
      recorded('B'),
      webhook('AlertDeliveryRequested', 'B'),
      recorded('C'),
      webhook('AlertDeliveryRequested', 'C'),
      webhook('AlertDeliveryAttempted', 'A', { attempt: 1 }),
      webhook('AlertDelivered', 'A', { attempt: 1 }),
      webhook('AlertDeliveryAttempted', 'B', { attempt: 1 }),
      webhook('AlertDeliveryFailed', 'B', { attempt: 1, error: 'webhook answered 503' }, T0 + 10),
      webhook('AlertDeliveryAttempted', 'C', { attempt: 1 }),
      webhook('AlertDeliveryFailed', 'C', { attempt: 1, error: 'x' }),
      webhook('AlertDeadLettered', 'C', { attempts: 1, reason: 'webhook answered 410' }),
    ]);
    expect([...ledger.alerts.values()].map((a) => [a.alertId, a.state, a.deliveredVia])).toEqual([
      ['A', 'delivered', ['webhook']],
      ['B', 'pending', []],
      ['C', 'dead-letter', []],
    ]);
    expect([...ledger.pending.keys()]).toEqual(['webhook:B']);
    expect(ledger.pending.get('webhook:B')).toMatchObject({
      attempts: 1,
      awaitingOutcome: false,
      lastError: 'webhook answered 503',
      backoffFromMs: T0 + 10,
    });
    expect(ledger.alerts.get('C')!.deliveries[0]!.lastError).toBe('webhook answered 410');
    expect(ledger.nextRevision).toBe(revision);
  });

  it('an alert from before the outbox counts its recorded deliveries and has no requests', () => {
    const ledger = ledgerOf([
      recorded('OLD'),
      event('AlertDelivered', { alertId: 'OLD', channel: 'log', attempt: 1 }),
      recorded('LOST'),
    ]);
    expect([...ledger.alerts.values()].map((a) => [a.alertId, a.state])).toEqual([
      ['OLD', 'delivered'],
      ['LOST', 'pending'],
    ]);
    expect(ledger.alertsWithoutRequests().map((a) => a.alertId)).toEqual(['OLD', 'LOST']);
    expect(ledger.pending.size).toBe(0);
  });
});

describe('the next step of a pending delivery', () => {
  const pendingAfter = (events: RecordedEvent[]): Delivery =>
    [...ledgerOf([recorded('A'), webhook('AlertDeliveryRequested', 'A'), ...events]).pending.values()][0]!;
  const jitter = (attempt: number) => jitterOf('webhook:A', attempt);

  it('is the first try at once, then a retry the backoff after the last failure', () => {
    expect(nextStep(pendingAfter([]), policy)).toEqual({ kind: 'attempt', attempt: 1, at: 0 });
    const failedTwice = pendingAfter([
      webhook('AlertDeliveryAttempted', 'A', { attempt: 1 }),
      webhook('AlertDeliveryFailed', 'A', { attempt: 1, error: 'e' }, T0 + 100),
      webhook('AlertDeliveryAttempted', 'A', { attempt: 2 }, T0 + 900),
      webhook('AlertDeliveryFailed', 'A', { attempt: 2, error: 'e' }, T0 + 1000),
    ]);
    expect(nextStep(failedTwice, policy)).toEqual({
      kind: 'attempt',
      attempt: 3,
      at: T0 + 1000 + backoffDelayMs(2, policy, jitter(2)),
    });
  });

  it('a try without an outcome (the process died while sending) counts, from when it started', () => {
    const crashed = pendingAfter([webhook('AlertDeliveryAttempted', 'A', { attempt: 1 }, T0 + 50)]);
    expect(nextStep(crashed, policy)).toEqual({
      kind: 'attempt',
      attempt: 2,
      at: T0 + 50 + backoffDelayMs(1, policy, jitter(1)),
    });
  });

  it('after the last allowed try it is the dead letter: at once after a failure, after the backoff when the outcome is unknown', () => {
    const tries = (n: number, lastFails: boolean) =>
      [1, 2, 3, 4]
        .slice(0, n)
        .flatMap((k) => [
          webhook('AlertDeliveryAttempted', 'A', { attempt: k }, T0 + k * 10_000),
          ...(k < n || lastFails
            ? [webhook('AlertDeliveryFailed', 'A', { attempt: k, error: `answered 50${k}` }, T0 + k * 10_000 + 5)]
            : []),
        ]);
    expect(nextStep(pendingAfter(tries(4, true)), policy)).toEqual({
      kind: 'dead-letter',
      at: T0 + 40_005,
      reason: 'answered 504',
    });
    expect(nextStep(pendingAfter(tries(4, false)), policy)).toEqual({
      kind: 'dead-letter',
      at: T0 + 40_000 + backoffDelayMs(4, policy, jitter(4)),
      reason: 'outcome of try 4 unknown',
    });
  });
});

describe('the steps due in a scheduling round', () => {
  const ledger = ledgerOf([
    ...['A', 'B', 'C', 'D'].flatMap((id) => [recorded(id), webhook('AlertDeliveryRequested', id)]),
    event('AlertDeliveryRequested', { alertId: 'D', channel: 'sms' }),
    webhook('AlertDeliveryAttempted', 'A', { attempt: 1 }),
    webhook('AlertDeliveryFailed', 'A', { attempt: 1, error: 'e' }, T0),
  ]);
  const retryA = T0 + backoffDelayMs(1, policy, jitterOf('webhook:A', 1));
  const ids = (r: ReturnType<typeof dueSteps>) =>
    r.due.map(
      (d) => `${d.delivery.channel}:${d.delivery.alertId}#${d.step.kind === 'attempt' ? d.step.attempt : 'dl'}`,
    );

  it('hands out the oldest due first, at most the free slots, skipping busy ones and channels without a notifier', () => {
    const round = dueSteps(ledger.pending.values(), T0, policy, {
      limit: 2,
      channels: new Set(['webhook']),
      busy: new Set(['webhook:B']),
    });
    expect(ids(round)).toEqual(['webhook:C#1', 'webhook:D#1']);
    expect(round.nextAt).toBe(retryA);
    const full = dueSteps(ledger.pending.values(), T0, policy, {
      limit: 1,
      channels: new Set(['webhook']),
      busy: new Set(),
    });
    expect(ids(full)).toEqual(['webhook:B#1']);
    expect(full.nextAt).toBe(T0);
  });

  it('includes a retry once its backoff has passed, and nothing when nothing is pending', () => {
    const later = dueSteps(ledger.pending.values(), retryA, policy, {
      limit: 10,
      channels: new Set(['webhook', 'sms']),
      busy: new Set(),
    });
    expect(ids(later)).toEqual(['webhook:B#1', 'webhook:C#1', 'webhook:D#1', 'sms:D#1', 'webhook:A#2']);
    expect(later.nextAt).toBeNull();
    expect(dueSteps([], T0, policy, { limit: 10, channels: new Set(['webhook']), busy: new Set() })).toEqual({
      due: [],
      nextAt: null,
    });
  });
});
