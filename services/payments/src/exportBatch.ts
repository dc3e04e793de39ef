import { createHash } from 'node:crypto';
import { WrongExpectedRevisionError, type EventStore } from '@bijstand/event-store';
import { paymentBatchesStream, type MunicipalitySettings } from '@bijstand/platform';
import { batchIdOf, batchXml, readBatches } from './batches.js';
import { PAYMENT_BATCH_CREATED, type HeldShare, type PaymentBatchCreatedData } from './events.js';
import { readPaymentFacts } from './facts.js';
import { planBatch, progressOf, totalsOf } from './plan.js';

export class PaymentsConfigurationError extends Error {}

export interface ExportOptions {
  payday: string;
  /** The municipality whose batch this is (its code; null in a single-municipality deployment). */
  municipality: MunicipalitySettings;
  /** Whether a household belongs to it (Municipalities.belongsTo; every household in a single deployment). */
  belongsTo: (municipality: string | null) => boolean;
  /** The creation instant of a new batch (UTC, seconds). */
  now: string;
  /**
   * A test hook: called just before the batch is appended and just after, so a test can kill the process
   * there (exactly once across a crash).
   */
  pause?: (at: 'before-append' | 'after-append') => Promise<void>;
}

export type ExportResult =
  | { status: 'created' | 'existing'; batch: PaymentBatchCreatedData; xml: string }
  | { status: 'nothing-to-pay'; held: HeldShare[] };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const MAX_RACES = 5;

/**
 * The payday's batch of one municipality, exactly once. The batch already recorded for the payday is returned as
 * it was (its file regenerated from the event, checked against its hash). Otherwise the payments due are planned
 * and the batch appended with the batch stream's expected revision: two exports at once cannot both append, the
 * loser reads the winner's batch. No file exists before its event does; a crash before the append leaves nothing.
 */
export async function exportBatch(store: EventStore, options: ExportOptions): Promise<ExportResult> {
  const { payday, municipality } = options;
  const code = municipality.code;
  for (let race = 0; ; race++) {
    const { batches, revision } = await readBatches(store, code);
    const existing = batches.find((b) => b.payday === payday);
    if (existing) return { status: 'existing', batch: existing, xml: verified(existing) };
    const payments = municipality.payments;
    if (!payments)
      throw new PaymentsConfigurationError(
        `${code ?? municipality.name}: no payments account in MUNICIPALITY_CONFIG ` +
          '(payments.debtorName, debtorIban, debtorBic)',
      );
    const later = batches.find((b) => b.payday > payday);
    if (later)
      throw new PaymentsConfigurationError(
        `payday ${payday}: a batch of a later payday (${later.payday}) exists; paydays are exported in order`,
      );
    const facts = await readPaymentFacts(store);
    const households = [...facts.households.values()].filter((h) => options.belongsTo(h.municipality));
    const firstMonth = (batches[0]?.payday ?? payday).slice(0, 7);
    const { lines, held } = planBatch({
      payday,
      firstMonth,
      households,
      progress: progressOf(batches, facts.failures),
    });
    if (lines.length === 0) return { status: 'nothing-to-pay', held };
    const draft: PaymentBatchCreatedData = {
      batchId: batchIdOf(code, payday),
      municipality: code,
      municipalityName: municipality.name,
      payday,
      painVersion: payments.painVersion,
      debtor: { name: payments.debtorName, iban: payments.debtorIban, bic: payments.debtorBic },
      createdAt: options.now,
      lines,
      held,
      totals: totalsOf(lines),
      fileSha256: '',
    };
    const xml = batchXml(draft);
    const batch = { ...draft, fileSha256: sha256(xml) };
    await options.pause?.('before-append');
    try {
      const { appended } = await store.append(
        paymentBatchesStream(code),
        [
          {
            eventId: batch.batchId,
            type: PAYMENT_BATCH_CREATED,
            schemaVersion: 1,
            recordedAt: options.now,
            data: batch,
          },
        ],
        { expectedRevision: revision < 0 ? 'no-stream' : revision },
      );
      // The batch id was appended meanwhile by another export (a duplicate event id is skipped): its batch is the one.
      if (appended === 0) continue;
    } catch (err) {
      // Another export appended first: read again; its batch of this payday is the one.
      if (err instanceof WrongExpectedRevisionError && race < MAX_RACES) continue;
      throw err;
    }
    await options.pause?.('after-append');
    return { status: 'created', batch, xml };
  }
}

/** A recorded batch's file, regenerated; a different hash means the generator changed: refused, never sent. */
function verified(batch: PaymentBatchCreatedData): string {
  const xml = batchXml(batch);
  if (sha256(xml) !== batch.fileSha256)
    throw new Error(
      `batch ${batch.batchId}: the regenerated file does not match the recorded hash ` +
        `${batch.fileSha256.slice(0, 12)}…; not handed out`,
    );
  return xml;
}
