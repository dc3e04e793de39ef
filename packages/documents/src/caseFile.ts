import {
  fmt,
  legalRefText,
  money,
  ZERO,
  type Money,
  monthOf,
  type AlertRaised,
  type BufferDrawn,
  type BufferNotDrawn,
  type HouseholdEvent,
  type LegalReference,
  type MonthSettled,
  type PaymentMade,
  type PaymentProposed,
  type TraceStep,
  type YearMonth,
} from '@bijstand/domain';
import { maskBsn } from '@bijstand/platform';

/**
 * Everything the people who act on a household read (objection file, resident letter, workplace),
 * folded from its events as recorded up to an instant. Pure: no store, no clock. Never a BSN in clear.
 */
export interface CaseFile {
  householdId: string;
  asOf: string;
  members: Array<{ role: 'applicant' | 'partner'; maskedBsn: string; entitled: boolean }>;
  caseStart: string | null;
  caseEnd: string | null;
  compositions: Array<{ from: string; category: string; costSharers: number }>;
  months: CaseMonth[];
  /** Every legal basis cited by a decision in this file, once, in order of first use. */
  legalBases: LegalReference[];
  ledgerBalance: string;
  reserveBalance: string;
  buffer: Array<{ year: string; drawn: string; remaining: string }>;
  alerts: AlertRaised['data'][];
  /** Every change of the ledger and the holiday reserve balance, in the order it was decided (dated journal). */
  journal: JournalEntry[];
}

/** One line of the journal of the ledger (L) and the holiday reserve balance (RB), SPEC §6. */
export interface JournalEntry {
  date: string;
  month: YearMonth;
  /** A month settled (its version), or a payment made. */
  kind: 'settlement' | 'payment';
  version?: number;
  ledgerChange: string;
  reserveChange: string;
  ledgerBalanceAfter: string;
  reserveBalanceAfter: string;
  /** Payment only: the claim offset against it and the holiday allowance paid out. */
  offset?: string;
  holidayPayout?: string;
  /** Payment only: the part of the offset the bufferbudget paid (art. 34b). */
  bufferDraw?: string;
}

/** One income the advance of a month expected (SPEC §6.2 projection), or a source it left out and why. */
export interface ExpectedIncome {
  name: string;
  kind: IncomeSource['kind'];
  role: IncomeSource['role'];
  /** The statement or declaration the amount per payment was taken from. */
  basis: string;
  perPayment: string;
  dates: string[];
  amount: string;
  /** Why it was not expected (the relationship ended, or its last payment is too old). */
  skipped?: string;
}

export interface IncomeSource {
  /** Employer or benefit agency as the polis names it; or the kind of declared income. */
  name: string;
  kind: 'employment' | 'benefit' | 'alimony' | 'gift' | 'contribution' | 'other';
  /** Who received it: applicant or partner (never a BSN). */
  role: 'applicant' | 'partner' | 'unknown';
  amount: string;
  /** How the month was chosen: SPEC §4 rule a–d, or 'declared'. */
  rule: 'a' | 'b' | 'c' | 'd' | 'declared';
  messageId: string;
  disposalDate?: string;
  /** A polis statement's kind (initial, correction) and when it was recorded: which fact arrived when. */
  statementKind?: 'initial' | 'correction' | 'withdrawal';
  recordedAt?: string;
}

/** One recorded version of a month's settlement with the income it counted. */
export interface SettlementVersion {
  settled: MonthSettled['data'];
  income: IncomeSource[];
}

export interface CaseMonth {
  month: YearMonth;
  settlement?: MonthSettled['data'];
  /** How many versions of the settlement were recorded (a correction adds one). */
  settlementVersions: number;
  income: IncomeSource[];
  /** The nightly run's proposal (advance, holiday payout, offset) that the payment made final. */
  proposal?: PaymentProposed['data'];
  payment?: PaymentMade['data'];
  buffer?: BufferDrawn['data'] | BufferNotDrawn['data'];
  alerts: AlertRaised['data'][];
  /** Every version of the settlement as recorded, oldest first (the last is `settlement`). */
  versions: SettlementVersion[];
  /** The income the advance expected (the proposal's projection); empty under policy full-norm. */
  expected: ExpectedIncome[];
  /** The policy behind the advance: projected income, or the full norm. */
  advancePolicy?: 'projected' | 'full-norm';
}

