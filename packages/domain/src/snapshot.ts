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
export const SNAPSHOT_FORMAT = `household-state/2+engine-${ENGINE_VERSION}`;

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
    firstStatementOfRelationship: Array<[string, RecordedStatement]>;
    statementCount: number;
    months: Array<[string, SettledMonth]>;
    payments: Array<[string, PaymentRecord]>;
    pendingPayments: Array<[string, PaymentProposed['data']]>;
    /** Decimal#toString: exact, whatever the number of decimals. */
    ledgerBalance: string;
    reserveBalance: string;
    bufferDrawnPerYear: Array<[string, string]>;
    alertsRaised: string[];
  };
}

export function snapshotOf(state: HouseholdState): HouseholdSnapshot {
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
      firstStatementOfRelationship: [...state.firstStatementOfRelationship],
      statementCount: state.statementCount,
      months: [...state.months],
      payments: [...state.payments],
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
    firstStatementOfRelationship: new Map(s.firstStatementOfRelationship),
    statementCount: s.statementCount,
    months: new Map(s.months),
    payments: new Map(s.payments),
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
