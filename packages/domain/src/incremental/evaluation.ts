import { lastDay, OPEN_END, type IsoDate, type Period, type YearMonth } from '../dates.js';
import type { ParameterTables } from '../parameters.js';
import { ikbMethodOf } from '../evaluation.js';
import type { PolisIncomeStatement, Policy } from '../schemas.js';
import type { HouseholdState, RecordedStatement } from '../household.js';
import type { Evaluation, RulesInForce } from '../evaluation.js';
import { netIncomeOfStatement, type NetIncomeOfStatement } from '../rules/netIncome.js';
import { settleStatement, mayFallOutsideCase, type StatementSettlement } from '../rules/allocation.js';
import type { LatestStatements } from '../rules/projection.js';
import { ENGINE_VERSION } from '../version.js';
import { fingerprint } from './fingerprint.js';
import { StatementIndex, type IndexedStatements } from './statementIndex.js';
import { LatestStatementsIndex } from './latestStatements.js';

/** What a month was last computed from, and the version it stood at then. */
export interface ComputedMonth {
  fingerprint: string;
  version: number;
}

/** The part of an evaluation worth keeping in a snapshot: the rest is rebuilt from the state. */
export interface SavedEvaluation {
  format: typeof SAVED_EVALUATION_FORMAT;
  /** [month, the fingerprint its current version was computed from, that version]: tuples, a snapshot is read often. */
  computed: Array<[YearMonth, string, number]>;
  /** The month fingerprints as they stood, and what they were computed from (absent: none computed yet). */
  inputs?: SavedInputs;
}
/** 2: the month fingerprints are kept too (`inputs`), so a cold household does not compute every month's again. */
export const SAVED_EVALUATION_FORMAT = `incremental/2+engine-${ENGINE_VERSION}`;

/**
 * Month fingerprints and what they stand for: the household part of the fingerprint, the fingerprint of
 * every parameter row, and the statements recorded then. Taken over only when the first two are the same
 * now, and then without the months of the statements recorded since (StatementIndex.restoreFingerprints).
 */
export interface SavedInputs extends IndexedStatements {
  household: string;
  params: string;
  /** 0: the fingerprint the month's current version was computed from (`computed`), as it mostly is. */
  months: Array<[YearMonth, string | 0]>;
}

/**
 * The incremental-evaluation layer of one process (an optimisation with an off switch: without it the
 * decider uses `directEvaluation`). It holds what all households share, the fingerprint of the
 * parameter rows in force by a date, and hands out one `IncrementalEvaluation` per household state.
 */
export class IncrementalLayer {
  private readonly paramsFingerprints = new WeakMap<ParameterTables, Map<IsoDate, string>>();

  /** An evaluation for a household's state and the states decided from it; `saved` from its snapshot. */
  forHousehold(saved?: SavedEvaluation | null): IncrementalEvaluation {
    const ours = saved?.format === SAVED_EVALUATION_FORMAT && Array.isArray(saved.computed);
    const computed = new Map<YearMonth, ComputedMonth>();
    if (ours)
      for (const c of saved.computed)
        if (Array.isArray(c) && typeof c[1] === 'string' && Number.isInteger(c[2]))
          computed.set(c[0], { fingerprint: c[1], version: c[2] });
    // SETTLEMENT_INCREMENTAL=off turns this off with the whole layer (the cold-worker differential test holds it).
    const inputs = ours && isSavedInputs(saved.inputs) ? saved.inputs : null;
    return new IncrementalEvaluation(this, computed, inputs && restoredMonths(inputs, computed));
  }

  paramsFingerprintAt(params: ParameterTables, date: IsoDate): string {
    let byDate = this.paramsFingerprints.get(params);
    if (!byDate) this.paramsFingerprints.set(params, (byDate = new Map()));
    let key = byDate.get(date);
    if (key === undefined) {
      key = fingerprint(
        JSON.stringify(
          Object.entries(params).map(([name, rows]) => [
            name,
            (rows as Array<{ validFrom: string }>).filter((r) => r.validFrom <= date),
          ]),
        ),
      );
      byDate.set(date, key);
    }
    return key;
  }
}

