import { money } from './money.js';
import { ENGINE_VERSION } from './version.js';
import type {
  HouseholdState,
  PaymentRecord,
  RecordedDeclaration,
  RecordedStatement,
  SettledMonth,
  StatementsOfKey,
} from './household.js';
import type { PaymentProposed } from './events.js';

/**
 * A household state as plain JSON, so that a worker can start from it instead of folding the whole
 * stream. A snapshot is a cache, never a source of truth: it names the engine and format it was made
 * by, and a snapshot of another engine or format is ignored (the stream is folded instead), because
 * evolve may have changed meaning in between.
 */
export const SNAPSHOT_FORMAT = `household-state/3+engine-${ENGINE_VERSION}`;
// 3: a settled month's values and a payment's amounts packed in one string each, unpacked when first read;
// a relationship's first statement by its sequence when it is the record of its key.

export interface HouseholdSnapshot {
  format: string;
  state: {
    householdId: string | null;
    members: HouseholdState['members'];
    startDate: string | null;
    endDate: string | null;
    jointPaymentTo: HouseholdState['jointPaymentTo'];
    municipality: HouseholdState['municipality'];
    compositions: HouseholdState['compositions'];
    disregardGrants: HouseholdState['disregardGrants'];
    measures: HouseholdState['measures'];
    declarations: Array<[string, RecordedDeclaration]>;
    seenMessageIds: string[];
    /** The statements in force follow from these (SPEC §1.1), so they are not stored twice. */
    statementsByKey: Array<[string, StatementsOfKey]>;
    /** A number: the sequence of the record in `statementsByKey` (the same record, not a copy). */
    firstStatementOfRelationship: Array<[string, RecordedStatement | number]>;
    statementCount: number;
    months: Array<[string, SettledMonth] | PackedMonth>;
    payments: Array<[string, PaymentRecord] | PackedPayment>;
    pendingPayments: Array<[string, PaymentProposed['data']]>;
    /** Decimal#toString: exact, whatever the number of decimals. */
    ledgerBalance: string;
    reserveBalance: string;
    bufferDrawnPerYear: Array<[string, string]>;
    alertsRaised: string[];
  };
}

/** [month, version, the values joined by `|` in MONTH_VALUE_KEYS order]. */
type PackedMonth = [string, number, string];
/** [month, the amounts joined by `|` in PAYMENT_AMOUNT_KEYS order, payees]. */
type PackedPayment = [string, string, PaymentRecord['payees']];

/** The order monthValues (rules/settlement.ts) writes them in; values in another order are kept as they are. */
const MONTH_VALUE_KEYS = Object.freeze([
  'norm',
  'measureReduction',
  'holidayReserveFull',
  'normExclHoliday',
  'income',
  'incomeFromWork',
  'disregard',
  'partnerIncomeCounted',
  'countableIncome',
  'assistance',
  'excessIncome',
  'holidayAccrued',
  'holidayReserve',
] as const);
const PAYMENT_AMOUNT_KEYS = Object.freeze(['advance', 'holidayPayout', 'offset', 'bufferDraw', 'amount'] as const);

/** The strings of `o` under `keys` joined, when `o` has exactly those keys in that order; else null. */
function packed(o: object, keys: readonly string[]): string | null {
  const own = Object.keys(o);
  if (own.length !== keys.length) return null;
  const values: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const v = (o as Record<string, unknown>)[keys[i]!];
    if (own[i] !== keys[i] || typeof v !== 'string' || v.includes('|')) return null;
    values.push(v);
  }
  return values.join('|');
}

/** MONTH_VALUE_KEYS' strings back as an object literal: one shape for all, as monthValues makes them. */
function unpackMonthValues(text: string): SettledMonth['values'] {
  const [
    norm,
    measureReduction,
    holidayReserveFull,
    normExclHoliday,
    income,
    incomeFromWork,
    disregard,
    partnerIncomeCounted,
    countableIncome,
    assistance,
    excessIncome,
    holidayAccrued,
    holidayReserve,
  ] = text.split('|') as string[] & { length: 13 };
  return {
    norm: norm!,
    measureReduction: measureReduction!,
    holidayReserveFull: holidayReserveFull!,
    normExclHoliday: normExclHoliday!,
    income: income!,
    incomeFromWork: incomeFromWork!,
    disregard: disregard!,
    partnerIncomeCounted: partnerIncomeCounted!,
    countableIncome: countableIncome!,
    assistance: assistance!,
    excessIncome: excessIncome!,
    holidayAccrued: holidayAccrued!,
    holidayReserve: holidayReserve!,
  };
}

/**
 * A settled month whose values are unpacked when first read: most nights read few of a household's
 * months, and a snapshot is read for every household not in memory. An own, enumerable property like
 * a folded month's (JSON and spreads see it); the same strings under the same keys in the same order.
 */
function lazyMonth(version: number, text: string): SettledMonth {
  let values: SettledMonth['values'] | undefined;
  return {
    version,
    get values() {
      return (values ??= unpackMonthValues(text));
    },
  };
}

function packMonth([month, settled]: [string, SettledMonth]): [string, SettledMonth] | PackedMonth {
  const text = packed(settled.values, MONTH_VALUE_KEYS);
  return text === null ? [month, settled] : [month, settled.version, text];
}

function packPayment([month, p]: [string, PaymentRecord]): [string, PaymentRecord] | PackedPayment {
  const { payees, ...amounts } = p;
  const text = Object.keys(p).at(-1) === 'payees' ? packed(amounts, PAYMENT_AMOUNT_KEYS) : null;
  return text === null ? [month, p] : [month, text, payees];
}