const ALLOCATION_RULES: Record<string, IncomeSource['rule']> = {
  'allocation.a.disposalMonth': 'a',
  'allocation.c.earnedInCaseReceivedAfter': 'c',
  'allocation.d.intendedForFuturePeriods': 'd',
};

export const isAllocationStep = (s: TraceStep): boolean =>
  s.rule in ALLOCATION_RULES || s.rule === 'allocation.b.onlyTheCasePeriod';

function monthsBetween(from: YearMonth, to: YearMonth): YearMonth[] {
  const out: YearMonth[] = [];
  for (
    let [y, m] = from.split('-').map(Number) as [number, number];
    `${y}-${String(m).padStart(2, '0')}` <= to;
    m === 12 ? ((y += 1), (m = 1)) : (m += 1)
  )
    out.push(`${y}-${String(m).padStart(2, '0')}`);
  return out;
}

/** The case file of a household from its events recorded up to `asOf` (the caller reads them as of then). */
export function caseFileOf(householdId: string, asOf: string, events: readonly HouseholdEvent[]): CaseFile {
  const roleOfBsn = new Map<string, 'applicant' | 'partner'>();
  const statements = new Map<string, Statement>();
  const declarations = new Map<string, { kind: 'alimony' | 'gift' | 'contribution' | 'other'; bsn: string }>();
  const file: CaseFile = {
    householdId,
    asOf,
    members: [],
    caseStart: null,
    caseEnd: null,
    compositions: [],
    months: [],
    legalBases: [],
    ledgerBalance: '0.00',
    reserveBalance: '0.00',
    buffer: [],
    alerts: [],
    journal: [],
  };
  const months = new Map<YearMonth, CaseMonth>();
  const monthOfFile = (m: YearMonth) => {
    let cm = months.get(m);
    if (!cm)
      months.set(m, (cm = { month: m, settlementVersions: 0, income: [], alerts: [], versions: [], expected: [] }));
    return cm;
  };
  const bufferByYear = new Map<string, { drawn: Money; remaining: string }>();

  for (const e of events) {
    switch (e.type) {
      case 'CaseOpened':
        file.caseStart = e.data.startDate;
        file.members = e.data.members.map((m) => ({
          role: m.role,
          maskedBsn: maskBsn(m.bsn),
          entitled: m.entitled !== false,
        }));
        for (const m of e.data.members) roleOfBsn.set(m.bsn, m.role);
        file.compositions.push({ from: e.data.startDate, category: e.data.category, costSharers: e.data.costSharers });
        break;
      case 'HouseholdChanged':
        file.compositions.push({
          from: e.data.effectiveDate,
          category: e.data.category,
          costSharers: e.data.costSharers,
        });
        break;
      case 'CaseClosed':
        file.caseEnd = e.data.endDate;
        break;
      case 'IncomeStatementRecorded': {
        const s = e.data.statement;
        statements.set(s.messageId, {
          employer: s.employer.name ?? `loonheffingennummer ${s.employer.payrollTaxNumber}`,
          kind: s.incomeKind ?? 'employment',
          bsn: s.bsn,
          relationship: s.incomeRelationshipId,
          statementKind: s.kind,
          recordedAt: e.data.recordedAt,
        });
        break;
      }
      case 'OtherIncomeDeclared':
        declarations.set(e.data.declarationId, { kind: e.data.kind, bsn: e.data.bsn });
        break;
      case 'MonthSettled': {
        const cm = monthOfFile(e.data.month);
        cm.settlement = e.data;
        cm.settlementVersions++;
        cm.versions.push({ settled: e.data, income: [] });
        file.ledgerBalance = e.data.ledgerBalanceAfter;
        file.reserveBalance = e.data.reserveBalanceAfter;
        file.journal.push({
          date: e.data.runDate,
          month: e.data.month,
          kind: 'settlement',
          version: e.data.version,
          ledgerChange: e.data.assistanceChange,
          reserveChange: e.data.reserveChange,
          ledgerBalanceAfter: e.data.ledgerBalanceAfter,
          reserveBalanceAfter: e.data.reserveBalanceAfter,
        });
        break;
      }
      case 'PaymentProposed':
        monthOfFile(e.data.month).proposal = e.data;
        break;
      case 'PaymentMade':
        monthOfFile(e.data.month).payment = e.data;
        file.ledgerBalance = e.data.ledgerBalanceAfter;
        file.reserveBalance = e.data.reserveBalanceAfter;
        file.journal.push({
          date: e.data.runDate,
          month: e.data.month,
          kind: 'payment',
          ledgerChange: e.data.ledgerChange,
          reserveChange: e.data.reserveChange,
          ledgerBalanceAfter: e.data.ledgerBalanceAfter,
          reserveBalanceAfter: e.data.reserveBalanceAfter,
          offset: e.data.offset,
          holidayPayout: e.data.holidayPayout,
          bufferDraw: e.data.bufferDraw,
        });
        break;
      case 'BufferDrawn': {
        monthOfFile(e.data.month).buffer = e.data;
        const y = bufferByYear.get(e.data.year) ?? { drawn: ZERO, remaining: e.data.remainingAfter };
        bufferByYear.set(e.data.year, { drawn: money(y.drawn.plus(e.data.amount)), remaining: e.data.remainingAfter });
        break;
      }
      case 'BufferNotDrawn':
        monthOfFile(e.data.month).buffer = e.data;
        break;
      case 'AlertRaised':
        monthOfFile(e.data.month).alerts.push(e.data);
        file.alerts.push(e.data);
        break;
      default:
        break;
    }
  }

  // Months of the case up to the as-of month that nothing has decided yet are shown as not settled.
  if (file.caseStart) {
    const last = [monthOf(asOf.slice(0, 10)), ...(file.caseEnd ? [monthOf(file.caseEnd)] : [])].sort()[0]!;
    for (const m of monthsBetween(monthOf(file.caseStart), last)) monthOfFile(m);
  }
  for (const cm of months.values()) {
    if (cm.settlement) cm.income = incomeSources(cm.settlement.explanation.steps, statements, declarations, roleOfBsn);
    for (const v of cm.versions)
      v.income = incomeSources(v.settled.explanation.steps, statements, declarations, roleOfBsn);
    const projection = cm.payment
      ? cm.proposal?.explanation.steps.find((s) => s.rule === 'projectedIncome')
      : undefined;
    if (projection) {
      cm.advancePolicy = projection.inputs.policy === 'full-norm' ? 'full-norm' : 'projected';
      cm.expected = expectedIncome(projection, statements, declarations, roleOfBsn);
    }
  }
  file.months = [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
  // Cited once, in the order of the months, so the list reads as the report does.
  const ordered = new Map<string, LegalReference>();
  for (const cm of file.months)
    for (const s of [...(cm.settlement?.explanation.steps ?? []), ...paymentSteps(cm)])
      if (!ordered.has(legalRefText(s.legalRef))) ordered.set(legalRefText(s.legalRef), s.legalRef);
  file.legalBases = [...ordered.values()];
  file.buffer = [...bufferByYear].sort().map(([year, b]) => ({ year, drawn: fmt(b.drawn), remaining: b.remaining }));
  file.alerts.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.kind < b.kind ? -1 : 1));
  return file;
}

