import { money, type AlertKind } from '@bijstand/domain';
import { dutchDate, dutchMonth, euro } from './dutch.js';

// An alert's reason and next step in Dutch, rendered from its kind and data: the stored event keeps
// its kind and English detail, so a better wording here never rewrites history.

/** An alert the nightly run raised (AlertRaised, ConsultantAlert, an `alerts list` row). */
export interface HouseholdAlertText {
  kind: AlertKind;
  month: string;
  amount?: string;
  details: Readonly<Record<string, string>>;
}

/** The kinds ingest raises (services/ingest IngestAlertKind; a test there checks both lists agree). */
export type IngestAlertTextKind =
  'identity-conflict' | 'correction-without-initial' | 'withdrawal-without-initial' | 'parked-too-long';

/** An alert ingest raised (IngestAlertRaised): the member is already masked (*****1234). */
export interface IngestAlertText {
  kind: IngestAlertTextKind;
  householdId: string | null;
  member: string | null;
  reference: string;
}

export type AlertText = HouseholdAlertText | IngestAlertText;

interface KindText<A> {
  reason: (a: A) => string;
  nextStep: (a: A) => string;
}

const eur = (amount: string | undefined) => euro(amount ?? '0.00');
const year = (month: string) => month.slice(0, 4);
const nonZero = (amount: string | undefined) => amount !== undefined && !money(amount).isZero();

/** Why the payment fell short: the claim offset and what the bufferbudget did (SPEC §6), else income + payment. */
function belowMinimumCause(a: HouseholdAlertText): string {
  const d = a.details;
  const offset = nonZero(d.offset) ? `een vordering van ${eur(d.offset)} is verrekend` : null;
  if (offset) {
    switch (d.bufferDecision) {
      case 'drawn':
        return money(d.bufferRemaining ?? '0').isZero()
          ? `${offset} en het bufferbudget van ${year(a.month)} is op (${eur(d.bufferDraw)} ingezet)`
          : `${offset}; het bufferbudget (${eur(d.bufferDraw)} ingezet) dekte dat niet helemaal`;
      case 'budget-exhausted':
        return `${offset} en het bufferbudget van ${year(a.month)} was al op`;
      case 'not-eligible':
        return `${offset}; het huishouden heeft geen recht op het bufferbudget (geen inkomen uit arbeid)`;
      case 'buffer-not-in-force':
        return `${offset}; het bufferbudget gold toen nog niet`;
    }
    return offset;
  }
  const total = money(d.projectedNet ?? '0').plus(money(d.amountPaid ?? '0'));
  return `inkomen en betaling samen ${euro(total.toFixed(2))}, de norm is ${eur(d.normExclHoliday)}`;
}

/** An employer's name, never a payroll tax number (it can hold a sole trader's BSN). */
const employerName = (employer: string | undefined) =>
  employer && /[a-z]/i.test(employer) && !/\d{8,}/.test(employer) ? ` bij ${employer}` : '';

/** The last day of a disregard grant; without one, its month (the alert's). */
const grantEnd = (a: HouseholdAlertText) =>
  a.details.grantTo ? dutchDate(a.details.grantTo) : `eind ${dutchMonth(a.month)}`;

export const HOUSEHOLD_ALERT_TEXT: { [K in AlertKind]: KindText<HouseholdAlertText> } = {
  'below-minimum': {
    reason: (a) =>
      `Onder het bestaansminimum: ${eur(a.amount)} te weinig in ${dutchMonth(a.month)}; ${belowMinimumCause(a)}`,
    nextStep: () => 'Overweeg bijzondere bijstand of een betalingsregeling voor de vordering.',
  },
  'buffer-exhausted': {
    reason: (a) =>
      `Bufferbudget op: het bufferbudget van ${year(a.month)} (${eur(a.details.budget)}) is in ` +
      `${dutchMonth(a.month)} helemaal ingezet`,
    nextStep: (a) =>
      `Vorderingen worden de rest van ${year(a.month)} zonder bufferbudget verrekend: ` +
      'bespreek een betalingsregeling als het huishouden onder het minimum dreigt te komen.',
  },
  'large-claim': {
    reason: (a) =>
      `Grote vordering: de herberekening van ${dutchMonth(a.month)} geeft een vordering van ${eur(a.amount)}, ` +
      `meer dan de maandnorm van ${eur(a.details.normExclHoliday)}`,
    nextStep: () => 'Controleer de opgave die de herberekening veroorzaakte en overweeg een betalingsregeling.',
  },
  'income-outside-case': {
    reason: (a) =>
      `Inkomen buiten de bijstandsperiode: ${eur(a.details.excludedOutsideCase)} uit loonopgave ` +
      `${a.details.messageId ?? '?'} (${dutchMonth(a.month)}) is niet verrekend; mogelijk vermogen (art. 34 Pw)`,
    nextStep: () => 'Beoordeel of het bedrag tot het vermogen hoort (art. 34 Pw).',
  },
  'new-income-relationship': {
    reason: (a) =>
      `Nieuwe inkomstenverhouding${employerName(a.details.employer)}: eerste loonopgave in ${dutchMonth(a.month)}`,
    nextStep: () => 'Overweeg een inkomstenvrijlating (art. 34a Pw).',
  },
  'disregard-ending': {
    reason: (a) => {
      const from = a.details.grantFrom ? `van ${dutchDate(a.details.grantFrom)} ` : '';
      return `Vrijlating loopt af: de inkomstenvrijlating voor werk ${from}loopt tot ${grantEnd(a)}`;
    },
    nextStep: (a) => `Besluit vóór ${grantEnd(a)} over verlenging van de vrijlating (art. 34a lid 2 Pw).`,
  },
  'gifts-above-free-amount': {
    reason: (a) =>
      `Giften boven het vrije bedrag: in ${year(a.month)} ${eur(a.details.runningTotal)} ontvangen, ` +
      `${eur(a.amount)} boven het vrije bedrag van ${eur(a.details.freePerYear)}; dat deel telt als inkomen ` +
      '(art. 31 lid 2 onder m Pw)',
    nextStep: (a) =>
      `Controleer opgave ${a.details.declarationId ?? '?'} en of het deel boven het vrije bedrag is verrekend.`,
  },
  'payment-failed': {
    reason: (a) =>
      `Betaling mislukt: de bank heeft ${eur(a.amount)} over ${dutchMonth(a.month)} niet uitbetaald` +
      (a.details.reasonCode
        ? ` (${a.details.reasonCode}${a.details.reasonText ? ` ${a.details.reasonText}` : ''})`
        : ''),
    nextStep: () => 'Leg het juiste rekeningnummer vast; het bedrag gaat dan mee met de volgende betaaldag.',
  },
};

