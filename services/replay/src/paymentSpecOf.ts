import type { EventStore } from '@bijstand/event-store';
import { paymentSpecification, paymentSpecOf, type Document } from '@bijstand/documents';
import type { Municipalities } from '@bijstand/platform';
import { letterInputs } from './residentLetterOf.js';

/**
 * `payment-spec H --payday D`: the payment specification of one payday (B1), from that payday's payment
 * decision as the store stands or stood at `asOf`, from the household's own municipality (its letters block).
 * No payment on that day by then is a MonthNotDecidedError; a municipality without letters a ConfigurationError.
 */
export async function paymentSpecificationOf(
  store: EventStore,
  householdId: string,
  municipalities: Municipalities,
  request: { payday: string; asOf?: string | undefined },
): Promise<Document> {
  const { loaded, sender, asOf } = await letterInputs(store, householdId, municipalities, request.asOf);
  const spec = paymentSpecOf(loaded.events, {
    householdId,
    payday: request.payday,
    asOf,
    municipalityCode: sender.municipalityCode,
  });
  return paymentSpecification(spec, sender);
}
