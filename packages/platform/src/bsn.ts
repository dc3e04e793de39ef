import { maskIbanRuns } from './iban.js';

/** A BSN as people may see it: its last four digits only (`*****1234`), as the backoffice knows it. */
export function maskBsn(bsn: string): string {
  return `*****${bsn.slice(-4)}`;
}

/**
 * Anything in free text that could be a BSN, masked like maskBsn: a run of exactly nine decimal digits
 * (ASCII or any other script's, e.g. fullwidth) that is not part of a longer run, and the ways people
 * write one (`1234.56.789`, `123 456 789`, `123-456-789`). Applied to every text a person or a log
 * sees, since ids and reasons from other systems (a household id from the case system, a JSON key)
 * are not trusted to be free of BSNs. A longer digit run (a timestamp, an IBAN's account part) is left.
 */
const BSN_LIKE =
  /(?<!\p{Nd})(?:\p{Nd}{9}|\p{Nd}{4}[. -]\p{Nd}{2}[. -]\p{Nd}{3}|\p{Nd}{3}[. -]\p{Nd}{3}[. -]\p{Nd}{3})(?!\p{Nd})/gu;

/** IBANs are masked here too (maskIbanRuns, first: an account number may hold a 9-digit run), so that every
 * text that passes this one mask (output, logs, pages, rejection reasons) shows neither. */
export function maskBsnRuns(text: string): string {
  return maskIbanRuns(text).replace(BSN_LIKE, (run) => maskBsn(run.replace(/[. -]/g, '')));
}