/**
 * Memos for one household: net income and settlement per recorded statement (a recorded statement
 * never changes), the statements in force by target month, each relationship's latest statement, and
 * the fingerprint each month was last computed from. A month whose current version was computed from
 * the same fingerprint is skipped: it would compute to the same amounts.
 */
export class IncrementalEvaluation implements Evaluation {
  private readonly netIncomes = new WeakMap<
    PolisIncomeStatement,
    { params: ParameterTables; result: NetIncomeOfStatement }
  >();
  private readonly settlements = new WeakMap<
    RecordedStatement,
    { caseKey: string; params: ParameterTables; ikbMethod: Policy['ikbMethod']; settlement: StatementSettlement }
  >();
  private index: StatementIndex | null = null;
  private readonly latest = new LatestStatementsIndex();
  /** The household part of the fingerprints and what it was computed from. */
  private household: {
    policy: Policy;
    params: ParameterTables;
    /** Members, compositions, grants, measures, declarations: replaced, never changed in place (evolve). */
    facts: readonly unknown[];
    index: StatementIndex;
    fingerprint: string;
  } | null = null;

  constructor(
    private readonly layer: IncrementalLayer,
    private readonly computed: Map<YearMonth, ComputedMonth>,
    /** Month fingerprints from a snapshot, taken over (or not) when the household part is first computed. */
    private restored: RestoredInputs | null = null,
  ) {}

  netIncome(statement: PolisIncomeStatement, rules: RulesInForce): NetIncomeOfStatement {
    const hit = this.netIncomes.get(statement);
    if (hit && hit.params === rules.params) return hit.result;
    const result = netIncomeOfStatement(statement, rules.params);
    this.netIncomes.set(statement, { params: rules.params, result });
    return result;
  }

  statementSettlement(record: RecordedStatement, K: Period, rules: RulesInForce): StatementSettlement {
    const caseKey = keyOf(K);
    const hit = this.settlements.get(record);
    const ikbMethod = ikbMethodOf(record, rules.policy);
    if (hit && hit.caseKey === caseKey && hit.params === rules.params && hit.ikbMethod === ikbMethod)
      return hit.settlement;
    const settlement = settleStatement(record, this.netIncome(record.statement, rules), K, ikbMethod);
    this.settlements.set(record, { caseKey, params: rules.params, ikbMethod, settlement });
    return settlement;
  }

  statementsLandingIn(state: HouseholdState, K: Period, months: ReadonlySet<YearMonth>): RecordedStatement[] {
    return this.indexOf(state, K).landingIn(months);
  }

  statementsThatMayFallOutside(state: HouseholdState, K: Period): RecordedStatement[] {
    return this.indexOf(state, K)
      .inForce()
      .filter((r) => mayFallOutsideCase(r.statement, K));
  }

  latestByRelationship(state: HouseholdState): LatestStatements {
    return this.latest.of(state);
  }

  monthUnchanged(state: HouseholdState, K: Period, rules: RulesInForce, month: YearMonth): boolean {
    const last = this.computed.get(month);
    const settled = state.months.get(month);
    return (
      last !== undefined &&
      settled !== undefined &&
      last.version === settled.version &&
      last.fingerprint === this.fingerprintOf(state, K, rules, month)
    );
  }

  monthComputed(state: HouseholdState, K: Period, rules: RulesInForce, month: YearMonth): void {
    const settled = state.months.get(month);
    if (settled)
      this.computed.set(month, { fingerprint: this.fingerprintOf(state, K, rules, month), version: settled.version });
  }

  save(): SavedEvaluation {
    const h = this.household;
    const saved: SavedEvaluation = {
      format: SAVED_EVALUATION_FORMAT,
      computed: [...this.computed].map(([month, c]) => [month, c.fingerprint, c.version]),
    };
    // The fingerprints stand for the index's statements and this household part (cleared whenever it changes).
    if (h && h.index === this.index && h.index.fingerprints.size > 0)
      saved.inputs = {
        household: h.fingerprint,
        params: this.layer.paramsFingerprintAt(h.params, OPEN_END),
        ...h.index.recorded,
        months: [...h.index.fingerprints].map(([month, fp]) => [
          month,
          this.computed.get(month)?.fingerprint === fp ? 0 : fp,
        ]),
      };
    return saved;
  }