function monthOf(entry: [string, SettledMonth] | PackedMonth): [string, SettledMonth] {
  return entry.length === 3 ? [entry[0], lazyMonth(entry[1], entry[2])] : entry;
}

function paymentOf(entry: [string, PaymentRecord] | PackedPayment): [string, PaymentRecord] {
  if (typeof entry[1] !== 'string') return entry as [string, PaymentRecord];
  const [advance, holidayPayout, offset, bufferDraw, amount] = entry[1].split('|') as string[] & { length: 5 };
  const payees = entry[2] as PaymentRecord['payees'];
  return [
    entry[0],
    {
      advance: advance!,
      holidayPayout: holidayPayout!,
      offset: offset!,
      bufferDraw: bufferDraw!,
      amount: amount!,
      payees,
    },
  ];
}

/** The records of the keys by sequence: a relationship's first statement is usually one of them. */
function recordsBySequence(byKey: ReadonlyArray<[string, StatementsOfKey]>): Map<number, RecordedStatement> {
  const out = new Map<number, RecordedStatement>();
  for (const [, of] of byKey) {
    if (of.polis) out.set(of.polis.sequence, of.polis);
    if (of.payslip) out.set(of.payslip.sequence, of.payslip);
  }
  return out;
}

export function snapshotOf(state: HouseholdState): HouseholdSnapshot {
  const records = recordsBySequence([...state.statementsByKey]);
  return {
    format: SNAPSHOT_FORMAT,
    state: {
      householdId: state.householdId,
      members: state.members,
      startDate: state.startDate,
      endDate: state.endDate,
      jointPaymentTo: state.jointPaymentTo,
      municipality: state.municipality,
      compositions: state.compositions,
      disregardGrants: state.disregardGrants,
      measures: state.measures,
      declarations: [...state.declarations],
      seenMessageIds: [...state.seenMessageIds],
      statementsByKey: [...state.statementsByKey],
      firstStatementOfRelationship: [...state.firstStatementOfRelationship].map(([rel, r]) => [
        rel,
        records.get(r.sequence) === r ? r.sequence : r,
      ]),
      statementCount: state.statementCount,
      months: [...state.months].map(packMonth),
      payments: [...state.payments].map(packPayment),
      pendingPayments: [...state.pendingPayments],
      ledgerBalance: state.ledgerBalance.toString(),
      reserveBalance: state.reserveBalance.toString(),
      bufferDrawnPerYear: [...state.bufferDrawnPerYear].map(([year, amount]) => [year, amount.toString()]),
      alertsRaised: [...state.alertsRaised],
    },
  };
}

/** The state a snapshot holds, or null when it was made by another engine or format. */
export function stateFromSnapshot(snapshot: HouseholdSnapshot): HouseholdState | null {
  if (snapshot?.format !== SNAPSHOT_FORMAT || !hasSnapshotShape(snapshot.state)) return null;
  const s = snapshot.state;
  const records = recordsBySequence(s.statementsByKey);
  const firstStatements = s.firstStatementOfRelationship.map(([rel, r]): [string, RecordedStatement | undefined] => [
    rel,
    typeof r === 'number' ? records.get(r) : r,
  ]);
  if (firstStatements.some(([, r]) => r === undefined)) return null;
  return {
    householdId: s.householdId,
    members: s.members,
    startDate: s.startDate,
    endDate: s.endDate,
    jointPaymentTo: s.jointPaymentTo,
    municipality: s.municipality ?? null,
    compositions: s.compositions,
    disregardGrants: s.disregardGrants,
    measures: s.measures,
    declarations: new Map(s.declarations),
    seenMessageIds: new Set(s.seenMessageIds),
    statementsByKey: new Map(s.statementsByKey),
    statementsInForce: statementsInForceOf(s.statementsByKey),
    firstStatementOfRelationship: new Map(firstStatements as Array<[string, RecordedStatement]>),
    statementCount: s.statementCount,
    months: new Map(s.months.map(monthOf)),
    payments: new Map(s.payments.map(paymentOf)),
    pendingPayments: new Map(s.pendingPayments),
    ledgerBalance: money(s.ledgerBalance),
    reserveBalance: money(s.reserveBalance),
    bufferDrawnPerYear: new Map(s.bufferDrawnPerYear.map(([year, amount]) => [year, money(amount)])),
    alertsRaised: new Set(s.alertsRaised),
  };
}

function statementsInForceOf(byKey: ReadonlyArray<[string, StatementsOfKey]>): Map<string, RecordedStatement> {
  const inForce = new Map<string, RecordedStatement>();
  for (const [key, of] of byKey) {
    const r = of.polis ?? of.payslip;
    if (r && r.statement.kind !== 'withdrawal') inForce.set(key, r);
  }
  return inForce;
}

/** Every list a list and every balance a string: a damaged snapshot is not read as an empty household. */
function hasSnapshotShape(s: HouseholdSnapshot['state'] | undefined): boolean {
  if (typeof s !== 'object' || s === null) return false;
  const lists = [
    s.members,
    s.compositions,
    s.disregardGrants,
    s.measures,
    s.declarations,
    s.seenMessageIds,
    s.statementsByKey,
    s.firstStatementOfRelationship,
    s.months,
    s.payments,
    s.pendingPayments,
    s.bufferDrawnPerYear,
    s.alertsRaised,
  ];
  return (
    lists.every(Array.isArray) &&
    typeof s.ledgerBalance === 'string' &&
    typeof s.reserveBalance === 'string' &&
    Number.isInteger(s.statementCount)
  );
}
