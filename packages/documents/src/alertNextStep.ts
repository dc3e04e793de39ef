import type { AlertKind } from '@bijstand/domain';
import { dutchDate, euro } from './format.js';

/**
 * What a consultant could do next about an alert, one small pure function per kind, so that the alert texts
 * (the reason, rendered from the kind) can sit next to them. Dutch, short, a suggestion: the consultant decides.
 */
export interface AlertFacts {
  kind: AlertKind;
  amount?: string | undefined;
  details: Readonly<Record<string, string>>;
}

export const belowMinimumStep = (a: AlertFacts): string =>
  `Het huishouden kwam${a.amount ? ` ${euro(a.amount)}` : ''} onder het minimum: overweeg bijzondere bijstand ` +
  'of een betalingsregeling, en neem contact op.';

export const disregardEndingStep = (a: AlertFacts): string => {
  const to = a.details.grantTo;
  return to
    ? `Besluit over verlenging van de vrijlating vóór ${dutchDate(to)}: dan loopt zij af.`
    : 'Besluit over verlenging van de vrijlating vóór het einde van deze maand: dan loopt zij af.';
};

export const bufferExhaustedStep = (): string =>
  'Het bufferbudget van dit jaar is op: een volgende verrekening kan het huishouden onder het minimum brengen; ' +
  'overweeg een betalingsregeling.';

export const largeClaimStep = (): string =>
  'Een grote vordering: controleer de inkomensgegevens en bespreek een betalingsregeling.';

export const incomeOutsideCaseStep = (): string =>
  'Inkomen buiten de bijstandsperiode: controleer begin- en einddatum van de bijstand.';

export const newIncomeRelationshipStep = (): string =>
  'Nieuwe werkgever of uitkering: controleer of een vrijlating of een wijziging van het voorschot nodig is.';

export const giftsAboveFreeAmountStep = (): string =>
  'Giften boven het vrije bedrag: bespreek de giften met het huishouden; het deel erboven telt als inkomen.';

export const paymentFailedStep = (): string =>
  'De betaling kwam niet aan: controleer het rekeningnummer met het huishouden en laat opnieuw betalen.';

const STEP: Record<AlertKind, (a: AlertFacts) => string> = {
  'below-minimum': belowMinimumStep,
  'disregard-ending': disregardEndingStep,
  'buffer-exhausted': bufferExhaustedStep,
  'large-claim': largeClaimStep,
  'income-outside-case': incomeOutsideCaseStep,
  'new-income-relationship': newIncomeRelationshipStep,
  'gifts-above-free-amount': giftsAboveFreeAmountStep,
  'payment-failed': paymentFailedStep,
};

export const nextStepOf = (a: AlertFacts): string => STEP[a.kind](a);
