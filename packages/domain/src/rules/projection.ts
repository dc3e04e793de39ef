import { money, max, ZERO, fmt, type Money } from '../money.js';
import {
  addDays,
  dayNumber,
  firstDay,
  lastDay,
  monthOf,
  addMonths,
  sameDayInMonth,
  type IsoDate,
  type YearMonth,
} from '../dates.js';
import type { OtherIncomeDeclared, PolisIncomeStatement, Policy } from '../schemas.js';
import { policyFor } from '../parameters.js';
import { LegalRef, type TraceStep } from '../trace.js';
import { relationshipKey, type RecordedStatement } from '../household.js';
import type { NetIncome } from './netIncome.js';
import { disposalDate } from './allocation.js';

/** A relationship's last payment must be at most this many days before P to be projected (SPEC §6.2). */
export const PROJECTION_STALENESS_DAYS = 62;

export interface Projection {
  projectedNet: Money;
  perPerson: Map<string, Money>;
  workPerPerson: Map<string, Money>;
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
export function expectedPaydaysIn(
  month: YearMonth,
  d: IsoDate,
  kind: RecordedStatement['statement']['period']['kind'],
): IsoDate[] {
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

/**
 * The expected income of month P (SPEC §6.2), per person: from each income relationship's latest
 * statement in force (payslips included), and each member's latest alimony declaration recurring
 * monthly. `workPerPerson` holds the part from employment (income from work: disregard, buffer).
 */
export function projectIncome(
  month: YearMonth,
  statements: LatestStatements,
  netIncomeOf: (s: PolisIncomeStatement) => NetIncome,
  policy: Policy,
  declarations: Iterable<OtherIncomeDeclared> = [],
): Projection {
  const perPerson = new Map<string, Money>();
  const workPerPerson = new Map<string, Money>();
  if (policyFor(policy, month).advance === 'full-norm') {
    return {
      projectedNet: ZERO,
      perPerson,
      workPerPerson,
      step: {
        rule: 'projectedIncome',
        legalRef: LegalRef.advance,
        inputs: { policy: 'full-norm' },
        result: { projectedNet: '0.00' },
      },
    };
  }
  const add = (map: Map<string, Money>, bsn: string, amount: Money) =>
    map.set(bsn, money((map.get(bsn) ?? ZERO).plus(amount)));
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
      relationships.push({
        incomeRelationshipId: s.incomeRelationshipId,
        skipped: ended ? 'relationship ended' : 'last payment more than 62 days before the month',
      });
      continue;
    }
    const basis = latestPlain.get(rel) ?? last;
    const perDate = max(ZERO, netIncomeOf(basis.statement).netRegular);
    const dates = expectedPaydaysIn(month, d, s.period.kind);
    const amount = money(perDate.times(dates.length));
    total = money(total.plus(amount));
    add(perPerson, s.bsn, amount);
    if (s.incomeKind === 'employment') add(workPerPerson, s.bsn, amount);
    relationships.push({
      incomeRelationshipId: s.incomeRelationshipId,
      incomeKind: s.incomeKind,
      source: s.source,
      lastDisposalDate: d,
      periodKind: s.period.kind,
      basisMessageId: basis.statement.messageId,
      netRegularPerPayment: fmt(perDate),
      expectedPaydays: dates,
      projected: fmt(amount),
    });
  }
  const alimony: Array<Record<string, unknown>> = [];
  for (const [bsn, d] of latestAlimonyByMember(declarations)) {
    if (dayNumber(firstDay(month)) - dayNumber(d.receivedOn) > PROJECTION_STALENESS_DAYS) continue;
    const dates = expectedPaydaysIn(month, d.receivedOn, 'month');
    const amount = money(money(d.amount).times(dates.length));
    total = money(total.plus(amount));
    add(perPerson, bsn, amount);
    alimony.push({
      declarationId: d.declarationId,
      receivedOn: d.receivedOn,
      amountPerMonth: d.amount,
      expectedDates: dates,
      projected: fmt(amount),
    });
  }
  return {
    projectedNet: total,
    perPerson,
    workPerPerson,
    step: {
      rule: 'projectedIncome',
      legalRef: LegalRef.advance,
      inputs: { month, relationships, ...(alimony.length > 0 ? { alimony } : {}) },
      result: { projectedNet: fmt(total) },
    },
  };
}

/** Each member's latest alimony declaration (latest receivedOn, then declarationId): projected monthly (SPEC §6.2). */
export function latestAlimonyByMember(declarations: Iterable<OtherIncomeDeclared>): Map<string, OtherIncomeDeclared> {
  const latest = new Map<string, OtherIncomeDeclared>();
  for (const d of declarations) {
    if (d.kind !== 'alimony') continue;
    const cur = latest.get(d.bsn);
    if (
      !cur ||
      d.receivedOn > cur.receivedOn ||
      (d.receivedOn === cur.receivedOn && d.declarationId > cur.declarationId)
    )
      latest.set(d.bsn, d);
  }
  return new Map([...latest].sort(([a], [b]) => (a < b ? -1 : 1)));
}
