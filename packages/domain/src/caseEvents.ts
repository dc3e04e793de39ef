import { monthOf, monthsBetween, OPEN_END, intersect, type Instant } from './dates.js';
import { findInForce, type ParameterTables } from './parameters.js';
import type { CaseEvent, CaseOpened, EarningsDisregardGranted, MeasureEnded, MeasureImposed, OtherIncomeDeclared } from './schemas.js';
import type { HouseholdState } from './household.js';
import type { HouseholdEvent } from './events.js';
import { disregardArticleAt, disregardOfKind } from './rules/disregard.js';

/** A command that the household's history does not allow, with the rule it breaks. */
export class CommandRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CommandRejected';
  }
}

const recorded = <E extends CaseEvent>(event: E, recordedAt: Instant) => ({ type: event.type, data: { ...event, recordedAt } }) as HouseholdEvent;

/** SPEC §1.2 and §12.5: a case event is recorded, is a re-delivery (nothing), or is rejected naming the field, rule and article. */
export function decideCaseEvent(event: CaseEvent, recordedAt: Instant, state: HouseholdState, params: ParameterTables): HouseholdEvent[] {
  if (state.householdId !== null && event.householdId !== state.householdId) throw new CommandRejected(`householdId: ${event.householdId} is not this household (${state.householdId})`);
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
      if (event.endDate < state.startDate!) throw new CommandRejected(`endDate: must not be before the case start ${state.startDate}`);
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
    JSON.stringify(state.members) === JSON.stringify(event.members.map((m) => ({ bsn: m.bsn, role: m.role, entitled: m.entitled })))
  );
}

/** Art. 34a (before 2027 art. 31(2)(n)): who can have a grant, of which kind, for how long. False: a re-delivery. */
function decideGrant(g: EarningsDisregardGranted, state: HouseholdState, params: ParameterTables): boolean {
  const member = state.members.find((m) => m.bsn === g.bsn);
  if (!member) throw new CommandRejected('bsn: is not a member of this household');
  if (!member.entitled) throw new CommandRejected('bsn: is the partner without a right to assistance: a disregard applies only to an entitled member (art. 34a(1))');
  const to = g.to ?? OPEN_END;
  if (state.disregardGrants.some((x) => x.bsn === g.bsn && x.kind === g.kind && x.from === g.from && x.to === to)) return false;
  const row = findInForce(params, 'disregard', g.from);
  const ofKind = row && disregardOfKind(row, g.kind);
  const basis = disregardArticleAt(params, g.from) === '34a' ? { table: 'art. 34a', limit: 'art. 34a(1)(a)' } : { table: 'art. 31(2)(n)', limit: 'art. 31(2)(n)' };
  const article = basis.limit;
  if (!row || !ofKind) throw new CommandRejected(`kind: the disregard table has no row for kind ${g.kind} on ${g.from} (${basis.table})`);
  if (ofKind.maxMonths !== undefined && g.extension !== true && g.to !== undefined && monthsBetween(monthOf(g.from), monthOf(g.to)).length > ofKind.maxMonths) {
    throw new CommandRejected(`to: ${article} allows at most ${ofKind.maxMonths} consecutive months; set extension`);
  }
  const overlapping = state.disregardGrants.find((x) => x.bsn === g.bsn && intersect({ start: x.from, end: x.to }, { start: g.from, end: to }) !== null);
  if (overlapping) throw new CommandRejected(`from: overlaps this person's ${overlapping.kind} grant from ${overlapping.from}${overlapping.to === OPEN_END ? '' : ` to ${overlapping.to}`} (SPEC §1.2)`);
  return true;
}

/** SPEC §1.2: a declaration of a member; the last recorded with its declarationId is in force. False: a re-delivery. */
function decideDeclaration(d: OtherIncomeDeclared, state: HouseholdState): boolean {
  if (!state.members.some((m) => m.bsn === d.bsn)) throw new CommandRejected('bsn: is not a member of this household');
  const inForce = state.declarations.get(d.declarationId);
  if (d.withdrawn && !inForce) throw new CommandRejected(`declarationId: no declaration ${d.declarationId} is in force to withdraw`);
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
  if (!state.measures.some((x) => x.measureId === m.measureId)) throw new CommandRejected(`measureId: no measure ${m.measureId} was imposed on this household`);
}
