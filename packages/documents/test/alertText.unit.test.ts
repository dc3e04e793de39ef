import { describe, expect, it } from 'vitest';
import type { AlertKind } from '@bijstand/domain';
import {
  alertNextStepNl,
  alertReasonNl,
  alertsTableText,
  HOUSEHOLD_ALERT_TEXT,
  INGEST_ALERT_TEXT,
  type AlertRowView,
  type HouseholdAlertText,
  type IngestAlertText,
} from '../src/index.js';

const below: HouseholdAlertText = {
  kind: 'below-minimum',
  month: '2027-07',
  amount: '58.22',
  details: {
    offset: '580.38',
    bufferDecision: 'drawn',
    bufferDraw: '391.84',
    bufferRemaining: '0.00',
    amountPaid: '1010.98',
    projectedNet: '868.80',
    normExclHoliday: '1938.00',
  },
};

// One alert of every kind, each with the text a consultant reads (exact amounts and dates).
const household: Record<AlertKind, [HouseholdAlertText, string, string]> = {
  'payment-failed': [
    {
      kind: 'payment-failed',
      month: '2027-05',
      amount: '599.76',
      details: { reasonCode: 'AC04', reasonText: 'rekening opgeheven' },
    },
    'Betaling mislukt: de bank heeft € 599,76 over mei 2027 niet uitbetaald (AC04 rekening opgeheven)',
    'Leg het juiste rekeningnummer vast; het bedrag gaat dan mee met de volgende betaaldag.',
  ],
  'below-minimum': [
    below,
    'Onder het bestaansminimum: € 58,22 te weinig in juli 2027; een vordering van € 580,38 is verrekend en ' +
      'het bufferbudget van 2027 is op (€ 391,84 ingezet)',
    'Overweeg bijzondere bijstand of een betalingsregeling voor de vordering.',
  ],
  'buffer-exhausted': [
    { kind: 'buffer-exhausted', month: '2027-07', details: { budget: '391.84' } },
    'Bufferbudget op: het bufferbudget van 2027 (€ 391,84) is in juli 2027 helemaal ingezet',
    'Vorderingen worden de rest van 2027 zonder bufferbudget verrekend: bespreek een betalingsregeling als ' +
      'het huishouden onder het minimum dreigt te komen.',
  ],
  'large-claim': [
    {
      kind: 'large-claim',
      month: '2027-04',
      amount: '2150.10',
      details: { assistanceChange: '-2150.10', normExclHoliday: '1938.00', version: '2' },
    },
    'Grote vordering: de herberekening van april 2027 geeft een vordering van € 2.150,10, meer dan de maandnorm ' +
      'van € 1.938,00',
    'Controleer de opgave die de herberekening veroorzaakte en overweeg een betalingsregeling.',
  ],
  'income-outside-case': [
    { kind: 'income-outside-case', month: '2027-11', details: { messageId: 'M-77', excludedOutsideCase: '412.50' } },
    'Inkomen buiten de bijstandsperiode: € 412,50 uit loonopgave M-77 (november 2027) is niet verrekend; ' +
      'mogelijk vermogen (art. 34 Pw)',
    'Beoordeel of het bedrag tot het vermogen hoort (art. 34 Pw).',
  ],
  'new-income-relationship': [
    {
      kind: 'new-income-relationship',
      month: '2027-03',
      details: { incomeRelationshipId: 'IKV-1', employer: 'Bakkerij De Korst' },
    },
    'Nieuwe inkomstenverhouding bij Bakkerij De Korst: eerste loonopgave in maart 2027',
    'Overweeg een inkomstenvrijlating (art. 34a Pw).',
  ],
  'disregard-ending': [
    { kind: 'disregard-ending', month: '2027-07', details: { grantFrom: '2027-02-01', grantTo: '2027-07-31' } },
    'Vrijlating loopt af: de inkomstenvrijlating voor werk van 1 februari 2027 loopt tot 31 juli 2027',
    'Besluit vóór 31 juli 2027 over verlenging van de vrijlating (art. 34a lid 2 Pw).',
  ],
  'gifts-above-free-amount': [
    {
      kind: 'gifts-above-free-amount',
      month: '2027-04',
      amount: '150.00',
      details: { declarationId: 'D-3', freePerYear: '1200.00', runningTotal: '1350.00' },
    },
    'Giften boven het vrije bedrag: in 2027 € 1.350,00 ontvangen, € 150,00 boven het vrije bedrag van ' +
      '€ 1.200,00; dat deel telt als inkomen (art. 31 lid 2 onder m Pw)',
    'Controleer opgave D-3 en of het deel boven het vrije bedrag is verrekend.',
  ],
};

const ingest = (kind: IngestAlertText['kind'], reference: string, member: string | null): IngestAlertText => ({
  kind,
  householdId: 'H-new',
  member,
  reference,
});

