import { money, ZERO, type Money } from './money.js';
import { OPEN_END, type Instant, type IsoDate, type Period, type YearMonth } from './dates.js';
import type { HouseholdCategory, OtherIncomeDeclared, PolisIncomeStatement } from './schemas.js';
import type { Composition, Measure } from './rules/norm.js';
import type { DisregardGrant } from './rules/disregard.js';
import type { AlertKind, HouseholdEvent, MonthValues, Payees, PaymentProposed } from './events.js';

export interface RecordedStatement {
  statement: PolisIncomeStatement;
  recordedAt: Instant;
  /** Order of recording within the household, to break ties deterministically. */
  sequence: number;
}

/** A declaration of other income in force (SPEC §1.2: the last recorded with its declarationId). */
export interface RecordedDeclaration {
  declaration: OtherIncomeDeclared;
  recordedAt: Instant;
}

export interface Member {
  bsn: string;
  role: 'applicant' | 'partner';
  /** False only for a partner without a right to assistance (Pw art. 24; SPEC §1.2). */
  entitled: boolean;
}

/** The statements recorded for one key: the polis always takes precedence over a payslip (SPEC §1.1). */
export interface StatementsOfKey {
  polis?: RecordedStatement;
  payslip?: RecordedStatement;
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
  payees: Payees;
}
type MoneyString = string;

/** Everything the rules need about one household, folded from its events (evolve). */
export interface HouseholdState {
  householdId: string | null;
  members: Member[];
  startDate: IsoDate | null;
  endDate: IsoDate | null;
  /** The spouse the household asked to be paid to (art. 45(4)); null: in halves. */
  jointPaymentTo: 'applicant' | 'partner' | null;
  /** CBS code of the municipality the case belongs to (null: not given, the deployment's default). */
  municipality: string | null;
  compositions: Composition[];
  disregardGrants: DisregardGrant[];
  /** Measures (art. 18) with their last day after any MeasureEnded. Replaced, never changed in place. */
  measures: Measure[];
  /** Declarations of other income in force by declarationId. Replaced, never changed in place. */
  declarations: ReadonlyMap<string, RecordedDeclaration>;
  seenMessageIds: Set<string>;
  /** The last polis and the last payslip statement recorded per key bsn|incomeRelationshipId|period. */
  statementsByKey: Map<string, StatementsOfKey>;
  /** Statement in force per key (SPEC §1.1: the last polis one, else the last payslip; none after a withdrawal). */
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
    jointPaymentTo: null,
    municipality: null,
    compositions: [],
    disregardGrants: [],
    measures: [],
    declarations: new Map(),
    seenMessageIds: new Set(),
    statementsByKey: new Map(),
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
      state.members = e.members.map((m) => ({ bsn: m.bsn, role: m.role, entitled: m.entitled }));
      state.startDate = e.startDate;
      state.jointPaymentTo = e.jointPaymentTo ?? null;
      state.municipality = e.municipality ?? null;
      state.compositions = setComposition(state.compositions, {
        from: e.startDate,
        category: e.category,
        costSharers: e.costSharers,
      });
      return state;
    }
    case 'HouseholdChanged': {
      const e = event.data;
      const from = state.startDate && e.effectiveDate < state.startDate ? state.startDate : e.effectiveDate;
      state.compositions = setComposition(state.compositions, {
        from,
        category: e.category as HouseholdCategory,
        costSharers: e.costSharers,
      });
      return state;
    }
    case 'CaseClosed':
      state.endDate = event.data.endDate;
      return state;
    case 'EarningsDisregardGranted': {
      const e = event.data;
      state.disregardGrants = [
        ...state.disregardGrants,
        { bsn: e.bsn, kind: e.kind, from: e.from, to: e.to ?? OPEN_END },
      ];
      return state;
    }
    case 'OtherIncomeDeclared': {
      const declarations = new Map(state.declarations);
      if (event.data.withdrawn) declarations.delete(event.data.declarationId);
      else declarations.set(event.data.declarationId, { declaration: event.data, recordedAt: event.data.recordedAt });
      state.declarations = declarations;
      return state;
    }
    case 'MeasureImposed': {
      const { measureId, rate, from, to } = event.data;
      state.measures = [...state.measures, { measureId, rate, from, to, imposedTo: to }];
      return state;
    }
    case 'MeasureEnded': {
      // The last MeasureEnded recorded applies, against the imposed end (SPEC §12.4).
      const { measureId, endDate } = event.data;
      state.measures = state.measures.map((m) =>
        m.measureId === measureId ? { ...m, to: endDate < m.imposedTo ? endDate : m.imposedTo } : m,
      );
      return state;
    }
    case 'IncomeStatementRecorded':
      recordStatement(state, event.data.statement, event.data.recordedAt);
      return state;
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
        payees: e.payees,
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

/** SPEC §1.1: the statement in force for a key is the last polis one, else the last payslip; a withdrawal means none. */
function recordStatement(state: HouseholdState, statement: PolisIncomeStatement, recordedAt: Instant): void {
  state.seenMessageIds.add(statement.messageId);
  state.statementCount += 1;
  const rec: RecordedStatement = { statement, recordedAt, sequence: state.statementCount };
  const key = statementKey(statement);
  const ofKey: StatementsOfKey = { ...state.statementsByKey.get(key), [statement.source]: rec };
  state.statementsByKey.set(key, ofKey);
  const inForce = ofKey.polis ?? ofKey.payslip!;
  if (inForce.statement.kind === 'withdrawal') {
    state.statementsInForce.delete(key);
    return;
  }
  state.statementsInForce.set(key, inForce);
  // A payslip behind a polis statement is never in force and raises nothing (SPEC §12.8).
  const rel = relationshipKey(statement);
  if (inForce === rec && !state.firstStatementOfRelationship.has(rel)) state.firstStatementOfRelationship.set(rel, rec);
}

/** The partner listed in CaseOpened with entitled: false, if any (SPEC §12.6). */
export function nonEntitledPartner(state: Pick<HouseholdState, 'members'>): Member | undefined {
  return state.members.find((m) => !m.entitled);
}

export function entitledMembers(state: Pick<HouseholdState, 'members'>): Set<string> {
  return new Set(state.members.filter((m) => m.entitled).map((m) => m.bsn));
}

export function foldHousehold(
  events: Iterable<HouseholdEvent>,
  state: HouseholdState = initialHouseholdState(),
): HouseholdState {
  for (const e of events) evolve(state, e);
  return state;
}
