import { writeFileSync } from 'node:fs';
import type { EventStore } from '@bijstand/event-store';
import {
  letterToHtml,
  monthDecisionOf,
  MonthNotDecidedError,
  residentLetter,
  type Document,
} from '@bijstand/documents';
import { formatOfPath, htmlToPdf, writeDocument, type DocumentFormat } from '@bijstand/documents/output';
import {
  ConfigurationError,
  letterSenderOf,
  maskBsnRuns,
  loadHousehold,
  type LetterSender,
  type LoadedHousehold,
  type Municipalities,
} from '@bijstand/platform';

/** No letter for this household: it has no case (as of the instant), or its municipality cannot be resolved. */
export class NoLetterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoLetterError';
  }
}

export { MonthNotDecidedError };

/** The household's events as of the instant (or as the store stands: the latest recorded), its sender and code. */
export async function letterInputs(
  store: EventStore,
  householdId: string,
  municipalities: Municipalities,
  asOf: string | undefined,
): Promise<{ loaded: LoadedHousehold; sender: LetterSender; asOf: string }> {
  const loaded = await loadHousehold(store, householdId, asOf);
  if (loaded.state.householdId === null)
    throw new NoLetterError(
      `household ${householdId} has no case in this store (${store.name})${asOf ? ' as of that instant' : ''}`,
    );
  let own;
  try {
    own = municipalities.resolve(loaded.state.municipality);
  } catch (err) {
    throw new NoLetterError(`household ${householdId}: ${(err as Error).message}`);
  }
  const sender = letterSenderOf(own);
  if ('missing' in sender)
    throw new ConfigurationError(
      `letters of ${own.name} need the municipality's details in MUNICIPALITY_CONFIG (Awb 3:45: where to object, ` +
        `who decided); missing: ${sender.missing.join(', ')} (see infra/config/example-municipality.json)`,
    );
  const latest = loaded.recorded.reduce((m, r) => (r.recordedAt > m ? r.recordedAt : m), '');
  return { loaded, sender: sender.sender, asOf: asOf ?? latest };
}

/**
 * `letter H --month M`: the decision about one month (B1), as it was decided by the store as it stands, or
 * stood at `asOf`, written by the household's own municipality with the details of its `letters` block.
 * A month not decided by then is a MonthNotDecidedError; a municipality without letters a ConfigurationError.
 */
export async function residentLetterOf(
  store: EventStore,
  householdId: string,
  municipalities: Municipalities,
  request: { month: string; asOf?: string | undefined },
): Promise<Document> {
  const { loaded, sender, asOf } = await letterInputs(store, householdId, municipalities, request.asOf);
  const decision = monthDecisionOf(loaded.events, {
    householdId,
    month: request.month,
    asOf,
    municipalityCode: sender.municipalityCode,
  });
  return residentLetter(decision, sender);
}

/**
 * Writes a letter in the format its file name asks for: Markdown as it is, HTML and PDF with the address block
 * at the window of the envelope (letterToHtml). Every text passes maskBsnRuns, as every document that leaves.
 */
export async function writeLetter(letter: Document, path: string): Promise<DocumentFormat> {
  const format = formatOfPath(path);
  if (format === 'md') return writeDocument(letter, path);
  const page = maskBsnRuns(letterToHtml(letter));
  if (format === 'html') writeFileSync(path, page);
  else await htmlToPdf(page, path, letter.reference ? { reference: maskBsnRuns(letter.reference) } : {});
  return format;
}