const CASE_EVENT_NL: Record<string, string> = {
  CaseOpened: 'de opening van de zaak',
  HouseholdChanged: 'een wijziging van het huishouden',
  CaseClosed: 'de beëindiging van de zaak',
  EarningsDisregardGranted: 'een inkomstenvrijlating',
  OtherIncomeDeclared: 'een opgave van ander inkomen',
  MeasureImposed: 'een maatregel',
  MeasureEnded: 'het einde van een maatregel',
};

const member = (a: IngestAlertText) => (a.member ? `lid ${a.member}` : 'een lid');
const household = (a: IngestAlertText) => a.householdId ?? 'onbekend huishouden';

export const INGEST_ALERT_TEXT: { [K in IngestAlertTextKind]: KindText<IngestAlertText> } = {
  'identity-conflict': {
    reason: (a) =>
      `Identiteitsconflict: ${member(a)} van de nieuwe zaak van ${household(a)} staat al in een andere zaak ` +
      'in dezelfde periode; de opening is geweigerd',
    nextStep: () =>
      'Controleer of het om dezelfde persoon gaat en of de andere zaak beëindigd moet worden; ' +
      'bied de opening daarna opnieuw aan.',
  },
  'correction-without-initial': {
    reason: (a) =>
      `Correctie zonder eerste opgave: loonopgave ${a.reference} van ${member(a)} (${household(a)}) corrigeert ` +
      'een periode zonder eerste opgave; vastgelegd als eerste bekende versie',
    nextStep: () => 'Vraag de werkgever of de eerste opgave ontbreekt en controleer het bedrag.',
  },
  'withdrawal-without-initial': {
    reason: (a) =>
      `Intrekking zonder opgave: bericht ${a.reference} van ${member(a)} (${household(a)}) trekt een opgave in ` +
      'die niet bekend is; vastgelegd, voor die periode geldt niets',
    nextStep: () => 'Vraag de werkgever welke opgave bedoeld is.',
  },
  'parked-too-long': {
    reason: (a) =>
      CASE_EVENT_NL[a.reference]
        ? `Te lang geparkeerd: ${CASE_EVENT_NL[a.reference]} van ${household(a)} wacht op de opening van de zaak`
        : `Te lang geparkeerd: loonopgave ${a.reference} van ${member(a)} wacht op een zaak`,
    nextStep: (a) =>
      CASE_EVENT_NL[a.reference]
        ? `Controleer waarom de opening van de zaak van ${household(a)} ontbreekt of is geweigerd.`
        : 'Controleer of voor dit lid een zaak geopend moet worden of de opgave bij een ander huishouden hoort.',
  },
};

const isIngest = (a: AlertText): a is IngestAlertText => a.kind in INGEST_ALERT_TEXT;

/** The alert's reason in Dutch, e.g. `Onder het bestaansminimum: € 58,22 te weinig in juli 2027; …`. */
export function alertReasonNl(alert: AlertText): string {
  return isIngest(alert) ? INGEST_ALERT_TEXT[alert.kind].reason(alert) : HOUSEHOLD_ALERT_TEXT[alert.kind].reason(alert);
}

/** What the consultant does next, in Dutch, per kind. */
export function alertNextStepNl(alert: AlertText): string {
  return isIngest(alert)
    ? INGEST_ALERT_TEXT[alert.kind].nextStep(alert)
    : HOUSEHOLD_ALERT_TEXT[alert.kind].nextStep(alert);
}

/** An alert's priority (services/alerts alertPriority: 1 below the minimum, 2 claims, 3 the rest) in Dutch. */
export const ALERT_PRIORITY_NL: Readonly<Record<1 | 2 | 3, string>> = { 1: 'hoog', 2: 'midden', 3: 'normaal' };
