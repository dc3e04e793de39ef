import type { Period, YearMonth } from '../dates.js';
import type { HouseholdState, RecordedStatement } from '../household.js';
import { targetMonths } from '../rules/allocation.js';

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
