import type { Instant } from '@bijstand/domain';

/**
 * Parked messages wait in a stream (per BSN for statements, per household for case events) until
 * their case opens. A release marker records up to which revision they were handed on; what comes
 * after the last marker is still waiting.
 */
export const STATEMENT_PARKED = 'IncomeStatementParked';
export const CASE_EVENT_PARKED = 'CaseEventParked';
export const PARKED_RELEASED = 'ParkedReleased';
/** The backoffice's actions on one parked message (parkedActions.ts): a dismissed one is never handed on. */
export const PARKED_RETRIED = 'ParkedRetried';
export const PARKED_DISMISSED = 'ParkedDismissed';
const PARKED_MESSAGES = new Set([STATEMENT_PARKED, CASE_EVENT_PARKED]);
export const isParkedMessage = (type: string): boolean => PARKED_MESSAGES.has(type);

export interface ParkedRecord {
  eventId: string;
  type: string;
  streamRevision: number;
  recordedAt: Instant;
  data: unknown;
}

/** The parked messages after the last release marker and not dismissed, in the order they were parked. */
export function stillParked<R extends ParkedRecord>(records: readonly R[]): R[] {
  let releasedUpTo = -1;
  const dismissed = new Set<string>();
  for (const r of records)
    if (r.type === PARKED_RELEASED)
      releasedUpTo = Math.max(releasedUpTo, (r.data as { upToRevision: number }).upToRevision);
    else if (r.type === PARKED_DISMISSED) dismissed.add((r.data as { parkedEventId: string }).parkedEventId);
  return records.filter(
    (r) => PARKED_MESSAGES.has(r.type) && r.streamRevision > releasedUpTo && !dismissed.has(r.eventId),
  );
}

/** Where a parked message stands: waiting, handed on by a release marker, or dismissed by the backoffice. */
export function parkedStatus(records: readonly ParkedRecord[], eventId: string): 'waiting' | 'released' | 'dismissed' {
  const record = records.find((r) => r.eventId === eventId && PARKED_MESSAGES.has(r.type));
  if (record && stillParked(records).includes(record)) return 'waiting';
  const dismissed = records.some(
    (r) => r.type === PARKED_DISMISSED && (r.data as { parkedEventId: string }).parkedEventId === eventId,
  );
  return dismissed ? 'dismissed' : 'released';
}

export const DEFAULT_PARKED_ALERT_DAYS = 14;

/** Whole days a message has waited at `now`. */
export function daysParked(parkedAt: Instant, now: Instant): number {
  return Math.floor((Date.parse(now) - Date.parse(parkedAt)) / 86_400_000);
}

/** Parked longer than `alertAfterDays`: the consultant should look (a case that never opens, a wrong BSN). */
export function isOverdue(
  parkedAt: Instant,
  now: Instant,
  alertAfterDays: number = DEFAULT_PARKED_ALERT_DAYS,
): boolean {
  return daysParked(parkedAt, now) > alertAfterDays;
}
