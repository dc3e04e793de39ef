import { describe, expect, it } from 'vitest';
import { alertPriority, sortAlerts, type SortableAlert } from '../src/alertPriority.js';

const alert = (alertId: string, kind: string, raisedOn: string, amount?: string): SortableAlert => ({
  alertId,
  kind,
  raisedOn,
  ...(amount ? { amount } : {}),
});

// As a consultant's inbox mixes them: "vrijlating loopt af" used to sit between the below-minimum alerts.
const alerts = [
  alert('H-a:disregard-ending:2027-07', 'disregard-ending', '2027-07-25'),
  alert('H-b:below-minimum:2027-07', 'below-minimum', '2027-07-25', '58.22'),
  alert('H-c:new-income-relationship:2027-03', 'new-income-relationship', '2027-03-25'),
  alert('H-d:large-claim:2027-05', 'large-claim', '2027-05-25', '2150.10'),
  alert('H-e:below-minimum:2027-06', 'below-minimum', '2027-06-25', '312.00'),
  alert('H-f:gifts-above-free-amount:2027-04', 'gifts-above-free-amount', '2027-08-25', '3000.00'),
  alert('H-g:large-claim:2027-06', 'large-claim', '2027-06-25', '9.99'),
];
const ids = (list: readonly SortableAlert[]) => list.map((a) => a.alertId.split(':')[0]);

describe('alert priority', () => {
  it('below the minimum first, by the amount short; then claims by amount; then the rest newest first', () => {
    expect(ids(sortAlerts(alerts))).toEqual(['H-e', 'H-b', 'H-d', 'H-g', 'H-f', 'H-a', 'H-c']);
    expect(alerts.map(alertPriority)).toEqual([3, 1, 3, 2, 1, 3, 2]);
  });

  it('by date: newest first, the id breaking ties; by amount: largest first, alerts without one last by priority', () => {
    expect(ids(sortAlerts(alerts, 'date'))).toEqual(['H-f', 'H-a', 'H-b', 'H-e', 'H-g', 'H-d', 'H-c']);
    expect(ids(sortAlerts(alerts, 'amount'))).toEqual(['H-f', 'H-d', 'H-e', 'H-b', 'H-g', 'H-a', 'H-c']);
  });

  it('the same alerts in any order come out the same, and the input is not changed', () => {
    const reversed = [...alerts].reverse();
    expect(sortAlerts(reversed)).toEqual(sortAlerts(alerts));
    expect(ids(reversed)[0]).toBe('H-g');
  });
});
