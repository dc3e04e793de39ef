import type { EventStore } from '@bijstand/event-store';
import { paymentBatchesStream } from '@bijstand/platform';
import { creditTransferXml } from '@bijstand/sepa';
import { PAYMENT_BATCH_CREATED, type PaymentBatchCreatedData } from './events.js';

export interface BatchStream {
  batches: PaymentBatchCreatedData[];
  /** The revision of the stream's last event (-1: none yet): the expected revision of the next batch. */
  revision: number;
}

export async function readBatches(store: EventStore, municipality: string | null): Promise<BatchStream> {
  const recorded = await store.readStream(paymentBatchesStream(municipality));
  return {
    batches: recorded.filter((e) => e.type === PAYMENT_BATCH_CREATED).map((e) => e.data as PaymentBatchCreatedData),
    revision: recorded.length > 0 ? recorded[recorded.length - 1]!.streamRevision : -1,
  };
}

/** The batch id is the file's MsgId: one batch per municipality and payday (≤ 35 SEPA characters). */
export const batchIdOf = (municipality: string | null, payday: string) =>
  municipality ? `BIJ-${municipality}-${payday}` : `BIJ-${payday}`;

/** The payment file of a recorded batch: made from the event alone, so every export of it is the same bytes. */
export function batchXml(batch: PaymentBatchCreatedData): string {
  return creditTransferXml({
    version: batch.painVersion,
    messageId: batch.batchId,
    createdAt: batch.createdAt,
    executionDate: batch.payday,
    debtor: batch.debtor,
    lines: batch.lines,
  });
}
