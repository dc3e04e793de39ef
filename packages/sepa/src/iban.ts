import { composeIBAN, electronicFormatIBAN, isSEPACountry, validateIBAN, ValidationErrorsIBAN } from 'ibantools';

export type IbanCheck = { ok: true; iban: string } | { ok: false; reason: string };

/**
 * An account number as a SEPA transfer can use it: ISO 13616 structure and check digits of its country
 * (ibantools), and a country in the SEPA scheme. Spaces are allowed in the input, the result has none.
 * The reason never repeats the IBAN: it is personal data.
 */
export function checkIban(input: string): IbanCheck {
  const iban = electronicFormatIBAN(input) ?? '';
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban))
    return { ok: false, reason: 'is not an IBAN (two letters, two check digits, then 11 to 30 letters or digits)' };
  const result = validateIBAN(iban);
  if (!result.valid) {
    const errors = result.errorCodes;
    if (errors.includes(ValidationErrorsIBAN.NoIBANCountry))
      return { ok: false, reason: `country ${iban.slice(0, 2)} does not issue IBANs` };
    if (errors.includes(ValidationErrorsIBAN.WrongBBANLength))
      return { ok: false, reason: `has the wrong length for country ${iban.slice(0, 2)}` };
    if (errors.includes(ValidationErrorsIBAN.WrongBBANFormat))
      return { ok: false, reason: `does not have the account format of country ${iban.slice(0, 2)}` };
    return { ok: false, reason: 'check digits are wrong (ISO 13616 mod 97)' };
  }
  if (!isSEPACountry(iban.slice(0, 2)))
    return {
      ok: false,
      reason: `country ${iban.slice(0, 2)} is not in the SEPA scheme (a SEPA transfer cannot reach it)`,
    };
  return { ok: true, iban };
}

/** An IBAN made from a country and an account (BBAN) with its check digits: for synthetic data and tests. */
export function composeIban(countryCode: string, bban: string): string {
  const iban = composeIBAN({ countryCode, bban });
  if (!iban || !checkIban(iban).ok) throw new Error(`${countryCode} ${bban}: not an account of that country`);
  return iban;
}