  private indexOf(state: HouseholdState, K: Period): StatementIndex {
    if (!this.index || !this.index.isFor(state, K)) this.index = new StatementIndex(state, K);
    else this.index.update(state);
    return this.index;
  }

  /**
   * What a month is computed from: the engine, the policy, the case period, the compositions, the
   * disregard grants, the statement versions that can land in it (by date alone), and the parameter
   * rows in force by then (a row added for a later year changes no earlier month).
   */
  private fingerprintOf(state: HouseholdState, K: Period, rules: RulesInForce, month: YearMonth): string {
    const index = this.indexOf(state, K);
    const h = this.household;
    const facts = [
      state.members,
      state.compositions,
      state.disregardGrants,
      state.measures,
      state.declarations,
    ] as const;
    if (
      !h ||
      h.policy !== rules.policy ||
      h.params !== rules.params ||
      h.index !== index ||
      facts.some((f, i) => f !== h.facts[i])
    ) {
      // Declarations are few and can land in any month (and gifts depend on each other): all of them count.
      const text = JSON.stringify([
        ENGINE_VERSION,
        rules.policy,
        K,
        state.members,
        state.compositions,
        state.disregardGrants,
        state.measures,
        [...state.declarations],
      ]);
      this.household = { policy: rules.policy, params: rules.params, facts, index, fingerprint: fingerprint(text) };
      index.fingerprints.clear();
      const restored = this.restored;
      this.restored = null;
      if (
        restored &&
        restored.household === this.household.fingerprint &&
        restored.params === this.layer.paramsFingerprintAt(rules.params, OPEN_END)
      )
        index.restoreFingerprints(restored.months, restored);
    }
    let fp = index.fingerprints.get(month);
    if (fp === undefined) {
      const statements = index.landingIn(new Set([month]));
      // Net income uses the tables at each statement's period end, which may lie after the month.
      const horizon = statements.reduce(
        (d, r) => (r.statement.period.end > d ? r.statement.period.end : d),
        lastDay(month),
      );
      const ids = statements
        .map((r) => `${r.statement.messageId}#${r.sequence}`)
        .sort()
        .join(',');
      fp = fingerprint(
        `${this.household!.fingerprint}|${this.layer.paramsFingerprintAt(rules.params, horizon)}|${month}|${ids}`,
      );
      index.fingerprints.set(month, fp);
    }
    return fp;
  }
}

const keyOf = (K: Period) => `${K.start}/${K.end}`;

/** The inputs with every month's fingerprint spelled out (0 resolved from `computed`; left out when it is not there). */
function restoredMonths(inputs: SavedInputs, computed: ReadonlyMap<YearMonth, ComputedMonth>): RestoredInputs {
  const months: Array<[YearMonth, string]> = [];
  for (const [month, fp] of inputs.months) {
    const known = fp === 0 ? computed.get(month)?.fingerprint : fp;
    if (known !== undefined) months.push([month, known]);
  }
  return { ...inputs, months };
}

/** SavedInputs as the evaluation takes them over: every fingerprint spelled out. */
type RestoredInputs = Omit<SavedInputs, 'months'> & { months: Array<[YearMonth, string]> };

/** A snapshot is a cache: anything not of this shape is not taken over. */
function isSavedInputs(x: SavedInputs | undefined): x is SavedInputs {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.household === 'string' &&
    typeof x.params === 'string' &&
    Number.isInteger(x.statementCount) &&
    Number.isInteger(x.inForce) &&
    Array.isArray(x.months) &&
    x.months.every((m) => Array.isArray(m) && typeof m[0] === 'string' && (typeof m[1] === 'string' || m[1] === 0))
  );
}
