/**
 * The SEPA character set (EPC SCT implementation guidelines, "Character set"): the Latin characters every
 * bank in the scheme must accept. A name or text outside it may be refused or garbled by the creditor's bank,
 * so what goes into a file is held to it.
 */
const SEPA_TEXT = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

export const isSepaText = (text: string): boolean => SEPA_TEXT.test(text);

/** Names are at most 70 characters in the EPC guidelines (AT-E001, AT-P001), although the XSD allows 140. */
export const MAX_NAME_LENGTH = 70;

/** Ids (MsgId, PmtInfId, EndToEndId): Max35Text; the EPC guidelines forbid a leading or trailing `/` and `//`. */
export function isSepaId(id: string): boolean {
  return (
    id.length >= 1 &&
    id.length <= 35 &&
    isSepaText(id) &&
    !id.startsWith('/') &&
    !id.endsWith('/') &&
    !id.includes('//') &&
    !id.includes(' ')
  );
}
