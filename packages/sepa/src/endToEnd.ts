import { createHash } from 'node:crypto';

export type PayeeRole = 'applicant' | 'partner';

/**
 * The end-to-end id of one payee share (AT-T014, Max35Text, SEPA characters): derived from the decision, so
 * the same share always gets the same id and the bank's outcome finds its way back. A household id may be 64
 * characters, so it enters as a hash; the batch event keeps the mapping. `attempt` counts the transfers of the
 * same share (a second one only after the bank returned the first).
 * E.g. `B-202705-A1-3f9a1c0e7b2d4a61` (29 characters).
 */
export function endToEndId(householdId: string, month: string, payee: PayeeRole, attempt: number): string {
  const household = createHash('sha256').update(householdId, 'utf8').digest('hex').slice(0, 16);
  return `B-${month.replace('-', '')}-${payee === 'applicant' ? 'A' : 'P'}${attempt}-${household}`;
}
