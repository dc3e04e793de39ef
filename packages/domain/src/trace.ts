import type { ParameterUsed } from './parameters.js';

/** One applied rule in the explanation of a decision (SPEC §9). Values are strings, money with 2 decimals. */
export interface TraceStep {
  rule: string;
  legalRef: string;
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

  step(rule: string, legalRef: string, inputs: Record<string, unknown>, result: Record<string, unknown>): void {
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

/** Legal references used in traces, in one place so that wording is consistent. */
export const LegalRef = Object.freeze({
  netIncome: 'Regeling Participatiewet art. 7a (netto-inkomen uit de polisadministratie, PIB maatregel 17)',
  caseOnly: 'Pw art. 31-32; PIB maatregel 17 onder b (alleen inkomen over de bijstandsperiode)',
  ruleA: 'Pw art. 31-32; PIB maatregel 17 onder a (maand waarin over het inkomen kan worden beschikt)',
  ruleC: 'Pw art. 31-32; PIB maatregel 17 onder c (na de bijstandsperiode ontvangen, erin verworven)',
  ruleD: 'Pw art. 31-32; PIB maatregel 17 onder d (betaling bedoeld voor toekomstige perioden)',
  untaxed: 'PIB maatregel 17 (onbelaste vergoedingen worden niet verrekend)',
  norm: 'Pw art. 21 en 22a (bijstandsnorm, kostendelersnorm)',
  normOneEntitled: 'Pw art. 24 jo. PIB maatregel 6a (gehuwden, één partner rechthebbend)',
  normNoAlo: 'PIB maatregel 6b (alleenstaande ouder zonder ALO-kop)',
  holidayReserve: 'Pw art. 19, derde lid (reservering vakantietoeslag)',
  income: 'Pw art. 31-32 (in aanmerking te nemen inkomen)',
  disregard: 'Pw art. 31, tweede lid, onderdeel n; PIB maatregel 1 (inkomstenvrijlating)',
  assistance: 'Pw art. 19 en 32 (recht op bijstand: norm min inkomen)',
  holidayStandard: 'PIB maatregel 18 (standaardwerkwijze vakantiegeld en IKB)',
  revision: 'Pw art. 54, derde lid (herziening) en art. 58 (terugvordering)',
  advance: 'Pw art. 52 (voorschot) op basis van verwacht inkomen uit de polisadministratie',
  holidayPayout: 'Pw art. 19, derde lid (uitbetaling vakantietoeslag)',
  offset: 'Pw art. 60, tweede lid (verrekening van de vordering met de bijstand)',
  buffer: 'PIB maatregel 2 (bufferbudget; eindheffing door de gemeente)',
  assets: 'Pw art. 34 (vermogen): inkomen van buiten de bijstandsperiode',
} as const);
