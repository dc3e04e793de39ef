import type { PainVersion, PayeeRole } from '@bijstand/sepa';

export const PAYMENT_BATCH_CREATED = 'PaymentBatchCreated';
export const PAYMENT_FAILED = 'PaymentFailed';
export const BANK_FILE_IMPORTED = 'BankFileImported';

/** One transfer of a batch: a payee share of a decision, under its end-to-end id. */
export interface BatchLine {
  endToEndId: string;
  householdId: string;
  month: string;
  payee: PayeeRole;
  /** 1 for the first transfer of the share; 2, 3 … after the bank returned the one before. */
  attempt: number;
  amount: string;
  bufferDraw: string;
  creditorName: string;
  creditorIban: string;
  remittance: string;
}

/** A share that was due but could not be paid: it joins a later batch once its account is known (or corrected). */
export interface HeldShare {
  householdId: string;
  month: string;
  payee: PayeeRole;
  amount: string;
  bufferDraw: string;
  reason: 'no-account' | 'failed-account-not-corrected';
}

/**
 * Recorded before the file is handed out (the batch stream's expected revision makes it the only batch of its
 * payday): the file is regenerated from this event, byte for byte (its creation instant included).
 */
export interface PaymentBatchCreatedData {
  batchId: string;
  municipality: string | null;
  municipalityName: string;
  payday: string;
  painVersion: PainVersion;
  debtor: { name: string; iban: string; bic: string };
  createdAt: string;
  lines: BatchLine[];
  held: HeldShare[];
  totals: { transfers: number; amount: string; bufferDraw: string };
  fileSha256: string;
}

export interface PaymentFailedData {
  endToEndId: string;
  batchId: string;
  householdId: string;
  month: string;
  payee: PayeeRole;
  amount: string;
  kind: 'rejected' | 'returned';
  reasonCode: string;
  reasonText: string;
  /** The bank file's message id. */
  bankMessageId: string;
  /** The amount the bank returned (camt.054), when it says. */
  returnedAmount?: string;
}
