import { monthOf, type IsoDate } from '../dates.js';
import type { Policy } from '../schemas.js';
import { paydayOf } from '../rules/payment.js';

/**
 * Whether a night can decide anything the night before did not, given no new input and the same rules
 * in between: the run date enters the decisions only through its month (which months are eligible,
 * which month is paid) and whether that month's payday has come. So a later night in the same month
 * that does not cross the payday decides nothing (the decider is idempotent on its own outcome).
 * Used to skip nights in replay; the differential test replays with and without skipping.
 */
export function dateCanChangeDecisions(previousRunDate: IsoDate, runDate: IsoDate, policy: Policy): boolean {
  const month = monthOf(runDate);
  if (monthOf(previousRunDate) !== month) return true;
  const payday = paydayOf(month, policy);
  return previousRunDate < payday && payday <= runDate;
}
