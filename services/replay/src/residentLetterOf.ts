import type { EventStore } from '@bijstand/event-store';
import { letterContact, municipalityName, residentLetter, type Document } from '@bijstand/documents';
import { loadHousehold, type Municipalities } from '@bijstand/platform';
import { loadCaseFile } from './caseFile.js';

/** No letter for this household: it has no case (as of the instant), or its municipality cannot be resolved. */
export class NoLetterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoLetterError';
  }
}

/**
 * `letter H --month M`: the resident's letter (B1) about one month as the store stands, or stood at
 * `asOf`, written by the household's own municipality (a shared service writes for several) with the
 * contact details of `env` (MUNICIPALITY_PHONE, MUNICIPALITY_OBJECTION_ADDRESS).
 */
export async function residentLetterOf(
  store: EventStore,
  householdId: string,
  municipalities: Municipalities,
  request: { month: string; asOf?: string; issuedOn: string },
  env: Readonly<Record<string, string | undefined>>,
): Promise<Document> {
  const { month, asOf, issuedOn } = request;
  const file = await loadCaseFile(store, householdId, asOf);
  if (!file)
    throw new NoLetterError(
      `household ${householdId} has no case in this store (${store.name})${asOf ? ' as of that instant' : ''}`,
    );
  let own;
  try {
    own = municipalities.resolve((await loadHousehold(store, householdId, asOf)).state.municipality);
  } catch (err) {
    throw new NoLetterError(`household ${householdId}: ${(err as Error).message}`);
  }
  const { contact } = letterContact(municipalityName(municipalities.configured, own.name), env);
  return residentLetter(file, { ...contact, month, issuedOn });
}