const fromIngest: Record<IngestAlertText['kind'], [IngestAlertText, string, string]> = {
  'identity-conflict': [
    ingest('identity-conflict', 'CaseOpened', '*****1234'),
    'Identiteitsconflict: lid *****1234 van de nieuwe zaak van H-new staat al in een andere zaak in dezelfde ' +
      'periode; de opening is geweigerd',
    'Controleer of het om dezelfde persoon gaat en of de andere zaak beëindigd moet worden; bied de opening ' +
      'daarna opnieuw aan.',
  ],
  'correction-without-initial': [
    ingest('correction-without-initial', 'M-12', '*****5678'),
    'Correctie zonder eerste opgave: loonopgave M-12 van lid *****5678 (H-new) corrigeert een periode zonder ' +
      'eerste opgave; vastgelegd als eerste bekende versie',
    'Vraag de werkgever of de eerste opgave ontbreekt en controleer het bedrag.',
  ],
  'withdrawal-without-initial': [
    ingest('withdrawal-without-initial', 'M-13', '*****5678'),
    'Intrekking zonder opgave: bericht M-13 van lid *****5678 (H-new) trekt een opgave in die niet bekend is; ' +
      'vastgelegd, voor die periode geldt niets',
    'Vraag de werkgever welke opgave bedoeld is.',
  ],
  'parked-too-long': [
    ingest('parked-too-long', 'M-14', '*****9012'),
    'Te lang geparkeerd: loonopgave M-14 van lid *****9012 wacht op een zaak',
    'Controleer of voor dit lid een zaak geopend moet worden of de opgave bij een ander huishouden hoort.',
  ],
};

describe('an alert in Dutch, rendered from its kind and data', () => {
  for (const [kind, [alert, reason, next]] of [...Object.entries(household), ...Object.entries(fromIngest)])
    it(`${kind}: its reason and next step`, () => {
      expect(alertReasonNl(alert)).toBe(reason);
      expect(alertNextStepNl(alert)).toBe(next);
    });

  it('every kind has a text: the tables here and the renderer know the same kinds', () => {
    // A kind added to AlertKind fails to compile in HOUSEHOLD_ALERT_TEXT; this catches a text without a test.
    expect(Object.keys(HOUSEHOLD_ALERT_TEXT).sort()).toEqual(Object.keys(household).sort());
    expect(Object.keys(INGEST_ALERT_TEXT).sort()).toEqual(Object.keys(fromIngest).sort());
  });

  it('below the minimum: why, for each thing the bufferbudget did', () => {
    const because = (details: Record<string, string>) =>
      alertReasonNl({ ...below, details: { ...below.details, ...details } }).split('juli 2027; ')[1];
    expect(because({ bufferDecision: 'budget-exhausted' })).toBe(
      'een vordering van € 580,38 is verrekend en het bufferbudget van 2027 was al op',
    );
    expect(because({ bufferDecision: 'drawn', bufferRemaining: '20.00', bufferDraw: '100.00' })).toBe(
      'een vordering van € 580,38 is verrekend; het bufferbudget (€ 100,00 ingezet) dekte dat niet helemaal',
    );
    expect(because({ bufferDecision: 'not-eligible' })).toBe(
      'een vordering van € 580,38 is verrekend; het huishouden heeft geen recht op het bufferbudget ' +
        '(geen inkomen uit arbeid)',
    );
    expect(because({ bufferDecision: 'buffer-not-in-force' })).toBe(
      'een vordering van € 580,38 is verrekend; het bufferbudget gold toen nog niet',
    );
    expect(because({ offset: '0.00', bufferDecision: 'no-claim-offset' })).toBe(
      'inkomen en betaling samen € 1.879,78, de norm is € 1.938,00',
    );
  });

  it('a parked case event names the household; an employer that is a number is left out (it may hold a BSN)', () => {
    expect(alertReasonNl(ingest('parked-too-long', 'HouseholdChanged', null))).toBe(
      'Te lang geparkeerd: een wijziging van het huishouden van H-new wacht op de opening van de zaak',
    );
    const [alert] = household['new-income-relationship'];
    expect(alertReasonNl({ ...alert, details: { employer: '123456782L01' } })).toBe(
      'Nieuwe inkomstenverhouding: eerste loonopgave in maart 2027',
    );
  });
});

describe('alerts list as a table', () => {
  const row = (over: Partial<AlertRowView>): AlertRowView => ({
    ...below,
    alertId: 'H-couple:below-minimum:2027-07',
    householdId: 'H-couple',
    raisedOn: '2027-07-25',
    state: 'pending',
    priority: 1,
    handling: 'open',
    ...over,
  });

  it('priority, household, month, kind, reason and status in Dutch, the id last; the count', () => {
    const text = alertsTableText([
      row({}),
      row({
        ...household['disregard-ending'][0],
        alertId: 'H-w:disregard-ending:2027-07',
        householdId: 'H-w',
        priority: 3,
        handling: 'acknowledged',
        acknowledgedBy: 'J. de Vries',
        acknowledgementNote: 'verlenging\naangevraagd',
        state: 'dead-letter',
      }),
      row({ alertId: 'H-x:below-minimum:2027-07', householdId: 'H-x', state: 'dead-letter' }),
    ]);
    expect(text.split('\n').map((l) => l.split(/ {2,}/))).toEqual([
      ['prioriteit', 'huishouden', 'maand', 'soort', 'reden', 'status', 'signaal'],
      [expect.stringMatching(/^-+$/), ...Array(6).fill(expect.stringMatching(/^-+$/))],
      [
        'hoog',
        'H-couple',
        'juli 2027',
        'onder het bestaansminimum',
        household['below-minimum'][1],
        'open',
        'H-couple:below-minimum:2027-07',
      ],
      [
        'normaal',
        'H-w',
        'juli 2027',
        'vrijlating loopt af',
        household['disregard-ending'][1],
        'afgehandeld door J. de Vries (“verlenging aangevraagd”)',
        'H-w:disregard-ending:2027-07',
      ],
      [
        'hoog',
        'H-x',
        'juli 2027',
        'onder het bestaansminimum',
        household['below-minimum'][1],
        'open, niet bezorgd',
        'H-x:below-minimum:2027-07',
      ],
      ['3 signalen'],
      [''],
    ]);
    expect(alertsTableText([row({})]).endsWith('\n1 signaal\n')).toBe(true);
  });
});
