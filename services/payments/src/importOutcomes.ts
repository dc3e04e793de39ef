import { createHash } from 'node:crypto';
import { deliveryRequests, ALERT_EVENTS, type ConsultantAlert } from '@bijstand/alerts';
import { euro } from '@bijstand/documents';
import type { EventStore, NewEvent } from '@bijstand/event-store';
import { ALERTS_STREAM, PAYMENT_OUTCOMES_STREAM } from '@bijstand/platform';
import { parseBankFile, reasonText, type BankOutcome } from '@bijstand/sepa';
import { readBatches } from './batches.js';
import { BANK_FILE_IMPORTED, PAYMENT_FAILED, type BatchLine, type PaymentFailedData } from './events.js';
import { readPaymentFacts } from './facts.js';
import { remittanceOf } from './plan.js';

export class BankFileError extends Error {}

export interface ImportResult {
  format: 'pain.002' | 'camt.054';
  bankMessageId: string;
  /** Newly marked failed (a second import of the same file marks none). */
  failed: PaymentFailedData[];
  /** Outcomes for transfers already marked failed. */
  alreadyKnown: number;
  /** End-to-end ids no batch of this store holds (another system's, or a typing error at the bank): reported. */
  unknown: BankOutcome[];
}

const PAYEE_NL = { applicant: 'aanvrager', partner: 'partner' } as const;

/**
 * A bank's outcomes (pain.002 rejections, camt.054 returns): each refused transfer of one of our batches is
 * marked `PaymentFailed` with the bank's reason, and the consultant is alerted (the alerts stream, as every
 * alert: `alerts list`, delivery, acknowledgement). Event ids are the end-to-end ids, so importing a file
 * again, or a return after a rejection of the same transfer, changes nothing.
 */
export async function importBankFile(
  store: EventStore,
  xml: string,
  now: string,
  /** The delivery channels of a household's alert (its municipality's, as the worker routes them); default the log. */
  channelsFor: (municipality: string | null) => readonly string[] = () => ['log'],
): Promise<ImportResult> {
  const parsed = parseBankFile(xml);
  if (!parsed.ok) throw new BankFileError(parsed.reason);
  const file = parsed.value;
  const lines = new Map<string, { line: BatchLine; batchId: string; municipality: string | null }>();
  for (const stream of await store.listStreams('payment-batches-')) {
    const code = stream.slice('payment-batches-'.length);
    for (const b of (await readBatches(store, code === 'default' ? null : code)).batches)
      for (const line of b.lines)
        lines.set(line.endToEndId, { line, batchId: b.batchId, municipality: b.municipality });
  }
  const known = new Set(
    (await store.readStream(PAYMENT_OUTCOMES_STREAM)).filter((e) => e.type === PAYMENT_FAILED).map((e) => e.eventId),
  );
  const facts = await readPaymentFacts(store);
  const result: ImportResult = {
    format: file.format,
    bankMessageId: file.messageId,
    failed: [],
    alreadyKnown: 0,
    unknown: [],
  };
  const outcomeEvents: NewEvent[] = [];
  const alertEvents: NewEvent[] = [];
  for (const outcome of file.outcomes) {
    const found = lines.get(outcome.endToEndId);
    if (!found) {
      result.unknown.push(outcome);
      continue;
    }
    const eventId = `failed:${outcome.endToEndId}`;
    if (known.has(eventId)) {
      result.alreadyKnown++;
      continue;
    }
    known.add(eventId);
    const { line, batchId } = found;
    const failed: PaymentFailedData = {
      endToEndId: line.endToEndId,
      batchId,
      householdId: line.householdId,
      month: line.month,
      payee: line.payee,
      amount: line.amount,
      kind: outcome.kind,
      reasonCode: outcome.reasonCode,
      reasonText: reasonText(outcome.reasonCode),
      bankMessageId: file.messageId,
      ...(outcome.amount ? { returnedAmount: outcome.amount } : {}),
    };
    result.failed.push(failed);
    outcomeEvents.push({ eventId, type: PAYMENT_FAILED, schemaVersion: 1, recordedAt: now, data: failed });
    const municipality = facts.households.get(line.householdId)?.municipality ?? null;
    alertEvents.push(...paymentFailedAlert(failed, municipality, now, channelsFor(municipality)));
  }
  outcomeEvents.push({
    eventId: `bank-file:${createHash('sha256').update(xml, 'utf8').digest('hex').slice(0, 32)}`,
    type: BANK_FILE_IMPORTED,
    schemaVersion: 1,
    recordedAt: now,
    data: { format: file.format, bankMessageId: file.messageId, outcomes: file.outcomes.length },
  });
  // The failures first: an alert never points at a failure that is not recorded.
  await store.append(PAYMENT_OUTCOMES_STREAM, outcomeEvents);
  if (alertEvents.length > 0) await store.append(ALERTS_STREAM, alertEvents);
  return result;
}

/** The consultant's alert: what the bank said, in Dutch, and what to do (record the right account). */
function paymentFailedAlert(
  failed: PaymentFailedData,
  municipality: string | null,
  now: string,
  channels: readonly string[],
): NewEvent[] {
  const alertId = `payment-failed:${failed.endToEndId}`;
  const what = failed.kind === 'rejected' ? 'geweigerd' : 'teruggestort';
  const alert: ConsultantAlert = {
    alertId,
    householdId: failed.householdId,
    ...(municipality ? { municipality } : {}),
    kind: 'payment-failed',
    month: failed.month,
    amount: failed.amount,
    reason:
      `De bank heeft de betaling van ${euro(failed.amount)} ` +
      `(${remittanceOf(failed.month)}, ${PAYEE_NL[failed.payee]}) ` +
      `${what}: ${failed.reasonCode} ${failed.reasonText}. Leg het juiste rekeningnummer vast; ` +
      'het bedrag gaat dan mee met de volgende betaaldag.',
    raisedOn: now.slice(0, 10),
    details: {
      endToEndId: failed.endToEndId,
      batchId: failed.batchId,
      payee: failed.payee,
      reasonCode: failed.reasonCode,
      reasonText: failed.reasonText,
    },
    explanation: { month: failed.month, legalRefs: ['Participatiewet art. 45'] },
  };
  return [
    { eventId: `alert:${alertId}`, type: ALERT_EVENTS.recorded, schemaVersion: 1, recordedAt: now, data: alert },
    ...deliveryRequests(alertId, channels, now),
  ];
}
