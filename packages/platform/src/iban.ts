/**
 * An IBAN as people may see it: its country and its last four characters, in groups of four
 * (`NL** **** **** **43 00`), like a BSN's last four digits: enough to recognise an account, not to pay into it.
 */
export function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  const masked = compact.slice(0, 2) + '*'.repeat(Math.max(0, compact.length - 6)) + compact.slice(-4);
  return masked.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Anything in free text shaped like an IBAN (ISO 13616: two capital letters, two check digits, 11 to 30 letters
 * or digits; written together or in groups of four), masked like maskIban. Check digits are not verified: a
 * mistyped IBAN is personal data too. Runs inside a longer word are left alone.
 */
const IBAN_LIKE =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![A-Za-z0-9])/g;

export function maskIbanRuns(text: string): string {
  return text.replace(IBAN_LIKE, (run) => maskIban(run));
}
