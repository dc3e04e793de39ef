import { ratio, fmt, ZERO, money, type Money } from '../money.js';
import {
  days,
  intersect,
  contains,
  monthOf,
  monthlyDayCounts,
  type IsoDate,
  type Period,
  type YearMonth,
} from '../dates.js';
import type { PolisIncomeStatement, Policy } from '../schemas.js';
import type { ParameterUsed } from '../parameters.js';
import type { RecordedStatement } from '../household.js';
import { LegalRef, type TraceStep } from '../trace.js';
import {
  componentsForSettlement,
  type SettlementComponent,
  type ComponentKind,
  type ComponentCategory,
  type ComponentIncomeKind,
  type NetIncome,
  type NetIncomeOfStatement,
} from './netIncome.js';

/** Which clause of the clarified transaction system placed the income (001 measure 17). */
export type AllocationRule = 'a' | 'c' | 'd' | 'none';

export interface MonthlyShare {
  month: YearMonth;
  kind: ComponentKind;
  category: ComponentCategory;
  /** `employment` is income from work (disregard, buffer); `benefit` and `declared` count in full. */
  incomeKind: ComponentIncomeKind;
  /** Whose income it is: the entitled members' income and a non-entitled partner's are apart (SPEC §5.3, §5.5). */
  bsn: string;
  amount: Money;
}

export interface Allocation {
  rule: AllocationRule;
  shares: MonthlyShare[];
  /** Earned outside the case period: not income, possibly assets (SPEC §4.1, §8). */
  excludedOutsideCase: Money;
  disposalDate: IsoDate;
  steps: TraceStep[];
}

/** d = paymentDate ?? period.end: when the money was at the person's disposal. */
export function disposalDate(s: Pick<PolisIncomeStatement, 'paymentDate' | 'period'>): IsoDate {
  return s.paymentDate ?? s.period.end;
}

/**
 * Spread X over months with day counts c_i: month i < n gets round(X × c_i / c), the last month gets
 * the remainder, so the parts add up exactly (SPEC §4.3).
 */
export function spreadOverMonths(
  x: Money,
  months: ReadonlyArray<{ month: YearMonth; days: number }>,
): Array<{ month: YearMonth; amount: Money }> {
  const total = months.reduce((t, m) => t + m.days, 0);
  const out: Array<{ month: YearMonth; amount: Money }> = [];
  let allocated: Money = ZERO;
  months.forEach((m, i) => {
    const amount = i < months.length - 1 ? ratio(x, m.days, total) : money(x.minus(allocated));
    allocated = money(allocated.plus(amount));
    out.push({ month: m.month, amount });
  });
  return out;
}

/** Rule (b): only the part earned in the case period counts: X' = round(X × days(W ∩ K) / days(W)). */
export function onlyTheCasePeriod(x: Money, work: Period, casePeriod: Period): Money {
  const inside = days(intersect(work, casePeriod));
  const total = days(work);
  if (inside === total) return x;
  return ratio(x, inside, total);
}

/** What income is allocated for: a statement or a declaration (SPEC §4.5), named in the trace by its id. */
export interface AllocationSubject {
  reference: { messageId: string } | { declarationId: string };
  bsn: string;
  /** W: the period the income was earned in. */
  work: Period;
  /** d: when the money was at the person's disposal. */
  disposal: IsoDate;
  intendedFor?: Period | undefined;
}

/** Allocate the settlement components of one statement to months (SPEC §4, rules a–d). */
export function allocateStatement(
  s: PolisIncomeStatement,
  components: readonly SettlementComponent[],
  casePeriod: Period,
): Allocation {
  return allocateIncome(
    {
      reference: { messageId: s.messageId },
      bsn: s.bsn,
      work: { start: s.period.start, end: s.period.end },
      disposal: disposalDate(s),
      intendedFor: s.intendedFor,
    },
    components,
    casePeriod,
  );
}