type Share = {
  messageId?: string;
  declarationId?: string;
  kind: string;
  incomeKind: string;
  entitled: boolean;
  amount: string;
};

/** The income that counted in a month, per statement or declaration, with the rule that put it there. */
function incomeSources(
  steps: readonly TraceStep[],
  statements: Map<string, Statement>,
  declarations: Map<string, { kind: 'alimony' | 'gift' | 'contribution' | 'other'; bsn: string }>,
  roleOfBsn: Map<string, 'applicant' | 'partner'>,
): IncomeSource[] {
  const ruleOf = new Map<string, { rule: IncomeSource['rule']; disposalDate?: string }>();
  for (const s of steps) {
    const rule = ALLOCATION_RULES[s.rule];
    if (rule && typeof s.inputs.messageId === 'string')
      ruleOf.set(s.inputs.messageId, {
        rule,
        ...(typeof s.inputs.disposalDate === 'string' ? { disposalDate: s.inputs.disposalDate } : {}),
      });
  }
  const income = steps.find((s) => s.rule === 'incomeOfMonth');
  const shares = (income?.inputs.shares ?? []) as Share[];
  const out: IncomeSource[] = [];
  for (const share of shares) {
    const id = share.messageId ?? share.declarationId ?? '';
    const statement = statements.get(id);
    const declaration = declarations.get(id);
    const bsn = statement?.bsn ?? declaration?.bsn;
    const known = out.find((o) => o.messageId === id);
    if (known) {
      known.amount = fmt(money(known.amount).plus(share.amount));
      continue;
    }
    out.push({
      name: statement?.employer ?? (declaration ? declaration.kind : id),
      kind: statement?.kind ?? declaration?.kind ?? 'other',
      role: (bsn && roleOfBsn.get(bsn)) || 'unknown',
      amount: share.amount,
      rule: ruleOf.get(id)?.rule ?? (declaration ? 'declared' : 'a'),
      messageId: id,
      ...(ruleOf.get(id)?.disposalDate ? { disposalDate: ruleOf.get(id)!.disposalDate! } : {}),
      ...(statement?.statementKind ? { statementKind: statement.statementKind } : {}),
      ...(statement?.recordedAt ? { recordedAt: statement.recordedAt } : {}),
    });
  }
  return out;
}

