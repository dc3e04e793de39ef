import type { TraceStep } from '@bijstand/domain';
import { BUFFER_DECISION, dutchDate, dutchMonth, euro, shortCitation } from '@bijstand/documents';
import { html, type SafeHtml } from '../html.js';

/**
 * A rule trace as Dutch labelled rows (the "Details" of a month): the legal basis of each step, then its
 * inputs and outcomes by their Dutch names, amounts as € 1.234,56 and dates as 25 juli 2027; never JSON.
 * Lists inside a step (segments, shares, relationships) are counted, not dumped: the objection file has them.
 */
const LABEL: Record<string, string> = {
  month: 'maand',
  daysInMonth: 'dagen in de maand',
  segments: 'normperiodes',
  norm: 'norm',
  measureReduction: 'korting (maatregel)',
  rate: 'percentage',
  holidayReserveFull: 'reservering vakantietoeslag',
  normExclHoliday: 'norm zonder vakantietoeslag',
  relationships: 'inkomstenverhoudingen',
  alimony: 'alimentatie',
  projectedNet: 'verwacht netto-inkomen',
  projectedDisregard: 'verwachte vrijlating',
  projectedPartnerIncomeCounted: 'verwacht meegeteld inkomen partner',
  advance: 'voorschot',
  reserveBalance: 'stand reservering',
  payoutMonth: 'uitbetaalmaand',
  isPayoutMonth: 'is uitbetaalmaand',
  holidayPayout: 'uitbetaalde vakantietoeslag',
  reserveDeficitToClaim: 'tekort reservering naar vordering',
  ledgerBalance: 'saldo vooraf',
  gross: 'bruto te betalen',
  backPayment: 'nabetaling',
  offset: 'verrekend',
  ledgerBalanceAfter: 'saldo daarna',
  proposal: 'voorstel',
  runDate: 'nachtrun',
  shortfall: 'tekort',
  budgetRemainingBefore: 'bufferbudget over vooraf',
  eligibilityPolicy: 'beleid bufferbudget',
  decision: 'besluit',
  bufferDraw: 'bufferbudget ingezet',
  amount: 'bedrag',
  categoryOnPayday: 'leefvorm op betaaldag',
  entitledMembers: 'rechthebbenden',
  jointPaymentTo: 'gezamenlijke betaling aan',
  applicant: 'aan aanvrager',
  partner: 'aan partner',
  shares: 'delen',
  income: 'inkomen',
  incomeFromWork: 'inkomen uit werk',
  disregard: 'vrijgelaten',
  partnerIncomeCounted: 'meegeteld inkomen partner',
  countableIncome: 'meegeteld inkomen',
  assistance: 'bijstand',
  excessIncome: 'inkomen boven de norm',
  holidayAccrued: 'opgebouwd vakantiegeld',
  accrualShares: 'opbouw per bron',
  holidayReserve: 'reservering vakantietoeslag',
  advancePaid: 'betaald voorschot',
  assistanceChange: 'naar het saldo',
  reserveChange: 'naar de reservering',
  reserveBalanceAfter: 'reservering daarna',
  previousVersion: 'vorige versie',
  previousAssistance: 'vorige bijstand',
  previousHolidayReserve: 'vorige reservering',
  householdIncome: 'inkomen huishouden',
  perPerson: 'per persoon',
  messageId: 'bericht',
  incomeRelationshipId: 'inkomstenverhouding',
  incomeKind: 'soort inkomen',
  source: 'bron',
  period: 'periode',
  taxableWage: 'loon voor de loonheffing',
  withheldTax: 'ingehouden loonheffing',
  withheldZvw: 'ingehouden bijdrage Zvw',
  companyCar: 'auto van de zaak',
  wgaDeduction: 'inhouding WGA',
  holidayAllowancePaid: 'betaald vakantiegeld',
  ikbPaid: 'betaald IKB',
  extraPeriodSalaryPaid: 'betaalde extra periodesalaris',
  holidayAllowanceAccrued: 'opgebouwd vakantiegeld',
  ikbAccrued: 'opgebouwd IKB',
  untaxedAllowancesNotSettled: 'onbelaste vergoedingen',
  net: 'netto',
  netHolidayPaid: 'netto vakantiegeld betaald',
  netIkbPaid: 'netto IKB betaald',
  netExtraPaid: 'netto extra betaald',
  netRegular: 'netto regulier',
  netHolidayAccrued: 'netto vakantiegeld opgebouwd',
  netIkbAccrued: 'netto IKB opgebouwd',
  workPeriod: 'werkperiode',
  casePeriod: 'bijstandsperiode',
  daysWorked: 'gewerkte dagen',
  daysInCase: 'dagen in de bijstand',
  counted: 'meegeteld',
  excludedOutsideCase: 'buiten de bijstandsperiode',
  declarationId: 'opgave',
  disposalDate: 'beschikbaar op',
  kind: 'soort',
  receivedOn: 'ontvangen op',
  freePerYear: 'vrij per jaar',
  runningTotalBefore: 'totaal dit jaar vooraf',
  runningTotalAfter: 'totaal dit jaar daarna',
  countableOwnIncome: 'eigen meegeteld inkomen',
  partnerIncome: 'inkomen partner',
  coupleNormExclHoliday: 'gezinsnorm zonder vakantietoeslag',
};