/** SPEC §4.1–4.3: only the case period (b), then the target months by rule d, a or c, spread by days. */
export function allocateIncome(
  subject: AllocationSubject,
  components: readonly SettlementComponent[],
  casePeriod: Period,
): Allocation {
  const { work, intendedFor, reference } = subject;
  const d = subject.disposal;
  const workInCase = intersect(work, casePeriod);
  const steps: TraceStep[] = [];
  let excluded: Money = ZERO;

  const counted = components.map((c) => {
    const inCase = onlyTheCasePeriod(c.amount, work, casePeriod);
    excluded = money(excluded.plus(c.amount.minus(inCase)));
    return { ...c, amount: inCase };
  });
  steps.push({
    rule: 'allocation.b.onlyTheCasePeriod',
    legalRef: LegalRef.caseOnly,
    inputs: {
      ...reference,
      workPeriod: `${work.start}/${work.end}`,
      casePeriod: `${casePeriod.start}/${casePeriod.end}`,
      daysWorked: days(work),
      daysInCase: days(workInCase),
    },
    result: { counted: fmtComponents(counted), excludedOutsideCase: fmt(excluded) },
  });

  let rule: AllocationRule;
  let targets: Array<{ month: YearMonth; days: number }>;
  if (intendedFor) {
    rule = 'd';
    const intended = intersect(intendedFor, casePeriod);
    if (!intended) {
      // Meant for periods wholly outside the case: none of it is income of the case.
      excluded = money(excluded.plus(counted.reduce((t, c) => t.plus(c.amount), ZERO)));
      steps.push({
        rule: 'allocation.d.intendedForFuturePeriods',
        legalRef: LegalRef.ruleD,
        inputs: { intendedFor: `${intendedFor.start}/${intendedFor.end}` },
        result: { months: [], excludedOutsideCase: fmt(excluded) },
      });
      return { rule: 'none', shares: [], excludedOutsideCase: excluded, disposalDate: d, steps };
    }
    targets = monthlyDayCounts(intended);
  } else if (contains(casePeriod, d)) {
    rule = 'a';
    targets = [{ month: monthOf(d), days: 1 }];
  } else {
    rule = 'c';
    targets = workInCase ? monthlyDayCounts(workInCase) : [];
  }

  const shares: MonthlyShare[] = [];
  for (const c of counted) {
    if (targets.length === 0) continue;
    for (const part of spreadOverMonths(c.amount, targets)) {
      shares.push({
        month: part.month,
        kind: c.kind,
        category: c.category,
        incomeKind: c.incomeKind,
        bsn: subject.bsn,
        amount: part.amount,
      });
    }
  }
  const ruleNames = {
    a: 'allocation.a.disposalMonth',
    c: 'allocation.c.earnedInCaseReceivedAfter',
    d: 'allocation.d.intendedForFuturePeriods',
  } as const;
  const refs = { a: LegalRef.ruleA, c: LegalRef.ruleC, d: LegalRef.ruleD } as const;
  steps.push({
    rule: ruleNames[rule],
    legalRef: refs[rule],
    inputs: {
      ...reference,
      disposalDate: d,
      ...(intendedFor ? { intendedFor: `${intendedFor.start}/${intendedFor.end}` } : {}),
    },
    result: { shares: shares.map((x) => ({ month: x.month, kind: x.kind, amount: fmt(x.amount) })) },
  });
  return { rule, shares, excludedOutsideCase: excluded, disposalDate: d, steps };
}

function fmtComponents(cs: ReadonlyArray<{ kind: string; amount: Money }>): Record<string, string> {
  return Object.fromEntries(cs.map((c) => [c.kind, fmt(c.amount)]));
}

/**
 * The months a statement's income can land in, from dates alone (no amounts): the same choice of rule
 * as allocateStatement. Used to know which months a new or corrected statement can change.
 */
export function targetMonths(
  s: Pick<PolisIncomeStatement, 'paymentDate' | 'period' | 'intendedFor'>,
  casePeriod: Period,
): YearMonth[] {
  if (s.intendedFor) {
    const intended = intersect(s.intendedFor, casePeriod);
    return intended ? monthlyDayCounts(intended).map((m) => m.month) : [];
  }
  const d = disposalDate(s);
  if (contains(casePeriod, d)) return [monthOf(d)];
  const workInCase = intersect({ start: s.period.start, end: s.period.end }, casePeriod);
  return workInCase ? monthlyDayCounts(workInCase).map((m) => m.month) : [];
}

/** Whether any part of the statement can fall outside the case period (cheap pre-check for the alert). */
export function mayFallOutsideCase(
  s: Pick<PolisIncomeStatement, 'period' | 'intendedFor'>,
  casePeriod: Period,
): boolean {
  if (s.period.start < casePeriod.start || s.period.end > casePeriod.end) return true;
  return s.intendedFor !== undefined && intersect(s.intendedFor, casePeriod) === null;
}

/** Income allocated to months with the trace that explains it: a statement's or a declaration's. */
export interface IncomeSettlement {
  reference: AllocationSubject['reference'];
  allocation: Allocation;
  steps: TraceStep[];
  parameters: ParameterUsed[];
}

/** A recorded statement's net income (SPEC §3) and its allocation to months (SPEC §4), with their trace. */
export interface StatementSettlement extends IncomeSettlement {
  record: RecordedStatement;
  net: NetIncome;
}

/** SPEC §3 then §4 for one recorded statement: the components the IKB method settles, allocated to months. */
export function settleStatement(
  record: RecordedStatement,
  net: NetIncomeOfStatement,
  casePeriod: Period,
  ikbMethod: Policy['ikbMethod'],
): StatementSettlement {
  const allocation = allocateStatement(
    record.statement,
    componentsForSettlement(net.net, ikbMethod, record.statement.incomeKind),
    casePeriod,
  );
  return {
    reference: { messageId: record.statement.messageId },
    record,
    net: net.net,
    allocation,
    steps: [net.step, ...allocation.steps],
    parameters: net.parameters,
  };
}

/** One statement's or declaration's share of one month's income. */
export interface ShareOfMonth {
  settlement: IncomeSettlement;
  share: MonthlyShare;
}

/** The shares of the settlements, by target month, in the order of the settlements given. */
export function sharesByMonth(settlements: readonly IncomeSettlement[]): Map<YearMonth, ShareOfMonth[]> {
  const byMonth = new Map<YearMonth, ShareOfMonth[]>();
  for (const settlement of settlements) {
    for (const share of settlement.allocation.shares) {
      const list = byMonth.get(share.month);
      if (list) list.push({ settlement, share });
      else byMonth.set(share.month, [{ settlement, share }]);
    }
  }
  return byMonth;
}
