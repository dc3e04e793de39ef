import { OPEN_END, intersect, type Instant } from './dates.js';
import { findInForce, type ParameterTables } from './parameters.js';
import type {
  CaseEvent,
  CaseOpened,
  EarningsDisregardGranted,
  MeasureEnded,
  MeasureImposed,
  OtherIncomeDeclared,
} from './schemas.js';
import type { HouseholdState } from './household.js';
import type { HouseholdEvent } from './events.js';
import { disregardArticleAt, disregardOfKind } from './rules/disregard.js';
import { runRuleViolation } from './rules/disregardRun.js';

/** A command that the household's history does not allow, with the rule it breaks. */
export class CommandRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CommandRejected';
  }
}

const recorded = <E extends CaseEvent>(event: E, recordedAt: Instant) =>
  ({ type: event.type, data: { ...event, recordedAt } }) as HouseholdEvent;

/** SPEC §1.2 and §12.5: a case event is recorded, is a re-delivery (nothing), or is rejected naming the field, rule and article. */
export function decideCaseEvent(
  event: CaseEvent,
  recordedAt: Instant,
  state: HouseholdState,
  params: ParameterTables,
): HouseholdEvent[] {
  if (state.householdId !== null && event.householdId !== state.householdId)
    throw new CommandRejected(`householdId: ${event.householdId} is not this household (${state.householdId})`);
  if (event.type === 'CaseOpened') {
    if (state.householdId === null) return [recorded(event, recordedAt)];
    if (isSameOpening(event, state)) return []; // re-delivery of the same opening
    throw new CommandRejected('type: a different case is already opened for this household');
  }
  if (state.householdId === null) throw new CommandRejected(`householdId: no case opened for ${event.householdId}`);
  switch (event.type) {
    case 'HouseholdChanged':
      return [recorded(event, recordedAt)];
    case 'CaseClosed':
      if (event.endDate < state.startDate!)
        throw new CommandRejected(`endDate: must not be before the case start ${state.startDate}`);
      return state.endDate === event.endDate ? [] : [recorded(event, recordedAt)];
    case 'EarningsDisregardGranted':
      return decideGrant(event, state, params) ? [recorded(event, recordedAt)] : [];
    case 'OtherIncomeDeclared':
      return decideDeclaration(event, state) ? [recorded(event, recordedAt)] : [];
    case 'MeasureImposed':
      return decideMeasure(event, state) ? [recorded(event, recordedAt)] : [];
    case 'MeasureEnded':
      decideMeasureEnded(event, state);
      return [recorded(event, recordedAt)];
  }
}

function isSameOpening(event: CaseOpened, state: HouseholdState): boolean {
  const opening = state.compositions[0];
  return (
    state.startDate === event.startDate &&
    opening?.category === event.category &&
    opening.costSharers === event.costSharers &&
    state.jointPaymentTo === (event.jointPaymentTo ?? null) &&
    state.municipality === (event.municipality ?? null) &&
    JSON.stringify(state.members) ===
      JSON.stringify(event.members.map((m) => ({ bsn: m.bsn, role: m.role, entitled: m.entitled })))
  );
}

/**
 * Art. 34a (before 2027 art. 31(2)(n)): who can have a grant, of which kind, for how long. Any member can,
 * the partner without a right to assistance included (art. 32(3), last sentence; SPEC v3). False: a re-delivery.
 */
function decideGrant(g: EarningsDisregardGranted, state: HouseholdState, params: ParameterTables): boolean {
  const member = state.members.find((m) => m.bsn === g.bsn);
  if (!member) throw new CommandRejected('bsn: is not a member of this household');
  const to = g.to ?? OPEN_END;
  if (state.disregardGrants.some((x) => x.bsn === g.bsn && x.kind === g.kind && x.from === g.from && x.to === to))
    return false;
  const row = findInForce(params, 'disregard', g.from);
  const ofKind = row && disregardOfKind(row, g.kind);
  const table = disregardArticleAt(params, g.from) === '34a' ? 'art. 34a' : 'art. 31(2)(n)';
  if (!row || !ofKind) {
    throw new CommandRejected(`kind: the disregard table has no row for kind ${g.kind} on ${g.from} (${table})`);
  }
  const overlapping = state.disregardGrants.find(
    (x) => x.bsn === g.bsn && intersect({ start: x.from, end: x.to }, { start: g.from, end: to }) !== null,
  );
  if (overlapping)
    throw new CommandRejected(
      `from: overlaps this person's ${overlapping.kind} grant from ${overlapping.from}${overlapping.to === OPEN_END ? '' : ` to ${overlapping.to}`} (SPEC §1.2)`,
    );
  if (g.kind === 'work' && g.to !== undefined) {
    const violation = runRuleViolation({ ...g, to: g.to }, ofKind.maxMonths, state.disregardGrants, params);
    if (violation) throw new CommandRejected(violation);
  }
  return true;
}

/** SPEC §1.2: a declaration of a member; the last recorded with its declarationId is in force. False: a re-delivery. */
function decideDeclaration(d: OtherIncomeDeclared, state: HouseholdState): boolean {
  if (!state.members.some((m) => m.bsn === d.bsn)) throw new CommandRejected('bsn: is not a member of this household');
  const inForce = state.declarations.get(d.declarationId);
  if (d.withdrawn && !inForce)
    throw new CommandRejected(`declarationId: no declaration ${d.declarationId} is in force to withdraw`);
  if (inForce && !d.withdrawn) {
    const { recordedAt: _at, ...known } = inForce.declaration as OtherIncomeDeclared & { recordedAt?: string };
    if (JSON.stringify(known) === JSON.stringify(d)) return false;
  }
  return true;
}

/** Art. 18 (SPEC §12.4): a measureId is used once. False: a re-delivery. */
function decideMeasure(m: MeasureImposed, state: HouseholdState): boolean {
  const known = state.measures.find((x) => x.measureId === m.measureId);
  if (!known) return true;
  if (known.rate === m.rate && known.from === m.from && known.imposedTo === m.to) return false;
  throw new CommandRejected(`measureId: ${m.measureId} is already imposed; a measure is imposed once (art. 18)`);
}

function decideMeasureEnded(m: MeasureEnded, state: HouseholdState): void {
  if (!state.measures.some((x) => x.measureId === m.measureId))
    throw new CommandRejected(`measureId: no measure ${m.measureId} was imposed on this household`);
}