const WORD: Record<string, string> = {
  true: 'ja',
  false: 'nee',
  employment: 'loon',
  benefit: 'uitkering',
  none: 'geen',
  working: 'huishoudens met inkomsten uit arbeid',
  all: 'alle huishoudens',
  single: 'alleenstaande',
  couple: 'gehuwden of samenwonenden',
  'single-parent': 'alleenstaande ouder',
  'single-parent-no-alo': 'alleenstaande ouder (zonder alo-kop)',
  applicant: 'aanvrager',
  partner: 'partner',
  ...BUFFER_DECISION,
};

/** A value as a person reads it. */
export function traceValue(v: unknown, key?: string): string {
  // A rate (0.05) is a percentage, not an amount with two decimals.
  if (key === 'rate' && /^\d+(\.\d+)?$/.test(String(v))) return `${String(Number(v) * 100).replace('.', ',')}%`;
  if (Array.isArray(v)) return v.length === 1 ? '1 onderdeel' : `${v.length} onderdelen`;
  if (v !== null && typeof v === 'object') return `${Object.keys(v).length} onderdelen`;
  if (typeof v === 'number' || typeof v === 'boolean') return WORD[String(v)] ?? String(v);
  const s = String(v);
  if (/^-?\d+\.\d{2}$/.test(s)) return euro(s);
  if (s === '9999-12-31') return 'geen einddatum';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return dutchDate(s);
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(s)) return dutchMonth(s);
  if (/^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/.test(s)) {
    const [from, to] = s.split('/') as [string, string];
    return to === '9999-12-31' ? `vanaf ${dutchDate(from)}` : `${dutchDate(from)} t/m ${dutchDate(to)}`;
  }
  return WORD[s] ?? s;
}

/** A key's Dutch label; a key the table does not know yet is called "gegeven", never shown in English. */
export const traceLabel = (key: string): string => LABEL[key] ?? 'gegeven';

const rows = (record: Record<string, unknown>) =>
  Object.entries(record).map(
    ([k, v]) => html`<tr><th scope="row">${traceLabel(k)}</th><td>${traceValue(v, k)}</td></tr>`,
  );

export function traceTable(steps: readonly TraceStep[]): SafeHtml {
  return html`${steps.map(
    (s) =>
      html`<table class="trace"><caption>${s.legalRef.label} (${s.legalRef.law}, ${shortCitation(s.legalRef)})</caption><tbody>${rows(s.inputs)}${rows(s.result)}</tbody></table>`,
  )}`;
}
