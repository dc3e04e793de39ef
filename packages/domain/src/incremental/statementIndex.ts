import type { Period, YearMonth } from '../dates.js';
import type { HouseholdState, RecordedStatement } from '../household.js';
import { targetMonths } from '../rules/allocation.js';

/** How many statements were recorded and how many were in force. */
export interface IndexedStatements {
  statementCount: number;
  inForce: number;
}

/**
 * The statements in force of one household by target month, for one case period, kept while the
 * household records statements: most nights record none, and every night asks for every month. Also
 * holds the month fingerprints computed from it; a statement added, replaced or withdrawn drops the
 * fingerprints of the months it lands in.
 */
export class StatementIndex {
  private readonly targets = new Map<RecordedStatement, YearMonth[]>();
  private readonly byMonth = new Map<YearMonth, RecordedStatement[]>();
  readonly fingerprints = new Map<YearMonth, string>();
  private readonly inForceMap: HouseholdState['statementsInForce'];
  private readonly caseKey: string;
  private statementCount: number;
  /** The recorded statements this index and its fingerprints stand for: a snapshot keeps the fingerprints with it. */
  get recorded(): IndexedStatements {
    return { statementCount: this.statementCount, inForce: this.targets.size };
  }

  constructor(
    state: HouseholdState,
    private readonly K: Period,
  ) {
    this.inForceMap = state.statementsInForce;
    this.caseKey = `${K.start}/${K.end}`;
    this.statementCount = state.statementCount;
    for (const r of state.statementsInForce.values()) this.add(r);
  }

  isFor(state: HouseholdState, K: Period): boolean {
    return this.inForceMap === state.statementsInForce && this.caseKey === `${K.start}/${K.end}`;
  }

  /** Statements recorded since: only the months the added or replaced statements land in lose their fingerprint. */
  update(state: HouseholdState): void {
    if (this.statementCount === state.statementCount) return;
    const added = [...state.statementsInForce.values()].filter((r) => !this.targets.has(r));
    // Unless every statement recorded since is a new entry, some were replaced or withdrawn: find them.
    if (
      added.length !== state.statementCount - this.statementCount ||
      state.statementsInForce.size !== this.targets.size + added.length
    ) {
      const inForce = new Set(state.statementsInForce.values());
      for (const [r, months] of this.targets) {
        if (inForce.has(r)) continue;
        this.targets.delete(r);
        for (const m of months) {
          this.byMonth.set(
            m,
            (this.byMonth.get(m) ?? []).filter((x) => x !== r),
          );
          this.fingerprints.delete(m);
        }
      }
    }
    for (const r of added) this.add(r);
    this.statementCount = state.statementCount;
  }

  /**
   * Month fingerprints kept by a snapshot when this index stood at `recorded`: the months the
   * statements recorded since land in are left out (computed again). When anything recorded since was
   * not a new entry (a correction, a withdrawal, a payslip behind a polis), the months the statement it
   * replaced landed in are no longer known: nothing is taken over.
   */
  restoreFingerprints(fingerprints: ReadonlyArray<[YearMonth, string]>, recorded: IndexedStatements): void {
    const added = [...this.targets.keys()].filter((r) => r.sequence > recorded.statementCount);
    if (
      added.length !== this.statementCount - recorded.statementCount ||
      this.targets.size !== recorded.inForce + added.length
    )
      return;
    const changed = new Set(added.flatMap((r) => this.targets.get(r)!));
    for (const [month, fp] of fingerprints) if (!changed.has(month)) this.fingerprints.set(month, fp);
  }

  /** The statements in force that land in any of these months, in recording order. */
  landingIn(months: ReadonlySet<YearMonth>): RecordedStatement[] {
    const found = new Set<RecordedStatement>();
    for (const m of months) for (const r of this.byMonth.get(m) ?? []) found.add(r);
    return [...found].sort((a, b) => a.sequence - b.sequence);
  }

  inForce(): RecordedStatement[] {
    return [...this.targets.keys()].sort((a, b) => a.sequence - b.sequence);
  }

  private add(r: RecordedStatement): void {
    const months = targetMonths(r.statement, this.K);
    this.targets.set(r, months);
    for (const m of months) {
      const list = this.byMonth.get(m);
      if (list) list.push(r);
      else this.byMonth.set(m, [r]);
      this.fingerprints.delete(m);
    }
  }
}
