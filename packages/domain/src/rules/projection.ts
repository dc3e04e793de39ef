import { money, max, ZERO, fmt, type Money } from '../money.js';
import { addDays, dayNumber, firstDay, lastDay, monthOf, addMonths, sameDayInMonth, type IsoDate, type YearMonth } from '../dates.js';
import type { PolisIncomeStatement, Policy } from '../schemas.js';
import { LegalRef, type TraceStep } from '../trace.js';
import { relationshipKey, type RecordedStatement } from '../household.js';
import type { NetIncome } from './netIncome.js';
import { disposalDate } from './allocation.js';

/** A relationship's last payment must be at most this many days before P to be projected (SPEC §6.2). */
export const PROJECTION_STALENESS_DAYS = 62;

export interface Projection {
  projectedNet: Money;
  perPerson: Map<string, Money>;
  step: TraceStep;
}

/** Holiday allowance, IKB or extra period salary paid: such a statement is no basis for regular pay. */
export function hasSpecialPayments(s: PolisIncomeStatement): boolean {
  return [s.holidayAllowancePaid, s.ikbPaid, s.extraPeriodSalaryPaid].some((x) => !money(x).isZero());
}

/** Later period end wins; on a tie the later recorded statement. */
export function laterStatement(a: RecordedStatement, b: RecordedStatement): RecordedStatement {
  if (a.statement.period.end !== b.statement.period.end) return a.statement.period.end > b.statement.period.end ? a : b;
  return a.sequence > b.sequence ? a : b;
}

/** Each income relationship's latest statement in force, and its latest without special payments. */
export interface LatestStatements {
  latest: ReadonlyMap<string, RecordedStatement>;
  latestPlain: ReadonlyMap<string, RecordedStatement>;
}

export function latestStatementsByRelationship(statements: Iterable<RecordedStatement>): LatestStatements {
  const latest = new Map<string, RecordedStatement>();
  const latestPlain = new Map<string, RecordedStatement>();
  for (const r of statements) {
    const rel = relationshipKey(r.statement);
    const cur = latest.get(rel);
    latest.set(rel, cur ? laterStatement(cur, r) : r);
    if (!hasSpecialPayments(r.statement)) {
      const curPlain = latestPlain.get(rel);
      latestPlain.set(rel, curPlain ? laterStatement(curPlain, r) : r);
    }
  }
  return { latest, latestPlain };
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
export function projectIncome(month: YearMonth, statements: LatestStatements, netIncomeOf: (s: PolisIncomeStatement) => NetIncome, policy: Policy): Projection {
  const perPerson = new Map<string, Money>();
  if (policy.advance === 'full-norm') {
    return {
      projectedNet: ZERO,
      perPerson,
      step: { rule: 'projectedIncome', legalRef: LegalRef.advance, inputs: { policy: 'full-norm' }, result: { projectedNet: '0.00' } },
    };
  }
  const { latest, latestPlain } = statements;
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
    const perDate = max(ZERO, netIncomeOf(basis.statement).netRegular);
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
