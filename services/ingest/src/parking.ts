import type { Instant } from '@bijstand/domain';

/**
 * Parked messages wait in a stream (per BSN for statements, per household for case events) until
 * their case opens. A release marker records up to which revision they were handed on; what comes
 * after the last marker is still waiting.
 */
export const STATEMENT_PARKED = 'IncomeStatementParked';
export const CASE_EVENT_PARKED = 'CaseEventParked';
export const PARKED_RELEASED = 'ParkedReleased';

export interface ParkedRecord {
  type: string;
  streamRevision: number;
  recordedAt: Instant;
  data: unknown;
}

/** The parked messages after the last release marker, in the order they were parked. */
export function stillParked<R extends ParkedRecord>(records: readonly R[]): R[] {
  let releasedUpTo = -1;
  for (const r of records)
    if (r.type === PARKED_RELEASED)
      releasedUpTo = Math.max(releasedUpTo, (r.data as { upToRevision: number }).upToRevision);
  return records.filter((r) => r.type !== PARKED_RELEASED && r.streamRevision > releasedUpTo);
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
