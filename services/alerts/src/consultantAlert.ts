import { legalRefText, type AlertRaised, type HouseholdEvent } from '@bijstand/domain';

// What a consultant reads of an alert, apart from recording and delivery: the delivery ledger and the
// notifiers need the shape, alerts.ts builds and records it; here neither imports the other for it.

/** Every kind of alert (the domain's AlertKind): the nightly run's, and the payments service's `payment-failed`. */
export const ALERT_KINDS = [
  'below-minimum',
  'buffer-exhausted',
  'large-claim',
  'income-outside-case',
  'new-income-relationship',
  'disregard-ending',
  'gifts-above-free-amount',
  'payment-failed',
] as const satisfies readonly AlertRaised['data']['kind'][];

/**
 * The consultant's view of an alert: what happened, in which household and month, how much, why,
 * what the buffer did, and the month's explanation. Never a BSN: households are named by their id.
 */
export interface ConsultantAlert {
  alertId: string;
  householdId: string;
  /** The household's municipality (CBS code on its CaseOpened); absent when it names none (the deployment's default). */
  municipality?: string;
  kind: AlertRaised['data']['kind'];
  month: string;
  amount?: string;
  reason: string;
  raisedOn: string;
  details: Record<string, string>;
  explanation: { month: string; assistance?: string; normExclHoliday?: string; income?: string; legalRefs: string[] };
}

/** Builds the consultant alert from the household's decision and the month's latest settlement. */
export function consultantAlert(
  householdId: string,
  alert: AlertRaised,
  history: readonly HouseholdEvent[],
): ConsultantAlert {
  const settled = [...history].reverse().find((e) => e.type === 'MonthSettled' && e.data.month === alert.data.month);
  const explanation: ConsultantAlert['explanation'] = { month: alert.data.month, legalRefs: [] };
  const municipality = municipalityOfHistory(history);
  if (settled && settled.type === 'MonthSettled') {
    explanation.assistance = settled.data.values.assistance;
    explanation.normExclHoliday = settled.data.values.normExclHoliday;
    explanation.income = settled.data.values.income;
    explanation.legalRefs = [...new Set(settled.data.explanation.steps.map((s) => legalRefText(s.legalRef)))];
  }
  return {
    alertId: alert.data.alertId,
    householdId,
    ...(municipality ? { municipality } : {}),
    kind: alert.data.kind,
    month: alert.data.month,
    ...(alert.data.amount !== undefined ? { amount: alert.data.amount } : {}),
    reason: alert.data.reason,
    raisedOn: alert.data.runDate,
    details: alert.data.details,
    explanation,
  };
}

/** The municipality a household's (last) CaseOpened names, or null. */
export function municipalityOfHistory(history: readonly HouseholdEvent[]): string | null {
  let municipality: string | null = null;
  for (const e of history) if (e.type === 'CaseOpened') municipality = e.data.municipality ?? null;
  return municipality;
}
