import type { DecisionContext, HouseholdState } from '@bijstand/domain';
import type { Municipalities } from '@bijstand/platform';
import { SINGLE_MUNICIPALITY_KEY } from './rulesGate.js';

/** The rules a household is decided under, and for which municipality. */
export interface HouseholdRules {
  ctx: DecisionContext;
  rulesVersion: string;
  municipality: string | null;
  /** The rulesGate key: the CBS code of a multi-municipality deployment, else `default`. */
  key: string;
}

/** A municipality the nights settle for, by rulesGate key, with its name, rules and version. */
export interface MunicipalityOfNight {
  key: string;
  name: string;
  ctx: DecisionContext;
  rulesVersion: string;
}

/**
 * Which rules the nights settle under: the deployment's municipalities (each its own tables, policy and
 * rules version), or, without a deployment file, the one context and version the settlement was given.
 */
export class MunicipalityRules {
  constructor(
    private readonly ctx: DecisionContext,
    private readonly rulesVersion: string,
    private readonly municipalities: Municipalities | undefined,
  ) {}

  /**
   * The household's municipality's context and rules version. A multi-municipality deployment refuses
   * (throws) a household of a municipality it has no configuration for: it is reported as a failure,
   * never settled under another municipality's rules.
   */
  forHousehold(state: HouseholdState): HouseholdRules {
    if (!this.municipalities)
      return {
        ctx: this.ctx,
        rulesVersion: this.rulesVersion,
        municipality: state.municipality,
        key: SINGLE_MUNICIPALITY_KEY,
      };
    const m = this.municipalities.resolve(state.municipality);
    const code = this.municipalities.codeOf(state.municipality);
    const key = this.municipalities.mode === 'multi' ? code! : SINGLE_MUNICIPALITY_KEY;
    return { ctx: m.ctx, rulesVersion: m.rulesVersion, municipality: code, key };
  }

  /** Each municipality the nights settle for, by rulesGate key. */
  byKey(): MunicipalityOfNight[] {
    if (this.municipalities?.mode === 'multi')
      return [...this.municipalities.byCode].map(([key, m]) => ({ key, ...m }));
    const only = this.defaults();
    return [
      { key: SINGLE_MUNICIPALITY_KEY, name: this.municipalities?.defaultMunicipality.name ?? 'default', ...only },
    ];
  }

  /** The rules of a household without a municipality: the default municipality's, or the constructor's. */
  defaults(): { ctx: DecisionContext; rulesVersion: string } {
    return this.municipalities
      ? this.municipalities.defaultMunicipality
      : { ctx: this.ctx, rulesVersion: this.rulesVersion };
  }

  /** A deployment of several municipalities: each is settled, and gated, under its own CBS code. */
  isMulti(): boolean {
    return this.municipalities?.mode === 'multi';
  }

  /** The rules version of each municipality (multi-municipality deployments), by CBS code. */
  versionsByMunicipality(): Record<string, string> | undefined {
    if (this.municipalities?.mode !== 'multi') return undefined;
    return Object.fromEntries([...this.municipalities.byCode].map(([code, m]) => [code, m.rulesVersion]));
  }

  /** The CBS code of the default municipality of a multi-municipality deployment (null: it names none). */
  defaultMunicipalityCode(): string | null | undefined {
    return this.municipalities?.mode === 'multi' ? this.municipalities.defaultMunicipality.code : undefined;
  }

  /** Every rules version the nights may run under, with its context (recorded once per version). */
  contexts(): Map<string, DecisionContext> {
    const contexts = new Map<string, DecisionContext>([[this.defaults().rulesVersion, this.defaults().ctx]]);
    if (this.municipalities) for (const m of this.municipalities.byCode.values()) contexts.set(m.rulesVersion, m.ctx);
    return contexts;
  }
}