type Statement = {
  employer: string;
  kind: 'employment' | 'benefit';
  bsn: string;
  relationship?: string;
  statementKind?: IncomeSource['statementKind'];
  recordedAt?: string;
};

type Projected = {
  incomeRelationshipId: string;
  incomeKind?: 'employment' | 'benefit';
  basisMessageId?: string;
  netRegularPerPayment?: string;
  expectedPaydays?: string[];
  projected?: string;
  skipped?: string;
};
type ProjectedAlimony = { declarationId: string; amountPerMonth: string; expectedDates: string[]; projected: string };

const SKIPPED: Record<string, string> = {
  'relationship ended': 'de arbeidsrelatie is beëindigd',
  'last payment more than 62 days before the month': 'de laatste betaling was meer dan 62 dagen voor de maand',
};

/** What the advance expected, per income relationship and alimony declaration, from the projection's trace. */
function expectedIncome(
  step: TraceStep,
  statements: Map<string, Statement>,
  declarations: Map<string, { kind: 'alimony' | 'gift' | 'contribution' | 'other'; bsn: string }>,
  roleOfBsn: Map<string, 'applicant' | 'partner'>,
): ExpectedIncome[] {
  const out: ExpectedIncome[] = [];
  const byRelationship = new Map([...statements].map(([id, s]) => [s.relationship, { id, ...s }]));
  for (const r of (step.inputs.relationships ?? []) as Projected[]) {
    const s = r.basisMessageId
      ? { id: r.basisMessageId, ...statements.get(r.basisMessageId) }
      : byRelationship.get(r.incomeRelationshipId);
    out.push({
      name: s?.employer ?? r.incomeRelationshipId,
      kind: r.incomeKind ?? s?.kind ?? 'employment',
      role: (s?.bsn && roleOfBsn.get(s.bsn)) || 'unknown',
      basis: r.basisMessageId ?? '',
      perPayment: r.netRegularPerPayment ?? '0.00',
      dates: r.expectedPaydays ?? [],
      amount: r.projected ?? '0.00',
      ...(r.skipped ? { skipped: SKIPPED[r.skipped] ?? r.skipped } : {}),
    });
  }
  for (const a of (step.inputs.alimony ?? []) as ProjectedAlimony[]) {
    const bsn = declarations.get(a.declarationId)?.bsn;
    out.push({
      name: 'alimentatie',
      kind: 'alimony',
      role: (bsn && roleOfBsn.get(bsn)) || 'unknown',
      basis: a.declarationId,
      perPayment: a.amountPerMonth,
      dates: a.expectedDates,
      amount: a.projected,
    });
  }
  return out;
}

/** The steps behind a month's payment: the proposal's (advance, holiday payout, offset), then the payment's (buffer, payees). */
export const paymentSteps = (m: CaseMonth): TraceStep[] =>
  m.payment ? [...(m.proposal?.explanation.steps ?? []), ...m.payment.explanation.steps] : [];
