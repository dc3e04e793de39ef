import { money, ZERO, type Money } from './money.js';
import { OPEN_END, type Instant, type IsoDate, type Period, type YearMonth } from './dates.js';
import type { HouseholdCategory, PolisIncomeStatement } from './schemas.js';
import type { Composition } from './rules/norm.js';
import type { DisregardGrant } from './rules/disregard.js';
import type { AlertKind, HouseholdEvent, MonthValues, PaymentProposed } from './events.js';

export interface RecordedStatement {
  statement: PolisIncomeStatement;
  recordedAt: Instant;
  /** Order of recording within the household, to break ties deterministically. */
  sequence: number;
}

export interface SettledMonth {
  version: number;
  values: MonthValues;
}

export interface PaymentRecord {
  advance: MoneyString;
  holidayPayout: MoneyString;
  offset: MoneyString;
  bufferDraw: MoneyString;
  amount: MoneyString;
}
type MoneyString = string;

/** Everything the rules need about one household, folded from its events (evolve). */
export interface HouseholdState {
  householdId: string | null;
  members: Array<{ bsn: string; role: 'applicant' | 'partner' }>;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
  compositions: Composition[];
  disregardGrants: DisregardGrant[];
  seenMessageIds: Set<string>;
  /** Statement in force per key bsn|incomeRelationshipId|period (SPEC §1.1: the last one recorded). */
  statementsInForce: Map<string, RecordedStatement>;
  /** First statement of each income relationship bsn|incomeRelationshipId (for the alert of §8). */
  firstStatementOfRelationship: Map<string, RecordedStatement>;
  statementCount: number;
  months: Map<YearMonth, SettledMonth>;
  payments: Map<YearMonth, PaymentRecord>;
  /** Proposed by the nightly run, waiting for the buffer decision that makes the payment final. */
  pendingPayments: Map<YearMonth, PaymentProposed['data']>;
  ledgerBalance: Money;
  reserveBalance: Money;
  bufferDrawnPerYear: Map<string, Money>;
  alertsRaised: Set<string>;
}

export function initialHouseholdState(): HouseholdState {
  return {
    householdId: null,
    members: [],
    startDate: null,
    endDate: null,
    compositions: [],
    disregardGrants: [],
    seenMessageIds: new Set(),
    statementsInForce: new Map(),
    firstStatementOfRelationship: new Map(),
    statementCount: 0,
    months: new Map(),
    payments: new Map(),
    pendingPayments: new Map(),
    ledgerBalance: ZERO,
    reserveBalance: ZERO,
    bufferDrawnPerYear: new Map(),
    alertsRaised: new Set(),
  };
}

export function statementKey(s: Pick<PolisIncomeStatement, 'bsn' | 'incomeRelationshipId' | 'period'>): string {
  return `${s.bsn}|${s.incomeRelationshipId}|${s.period.start}|${s.period.end}`;
}

export function relationshipKey(s: Pick<PolisIncomeStatement, 'bsn' | 'incomeRelationshipId'>): string {
  return `${s.bsn}|${s.incomeRelationshipId}`;
}

export function alertKey(kind: AlertKind, month: YearMonth): string {
  return `${kind}|${month}`;
}

/** K = [startDate, endDate or open] (SPEC §4). */
export function casePeriod(state: HouseholdState): Period | null {
  if (!state.startDate) return null;
  return { start: state.startDate, end: state.endDate ?? OPEN_END };
}

function setComposition(list: Composition[], c: Composition): Composition[] {
  return [...list.filter((x) => x.from !== c.from), c].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * evolve(state, event) → state. Mutates and returns the same object: folding thousands of events per
 * household must stay cheap, and nothing else holds a reference to a state while it is being folded.
 */
export function evolve(state: HouseholdState, event: HouseholdEvent): HouseholdState {
  switch (event.type) {
    case 'CaseOpened': {
      const e = event.data;
      state.householdId = e.householdId;
      state.members = e.members.map((m) => ({ bsn: m.bsn, role: m.role }));
      state.startDate = e.startDate;
      state.compositions = setComposition(state.compositions, { from: e.startDate, category: e.category, costSharers: e.costSharers });
      return state;
    }
    case 'HouseholdChanged': {
      const e = event.data;
      const from = state.startDate && e.effectiveDate < state.startDate ? state.startDate : e.effectiveDate;
      state.compositions = setComposition(state.compositions, { from, category: e.category as HouseholdCategory, costSharers: e.costSharers });
      return state;
    }
    case 'CaseClosed':
      state.endDate = event.data.endDate;
      return state;
    case 'EarningsDisregardGranted':
      state.disregardGrants = [...state.disregardGrants, { bsn: event.data.bsn, from: event.data.from, to: event.data.to }];
      return state;
    case 'IncomeStatementRecorded': {
      const { statement, recordedAt } = event.data;
      state.seenMessageIds.add(statement.messageId);
      state.statementCount += 1;
      const rec: RecordedStatement = { statement, recordedAt, sequence: state.statementCount };
      const key = statementKey(statement);
      if (statement.kind === 'withdrawal') state.statementsInForce.delete(key);
      else {
        state.statementsInForce.set(key, rec);
        const rel = relationshipKey(statement);
        if (!state.firstStatementOfRelationship.has(rel)) state.firstStatementOfRelationship.set(rel, rec);
      }
      return state;
    }
    case 'MonthSettled': {
      const e = event.data;
      state.months.set(e.month, { version: e.version, values: e.values });
      state.ledgerBalance = money(state.ledgerBalance.plus(e.assistanceChange));
      state.reserveBalance = money(state.reserveBalance.plus(e.reserveChange));
      return state;
    }
    case 'PaymentProposed':
      state.pendingPayments.set(event.data.month, event.data);
      return state;
    case 'PaymentMade': {
      const e = event.data;
      state.pendingPayments.delete(e.month);
      state.payments.set(e.month, {
        advance: e.advance,
        holidayPayout: e.holidayPayout,
        offset: e.offset,
        bufferDraw: e.bufferDraw,
        amount: e.amount,
      });
      state.ledgerBalance = money(state.ledgerBalance.plus(e.ledgerChange));
      state.reserveBalance = money(state.reserveBalance.plus(e.reserveChange));
      return state;
    }
    case 'BufferDrawn': {
      const used = state.bufferDrawnPerYear.get(event.data.year) ?? ZERO;
      state.bufferDrawnPerYear.set(event.data.year, money(used.plus(event.data.amount)));
      return state;
    }
    case 'BufferNotDrawn':
      return state;
    case 'AlertRaised':
      state.alertsRaised.add(alertKey(event.data.kind, event.data.month));
      return state;
  }
}

/**
 * The parts of a state that deciding a night changes, copied, so that a decision never mutates the
 * state it was given; statements, compositions and grants are shared (a night never changes them).
 */
export function copyForDecision(s: HouseholdState): HouseholdState {
  return {
    ...s,
    months: new Map(s.months),
    payments: new Map(s.payments),
    pendingPayments: new Map(s.pendingPayments),
    bufferDrawnPerYear: new Map(s.bufferDrawnPerYear),
    alertsRaised: new Set(s.alertsRaised),
  };
}

export function foldHousehold(events: Iterable<HouseholdEvent>, state: HouseholdState = initialHouseholdState()): HouseholdState {
  for (const e of events) evolve(state, e);
  return state;
}
