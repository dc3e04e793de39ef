import { fmt, money, sum } from '@bijstand/domain';
import { dutchMonth } from '@bijstand/documents';
import { endToEndId } from '@bijstand/sepa';
import type { BatchLine, HeldShare, PaymentBatchCreatedData } from './events.js';
import { accountOn, shareKey, type HouseholdPayments, type PaymentShare, type RecordedFailure } from './facts.js';

/** What a resident reads on the bank statement: `Bijstand mei 2027`. */
export const remittanceOf = (month: string) => `Bijstand ${dutchMonth(month)}`;

/** How far a share got: never sent, sent (and not refused), or refused by the bank (and when we learnt so). */
export type ShareProgress =
  | { state: 'unsent' }
  | { state: 'sent'; line: BatchLine; batchId: string }
  | { state: 'failed'; line: BatchLine; batchId: string; failure: RecordedFailure };

/** Every transfer made so far, by share, in batch order; and each transfer's refusal by the bank. */
export function progressOf(
  batches: readonly PaymentBatchCreatedData[],
  failures: readonly RecordedFailure[],
): Map<string, ShareProgress> {
  const failed = new Map(failures.map((f) => [`${f.batchId}|${f.endToEndId}`, f]));
  const progress = new Map<string, ShareProgress>();
  for (const b of batches)
    for (const line of b.lines) {
      const failure = failed.get(`${b.batchId}|${line.endToEndId}`);
      progress.set(
        shareKey(line),
        failure ? { state: 'failed', line, batchId: b.batchId, failure } : { state: 'sent', line, batchId: b.batchId },
      );
    }
  return progress;
}

export interface PlanInput {
  payday: string;
  /** The first month this system pays in the municipality (its first batch's); earlier ones were paid before. */
  firstMonth: string;
  households: readonly HouseholdPayments[];
  progress: ReadonlyMap<string, ShareProgress>;
}

/**
 * The transfers of a payday (pure): every share decided by then (its night on or before the payday, its month
 * not after the payday's) that no batch holds yet, and every share the bank refused whose member has recorded
 * an account since. A share without an account is held, not dropped. A share of 0.00 needs no transfer.
 */
export function planBatch(input: PlanInput): { lines: BatchLine[]; held: HeldShare[] } {
  const lines: BatchLine[] = [];
  const held: HeldShare[] = [];
  const paydayMonth = input.payday.slice(0, 7);
  for (const h of input.households)
    for (const share of h.shares) {
      if (share.runDate > input.payday || share.month > paydayMonth || share.month < input.firstMonth) continue;
      if (money(share.amount).isZero()) continue;
      const progress = input.progress.get(shareKey(share)) ?? { state: 'unsent' };
      if (progress.state === 'sent') continue;
      const member = h.members.find((m) => m.role === share.payee);
      const account = member ? accountOn(h.accounts, member.bsn, input.payday) : null;
      const hold = (reason: HeldShare['reason']) =>
        held.push({
          householdId: h.householdId,
          month: share.month,
          payee: share.payee,
          amount: share.amount,
          bufferDraw: share.bufferDraw,
          reason,
        });
      if (progress.state === 'failed' && !(account && account.position > progress.failure.position)) {
        hold('failed-account-not-corrected');
        continue;
      }
      if (!account) {
        hold('no-account');
        continue;
      }
      const attempt = progress.state === 'failed' ? progress.line.attempt + 1 : 1;
      lines.push(lineOf(share, attempt, account.holder, account.iban));
    }
  const order = (a: { householdId: string; month: string; payee: string }, b: typeof a) =>
    shareKey(a) < shareKey(b) ? -1 : shareKey(a) > shareKey(b) ? 1 : 0;
  return { lines: lines.sort(order), held: held.sort(order) };
}

function lineOf(share: PaymentShare, attempt: number, holder: string, iban: string): BatchLine {
  return {
    endToEndId: endToEndId(share.householdId, share.month, share.payee, attempt),
    householdId: share.householdId,
    month: share.month,
    payee: share.payee,
    attempt,
    amount: share.amount,
    bufferDraw: share.bufferDraw,
    creditorName: holder,
    creditorIban: iban,
    remittance: remittanceOf(share.month),
  };
}

export function totalsOf(lines: readonly BatchLine[]): PaymentBatchCreatedData['totals'] {
  return {
    transfers: lines.length,
    amount: fmt(sum(lines.map((l) => money(l.amount)))),
    bufferDraw: fmt(sum(lines.map((l) => money(l.bufferDraw)))),
  };
}
