import { money, max, ZERO, fmt, type Money } from '../money.js';
import { addDays, dayNumber, firstDay, lastDay, monthOf, addMonths, sameDayInMonth, type IsoDate, type YearMonth } from '../dates.js';
import type { ParameterTables } from '../parameters.js';
import type { Policy } from '../schemas.js';
import { LegalRef, type TraceStep } from '../trace.js';
import { relationshipKey, type HouseholdState, type RecordedStatement } from '../household.js';
import { netIncomeOfStatement } from './netIncome.js';
import { disposalDate } from './allocation.js';

/** A relationship's last payment must be at most this many days before P to be projected (SPEC §6.2). */
export const PROJECTION_STALENESS_DAYS = 62;

export interface Projection {
  projectedNet: Money;
  perPerson: Map<string, Money>;
  step: TraceStep;
}

const specialPaymentsMemo = new WeakMap<RecordedStatement, boolean>();
/** Remembered per recorded statement (it never changes): every night asks it of every statement. */
function hasSpecialPayments(r: RecordedStatement): boolean {
  let has = specialPaymentsMemo.get(r);
  if (has === undefined) {
    const s = r.statement;
    has = [s.holidayAllowancePaid, s.ikbPaid, s.extraPeriodSalaryPaid].some((x) => !money(x).isZero());
    specialPaymentsMemo.set(r, has);
  }
  return has;
}

/** Later period end wins; on a tie the later recorded statement. */
function later(a: RecordedStatement, b: RecordedStatement): RecordedStatement {
  if (a.statement.period.end !== b.statement.period.end) return a.statement.period.end > b.statement.period.end ? a : b;
  return a.sequence > b.sequence ? a : b;
}

/**
 * Each relationship's latest statement, and latest without special payments, kept per household
 * between nights: when statements were only added since (no correction, no withdrawal), they are
 * folded in; otherwise it is rebuilt from all statements in force.
 */
interface LatestByRelationship {
  statementCount: number;
  inForce: number;
  maxSequence: number;
  latest: Map<string, RecordedStatement>;
  latestPlain: Map<string, RecordedStatement>;
}
const latestIndexes = new WeakMap<Map<string, RecordedStatement>, LatestByRelationship>();

function foldLatest(index: LatestByRelationship, r: RecordedStatement): void {
  const rel = relationshipKey(r.statement);
  const cur = index.latest.get(rel);
  index.latest.set(rel, cur ? later(cur, r) : r);
  if (!hasSpecialPayments(r)) {
    const curPlain = index.latestPlain.get(rel);
    index.latestPlain.set(rel, curPlain ? later(curPlain, r) : r);
  }
  index.maxSequence = Math.max(index.maxSequence, r.sequence);
}

function latestByRelationship(state: HouseholdState): LatestByRelationship {
  const known = latestIndexes.get(state.statementsInForce);
  if (known && known.statementCount === state.statementCount) return known;
  if (known) {
    const added: RecordedStatement[] = [];
    for (const r of state.statementsInForce.values()) if (r.sequence > known.maxSequence) added.push(r);
    // Every statement recorded since is a new entry: nothing was replaced or withdrawn.
    if (added.length === state.statementCount - known.statementCount && state.statementsInForce.size === known.inForce + added.length) {
      for (const r of added) foldLatest(known, r);
      known.statementCount = state.statementCount;
      known.inForce = state.statementsInForce.size;
      return known;
    }
  }
  const index: LatestByRelationship = { statementCount: state.statementCount, inForce: state.statementsInForce.size, maxSequence: 0, latest: new Map(), latestPlain: new Map() };
  for (const r of state.statementsInForce.values()) foldLatest(index, r);
  latestIndexes.set(state.statementsInForce, index);
  return index;
}

/** Expected disposal dates d_k (k = 0, 1, …) inside month P for a payroll period kind. */
export function expectedPaydaysIn(month: YearMonth, d: IsoDate, kind: RecordedStatement['statement']['period']['kind']): IsoDate[] {
  const start = firstDay(month);
  const end = lastDay(month);
  const out: IsoDate[] = [];
  if (kind === 'other') return d >= start && d <= end ? [d] : [];
  if (kind === 'month') {
    const day = Number(d.slice(8, 10));
    for (let m = monthOf(d); m <= month; m = addMonths(m, 1)) {
      const dk = sameDayInMonth(day, m);
      if (dk >= start && dk <= end) out.push(dk);
    }
    return out;
  }
  const step = kind === 'four-weeks' ? 28 : 7;
  for (let k = 0; ; k++) {
    const dk = addDays(d, step * k);
    if (dk > end) break;
    if (dk >= start) out.push(dk);
  }
  return out;
}

/** projectedNet_P: expected income of month P from each relationship's latest statement (SPEC §6.2). */
export function projectIncome(month: YearMonth, state: HouseholdState, params: ParameterTables, policy: Policy): Projection {
  const perPerson = new Map<string, Money>();
  if (policy.advance === 'full-norm') {
    return {
      projectedNet: ZERO,
      perPerson,
      step: { rule: 'projectedIncome', legalRef: LegalRef.advance, inputs: { policy: 'full-norm' }, result: { projectedNet: '0.00' } },
    };
  }
  const { latest, latestPlain } = latestByRelationship(state);
  const relationships: Array<Record<string, unknown>> = [];
  let total: Money = ZERO;
  for (const rel of [...latest.keys()].sort()) {
    const last = latest.get(rel)!;
    const s = last.statement;
    const d = disposalDate(s);
    const ended = s.relationshipEndDate !== undefined && s.relationshipEndDate < firstDay(month);
    const stale = dayNumber(firstDay(month)) - dayNumber(d) > PROJECTION_STALENESS_DAYS;
    if (ended || stale) {
      relationships.push({ incomeRelationshipId: s.incomeRelationshipId, skipped: ended ? 'relationship ended' : 'last payment more than 62 days before the month' });
      continue;
    }
    const basis = latestPlain.get(rel) ?? last;
    const perDate = max(ZERO, netIncomeOfStatement(basis.statement, params).net.netRegular);
    const dates = expectedPaydaysIn(month, d, s.period.kind);
    const amount = money(perDate.times(dates.length));
    total = money(total.plus(amount));
    perPerson.set(s.bsn, money((perPerson.get(s.bsn) ?? ZERO).plus(amount)));
    relationships.push({
      incomeRelationshipId: s.incomeRelationshipId,
      lastDisposalDate: d,
      periodKind: s.period.kind,
      basisMessageId: basis.statement.messageId,
      netRegularPerPayment: fmt(perDate),
      expectedPaydays: dates,
      projected: fmt(amount),
    });
  }
  return {
    projectedNet: total,
    perPerson,
    step: { rule: 'projectedIncome', legalRef: LegalRef.advance, inputs: { month, relationships }, result: { projectedNet: fmt(total) } },
  };
}
