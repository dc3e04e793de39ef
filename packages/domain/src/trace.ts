import type { ParameterUsed } from './parameters.js';
import { deepFreeze } from './frozen.js';
import type { LegalReference } from './legalReference.js';

export type { LegalReference } from './legalReference.js';

/** One applied rule in the explanation of a decision (SPEC §9). Values are strings, money with 2 decimals. */
export interface TraceStep {
  rule: string;
  legalRef: LegalReference;
  inputs: Record<string, unknown>;
  result: Record<string, unknown>;
}

export interface Explanation {
  steps: TraceStep[];
  parameters: ParameterUsed[];
}

/** Collects steps and the parameters used, each parameter row once, in the order first used. */
export class TraceBuilder {
  readonly steps: TraceStep[] = [];
  private readonly params = new Map<string, ParameterUsed>();

  step(rule: string, legalRef: LegalReference, inputs: Record<string, unknown>, result: Record<string, unknown>): void {
    this.steps.push({ rule, legalRef, inputs, result });
  }

  add(steps: readonly TraceStep[]): void {
    this.steps.push(...steps);
  }

  param(p: ParameterUsed): void {
    const key = `${p.name}@${p.validFrom}`;
    if (!this.params.has(key)) this.params.set(key, p);
  }

  params_(ps: readonly ParameterUsed[]): void {
    for (const p of ps) this.param(p);
  }

  build(): Explanation {
    return { steps: this.steps, parameters: [...this.params.values()] };
  }
}

const pw = (
  article: string,
  label: string,
  more: { paragraph?: string; point?: string; measure?: string } = {},
): LegalReference => ({
  law: 'Participatiewet',
  bwbId: 'BWBR0015703',
  article,
  ...more,
  label,
});

/** A reference as a person reads it: "Participatiewet art. 34a lid 1 onder a (label)". */
export function legalRefText(r: LegalReference): string {
  const where = `art. ${r.article}${r.paragraph ? ` lid ${r.paragraph}` : ''}${r.point ? ` onder ${r.point}` : ''}`;
  return `${r.law} ${where}${r.measure ? `; ${r.measure}` : ''} (${r.label})`;
}

/** Legal references used in traces and parameter rows, in one place so that wording is consistent. */
export const LegalRef = deepFreeze({
  netIncome: {
    law: 'Regeling Participatiewet, IOAW en IOAZ',
    article: '7a',
    measure: 'PIB maatregel 17',
    label: 'netto-inkomen uit de polisadministratie',
  },
  caseOnly: pw('31', 'alleen inkomen over de bijstandsperiode telt', { measure: 'PIB maatregel 17 onder b' }),
  ruleA: pw('31', 'inkomen telt in de maand waarin erover kan worden beschikt', {
    measure: 'PIB maatregel 17 onder a',
  }),
  ruleC: pw('31', 'na de bijstandsperiode ontvangen, erin verworven: over de maanden van verwerving', {
    measure: 'PIB maatregel 17 onder c',
  }),
  ruleD: pw('31', 'betaling bedoeld voor toekomstige perioden: over die perioden', {
    measure: 'PIB maatregel 17 onder d',
  }),
  contributions: pw('18', 'kostenbesparende bijdragen van anderen, samen met giften tot het vrije bedrag', {
    paragraph: '8',
  }),
  declaredIncome: pw('31', 'opgegeven ander inkomen (alimentatie, giften, overig)', { paragraph: '1' }),
  gifts: pw('31', 'giften vrijgelaten tot het bedrag per kalenderjaar', { paragraph: '2', point: 'm' }),
  norm: pw('21', 'bijstandsnorm'),
  costSharers: pw('22a', 'kostendelersnorm'),
  normOneEntitled: pw('24', 'gehuwden van wie één partner recht heeft op bijstand', {
    paragraph: '1',
    measure: 'PIB maatregel 6a',
  }),
  normNoAlo: pw(
    '24a',
    'alleenstaande ouder van wie de partner geen recht heeft: norm van art. 24 plus 1/12 van de alleenstaande-ouderkop',
  ),
  /** The single-parent supplement of the kindgebonden budget that art. 24a adds one twelfth of (SPEC v3 §2). */
  aloSupplement: {
    law: 'Wet op het kindgebonden budget',
    article: '2',
    paragraph: '6',
    label: 'alleenstaande-ouderkop per jaar',
  },
  costSharersCouple: pw('22a', 'kostendelersnorm van gehuwden: de som van de norm van ieder van hen', {
    paragraph: '2',
  }),
  measure: pw('18', 'verlaging van de bijstand (maatregel)', { paragraph: '2', measure: 'PIB maatregel 9' }),
  holidayReserve: pw('19', 'reservering vakantietoeslag', { paragraph: '3' }),
  income: pw('32', 'in aanmerking te nemen inkomen', { paragraph: '1' }),
  disregardBefore2027: pw('31', 'inkomstenvrijlating (tot 2027)', { paragraph: '2', point: 'n' }),
  disregardWork: pw('34a', 'vrijlating inkomsten uit arbeid', {
    paragraph: '1',
    point: 'a',
    measure: 'PIB maatregel 1',
  }),
  disregardMedical: pw('34a', 'vrijlating inkomsten uit arbeid bij medische urenbeperking', {
    paragraph: '1',
    point: 'b',
    measure: 'PIB maatregel 1',
  }),
  disregardPensionAge: pw('34a', 'vrijlating inkomsten uit arbeid vanaf de pensioengerechtigde leeftijd', {
    paragraph: '1',
    point: 'c',
    measure: 'PIB maatregel 1',
  }),
  partnerDisregard: pw('32', 'inkomen van de partner zonder recht op bijstand, na vrijlating volgens paragraaf 3.4', {
    paragraph: '3',
  }),
  nonEntitledPartner: pw(
    '32',
    'inkomen van de partner zonder recht op bijstand, voor zover het de gezinsnorm te boven gaat',
    { paragraph: '3', measure: 'PIB maatregel 6a' },
  ),
  assistance: pw('19', 'recht op bijstand: norm min inkomen', { paragraph: '1' }),
  holidayStandard: {
    law: 'Programmaplan Participatiewet in balans (seed 001, Bijlage I)',
    article: 'maatregel 18',
    label: 'standaardwerkwijze vakantiegeld en IKB',
  },
  revision: pw('54', 'herziening en terugvordering', { paragraph: '3' }),
  advance: pw('52', 'voorschot op basis van verwacht inkomen uit de polisadministratie'),
  holidayPayout: pw('45', 'uitbetaling vakantietoeslag', { paragraph: '1' }),
  offset: pw('60', 'verrekening van de vordering met de bijstand', { paragraph: '2' }),
  payees: pw('45', 'betaling aan ieder van de echtgenoten de helft', { paragraph: '4' }),
  buffer: pw('34b', 'bufferbudget voor huishoudens met inkomsten uit arbeid', {
    paragraph: '1',
    measure: 'PIB maatregel 2',
  }),
  assets: pw('34', 'vermogen: inkomen van buiten de bijstandsperiode'),
} satisfies Record<string, LegalReference>);
