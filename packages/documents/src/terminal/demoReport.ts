import { table } from '@bijstand/terminal/table';
import { dutchDate, dutchInstant, dutchMonth, euro } from '../dutch.js';

/** What `make run` (the demo) prints, in Dutch: the worked examples month by month, then the summary. */

/** One month of a worked example: its settlement and its payment, each absent where there is none. */
export interface DemoMonthRow {
  month: string;
  norm?: string;
  income?: string;
  disregard?: string;
  assistance?: string;
  holidayReserve?: string;
  advance?: string;
  offset?: string;
  bufferDraw?: string;
  paid?: string;
}

export interface DemoExampleView {
  name: string;
  householdId: string;
  asOf: string;
  months: readonly DemoMonthRow[];
  ledgerBalance: string;
  reserveBalance: string;
  /** Its result equals the example's reference result byte for byte. */
  matches: boolean;
}

/** An amount in a column under "bedragen in euro": `1.938,00` (the € sign ten times a row is noise). */
const amount = (a: string | undefined): string => (a === undefined ? '' : euro(a).replace(/€ /, ''));

const HEADER = [
  'maand',
  'norm',
  'inkomen',
  'vrijlating',
  'bijstand',
  'vak.geld',
  'voorschot',
  'verrekend',
  'buffer',
  'betaald',
];

export const demoExamplesTitle =
  '\nMaandelijkse vaststelling van de uitgewerkte voorbeelden (uit de gebeurtenissenopslag)\n';

/** One worked example: which household as of when, a table of its months, its balances and the check. */
export function demoExampleText(e: DemoExampleView): string {
  const rows = e.months.map((m) => [
    dutchMonth(m.month),
    ...[m.norm, m.income, m.disregard, m.assistance, m.holidayReserve, m.advance, m.offset, m.bufferDraw, m.paid].map(
      amount,
    ),
  ]);
  const check = e.matches ? 'gelijk aan het referentieresultaat ✓' : 'WIJKT AF van het referentieresultaat ✗';
  return (
    `\n${e.name} (${e.householdId}, stand per ${dutchInstant(e.asOf)}), bedragen in euro\n` +
    `${table([HEADER, ...rows])}\n` +
    `saldo ${euro(e.ledgerBalance)}, reservering vakantiegeld ${euro(e.reserveBalance)}; ${check}\n`
  );
}

export interface DemoSummary {
  households: number;
  nonEntitledPartner: number;
  payslips: number;
  benefits: number;
  declarations: number;
  measures: number;
  paidInHalves: number;
  nights: number;
  monthsSettled: number;
  paymentsMade: number;
  paid: string;
  householdsWithClaim: number;
  openClaims: string;
  bufferDrawn: string;
  alerts: number;
  rejected: number;
  failures: number;
  wallSeconds: number;
}

/** `11,0 s`: a duration as people read it. */
export const dutchSeconds = (seconds: number): string => `${seconds.toFixed(1).replace('.', ',')} s`;

/** The demo's figures in one table, then where the store is. */
export function demoSummaryText(s: DemoSummary, storePath: string): string {
  const rows: Array<[string, string]> = [
    ['huishoudens', String(s.households)],
    ['… met een partner zonder recht op bijstand (art. 24)', String(s.nonEntitledPartner)],
    ['… met loonstroken (vastgesteld tot de polis meldt)', String(s.payslips)],
    ['… met een uitkering via de polis (WW, ZW, WIA)', String(s.benefits)],
    ['… met opgegeven ander inkomen (giften, alimentatie)', String(s.declarations)],
    ['… met een maatregel (art. 18)', String(s.measures)],
    ['… in helften aan de echtgenoten betaald (art. 45 lid 4)', String(s.paidInHalves)],
    ['nachten', String(s.nights)],
    ['maanden vastgesteld (versies)', String(s.monthsSettled)],
    ['betalingen', String(s.paymentsMade)],
    ['totaal betaald', euro(s.paid)],
    ['huishoudens met een openstaande vordering', String(s.householdsWithClaim)],
    ['openstaande vorderingen samen', euro(s.openClaims)],
    ['bufferbudget gebruikt', euro(s.bufferDrawn)],
    ['signalen', String(s.alerts)],
    ['afgekeurde berichten', String(s.rejected)],
    ['mislukte huishoudens', String(s.failures)],
    ['looptijd', dutchSeconds(s.wallSeconds)],
  ];
  return `\nSamenvatting\n${table([['kengetal', 'waarde'], ...rows])}\n\nGebeurtenissenopslag: ${storePath}.\n`;
}

/** The demo's first line (stderr): what it is about to do. */
export function demoStartText(d: {
  municipality: string;
  examples: number;
  households: number;
  messages: number;
  from: string;
  to: string;
  store: string;
}): string {
  return (
    `${d.municipality}: ${d.examples} uitgewerkte voorbeelden + ${d.households} synthetische huishoudens, ` +
    `${d.messages} berichten, nachten ${dutchDate(d.from)} … ${dutchDate(d.to)} in ${d.store}\n`
  );
}

/**
 * The messages the demo's own data has rejected (worked examples that show a refusal), in one line instead
 * of a log record each: how many, and where to read them.
 */
export function demoRejectedText(rejected: number, storeFlag: string): string {
  if (rejected === 0) return '';
  const what = rejected === 1 ? '1 bericht is' : `${rejected} berichten zijn`;
  return `\n${what} bij ontvangst afgekeurd (zo bedoeld in de voorbeelden): ./cli rejected list${storeFlag}\n`;
}
