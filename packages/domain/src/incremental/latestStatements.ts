import type { HouseholdState, RecordedStatement } from '../household.js';
import { relationshipKey } from '../household.js';
import {
  hasSpecialPayments,
  laterStatement,
  latestStatementsByRelationship,
  type LatestStatements,
} from '../rules/projection.js';

/**
 * Each relationship's latest statement (and latest without special payments) of one household, kept
 * between nights: statements only added since (no correction, no withdrawal) are folded in with the
 * rule's own `laterStatement`; anything else rebuilds it with `latestStatementsByRelationship`.
 */
export class LatestStatementsIndex {
  private inForceMap: HouseholdState['statementsInForce'] | null = null;
  private statementCount = 0;
  private inForceSize = 0;
  private maxSequence = 0;
  private latest = new Map<string, RecordedStatement>();
  private latestPlain = new Map<string, RecordedStatement>();

  of(state: HouseholdState): LatestStatements {
    if (this.inForceMap === state.statementsInForce && this.statementCount === state.statementCount) return this.view();
    if (this.inForceMap === state.statementsInForce) {
      const added = [...state.statementsInForce.values()].filter((r) => r.sequence > this.maxSequence);
      if (
        added.length === state.statementCount - this.statementCount &&
        state.statementsInForce.size === this.inForceSize + added.length
      ) {
        for (const r of added) this.fold(r);
        this.remember(state);
        return this.view();
      }
    }
    const rebuilt = latestStatementsByRelationship(state.statementsInForce.values());
    this.latest = new Map(rebuilt.latest);
    this.latestPlain = new Map(rebuilt.latestPlain);
    this.maxSequence = [...state.statementsInForce.values()].reduce((m, r) => Math.max(m, r.sequence), 0);
    this.inForceMap = state.statementsInForce;
    this.remember(state);
    return this.view();
  }

  private fold(r: RecordedStatement): void {
    const rel = relationshipKey(r.statement);
    const cur = this.latest.get(rel);
    this.latest.set(rel, cur ? laterStatement(cur, r) : r);
    if (!hasSpecialPayments(r.statement)) {
      const plain = this.latestPlain.get(rel);
      this.latestPlain.set(rel, plain ? laterStatement(plain, r) : r);
    }
    this.maxSequence = Math.max(this.maxSequence, r.sequence);
  }

  private remember(state: HouseholdState): void {
    this.statementCount = state.statementCount;
    this.inForceSize = state.statementsInForce.size;
  }

  private view(): LatestStatements {
    return { latest: this.latest, latestPlain: this.latestPlain };
  }
}
