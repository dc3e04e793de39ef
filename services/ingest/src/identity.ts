import type { CaseOpened, IsoDate } from '@bijstand/domain';

/**
 * The identity index (issue #12, 1): the member stream of a BSN records, per household, when the
 * person joined (the case's start) and when the case ended. Pure functions over those records decide
 * whether an opening is allowed and which case a statement belongs to.
 */

/** One person's membership of one case: [start, end]; end null while the case is open. */
export interface Membership {
  householdId: string;
  role: 'applicant' | 'partner';
  start: IsoDate | null;
  end: IsoDate | null;
}

/** What the member stream holds (data of MemberOfHousehold / MembershipEnded). */
export type MembershipRecord =
  | { type: 'MemberOfHousehold'; data: { householdId: string; role: 'applicant' | 'partner'; startDate?: IsoDate } }
  | { type: 'MembershipEnded'; data: { householdId: string; endDate: IsoDate } };

export const MEMBER_OF_HOUSEHOLD = 'MemberOfHousehold';
export const MEMBERSHIP_ENDED = 'MembershipEnded';

/**
 * Memberships in order of their start. A membership written before periods were recorded has no start
 * (it counts from the beginning of time); the last MembershipEnded of a household is its end.
 */
export function foldMemberships(records: readonly MembershipRecord[]): Membership[] {
  const byHousehold = new Map<string, Membership>();
  for (const r of records) {
    if (r.type === MEMBER_OF_HOUSEHOLD) {
      if (!byHousehold.has(r.data.householdId))
        byHousehold.set(r.data.householdId, {
          householdId: r.data.householdId,
          role: r.data.role,
          start: r.data.startDate ?? null,
          end: null,
        });
    } else {
      const m = byHousehold.get(r.data.householdId);
      if (m) m.end = r.data.endDate;
    }
  }
  return [...byHousehold.values()].sort((a, b) => compareStart(a.start, b.start));
}

const compareStart = (a: IsoDate | null, b: IsoDate | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;

/** Whether [start, end] of a membership and [start, end] of another period share a day. */
function overlaps(m: Membership, start: IsoDate, end: IsoDate | null): boolean {
  const startsBeforeItEnds = end === null || m.start === null || m.start <= end;
  const endsAfterItStarts = m.end === null || m.end >= start;
  return startsBeforeItEnds && endsAfterItStarts;
}

export interface IdentityConflict {
  /** Index of the member in the opening (for the field path members.N.bsn). */
  memberIndex: number;
  otherHouseholdId: string;
  /** Whether the other case is still open (else: it was closed, but its period overlaps). */
  otherOpen: boolean;
}

/**
 * A BSN is a member of at most one case at a time (across households): an opening conflicts when a
 * member's other membership overlaps the new case from its start on. Re-delivery of the opening of
 * the same household is not a conflict. The first conflicting member counts.
 */
export function openingConflict(
  opening: Pick<CaseOpened, 'householdId' | 'startDate' | 'members'>,
  membershipsOfMember: readonly (readonly Membership[])[],
): IdentityConflict | null {
  for (const [memberIndex, memberships] of membershipsOfMember.entries()) {
    const other = memberships.find(
      (m) => m.householdId !== opening.householdId && overlaps(m, opening.startDate, null),
    );
    if (other) return { memberIndex, otherHouseholdId: other.householdId, otherOpen: other.end === null };
  }
  return null;
}

/** The rejection reason of a conflict: names the field and the other household, never the BSN. */
export function identityConflictReason(c: IdentityConflict): string {
  return c.otherOpen
    ? `members.${c.memberIndex}.bsn: already a member of the open case of household ${c.otherHouseholdId} (one person, one open case)`
    : `members.${c.memberIndex}.bsn: already a member of the case of household ${c.otherHouseholdId} in a period this case overlaps (one person, one case at a time)`;
}

/**
 * The household a statement belongs to: the case whose period holds the statement's period (its
 * end, the day the pay is earned up to); without one, the last case that started by then (a late
 * statement after a closure stays with that case, where the nightly run flags income outside the
 * case), else the first case. Null: no case at all, the statement is parked.
 */
export function routeStatement(
  memberships: readonly Membership[],
  period: { start: IsoDate; end: IsoDate },
): string | null {
  if (memberships.length === 0) return null;
  const holding = memberships.filter((m) => overlaps(m, period.end, period.end));
  if (holding.length > 0) return holding[holding.length - 1]!.householdId;
  const startedBefore = memberships.filter((m) => m.start === null || m.start <= period.end);
  return (startedBefore[startedBefore.length - 1] ?? memberships[0]!).householdId;
}
