import { money } from '@bijstand/domain';

/** What an alert's order reads: kind, amount, the run that raised it, its id (the last tie-break). */
export interface SortableAlert {
  alertId: string;
  kind: string;
  amount?: string | undefined;
  raisedOn: string;
}

export type AlertPriority = 1 | 2 | 3;
export type AlertSort = 'priority' | 'date' | 'amount';
export const ALERT_SORTS: readonly AlertSort[] = ['priority', 'date', 'amount'];

/** 1: below the minimum (a household short of money now); 2: a large claim; 3: the rest. */
export function alertPriority(alert: Pick<SortableAlert, 'kind'>): AlertPriority {
  if (alert.kind === 'below-minimum') return 1;
  if (alert.kind === 'large-claim') return 2;
  return 3;
}

const amountOf = (a: SortableAlert) => money(a.amount ?? '0');
const byAmount = (a: SortableAlert, b: SortableAlert) => amountOf(b).comparedTo(amountOf(a));
const byDate = (a: SortableAlert, b: SortableAlert) => (a.raisedOn < b.raisedOn ? 1 : a.raisedOn > b.raisedOn ? -1 : 0);
const byId = (a: SortableAlert, b: SortableAlert) => (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0);

/** Priority first; below the minimum and claims by amount (largest first), the rest newest first. */
export function compareAlertPriority(a: SortableAlert, b: SortableAlert): number {
  const pa = alertPriority(a);
  const pb = alertPriority(b);
  if (pa !== pb) return pa - pb;
  return (pa < 3 ? byAmount(a, b) : 0) || byDate(a, b) || byId(a, b);
}

const COMPARE: Record<AlertSort, (a: SortableAlert, b: SortableAlert) => number> = {
  priority: compareAlertPriority,
  date: (a, b) => byDate(a, b) || byId(a, b),
  amount: (a, b) => byAmount(a, b) || compareAlertPriority(a, b),
};

/** A sorted copy: the same alerts always come out in the same order. */
export function sortAlerts<A extends SortableAlert>(alerts: readonly A[], sort: AlertSort = 'priority'): A[] {
  return [...alerts].sort(COMPARE[sort]);
}
