/**
 * The ISO 20022 external status reason codes a bank gives for a rejected or returned SEPA transfer (EPC SCT
 * rulebook, reasons for an R-transaction), in the Dutch a consultant reads. An unknown code keeps its code.
 */
const DUTCH: Readonly<Record<string, string>> = Object.freeze({
  AC01: 'rekeningnummer onjuist',
  AC04: 'rekening opgeheven',
  AC06: 'rekening geblokkeerd',
  AC13: 'rekeningsoort ongeldig',
  AG01: 'transactie niet toegestaan op deze rekening',
  AG02: 'ongeldige bankcode',
  AM04: 'onvoldoende saldo',
  AM05: 'dubbele betaling',
  BE04: 'adres van de begunstigde ontbreekt of is onjuist',
  CNOR: 'bank van de begunstigde niet bereikbaar',
  DNOR: 'bank van de betaler niet bereikbaar',
  FF01: 'bestandsformaat ongeldig',
  FOCR: 'teruggestort op verzoek van de betaler',
  MD07: 'rekeninghouder overleden',
  MS02: 'geweigerd door de rekeninghouder, zonder reden',
  MS03: 'geweigerd door de bank, zonder reden',
  RC01: 'BIC onjuist',
  RR01: 'rekening of identificatie van de betaler ontbreekt',
  RR04: 'wettelijke reden (regelgeving)',
  TM01: 'te laat aangeleverd (na de sluitingstijd)',
});

export const reasonText = (code: string): string => DUTCH[code] ?? `reden ${code} (geen omschrijving bekend)`;

export const KNOWN_REASON_CODES: readonly string[] = Object.keys(DUTCH);
