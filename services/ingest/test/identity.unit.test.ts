import { describe, expect, it } from 'vitest';
import {
  foldMemberships,
  identityConflictReason,
  openingConflict,
  routeStatement,
  type Membership,
} from '../src/identity.js';

const m = (householdId: string, start: string | null, end: string | null): Membership => ({
  householdId,
  role: 'applicant',
  start,
  end,
});
const opening = (householdId: string, startDate: string) => ({
  householdId,
  startDate,
  members: [{ bsn: '111222333', role: 'applicant' as const, entitled: true }],
});

describe('identity index: memberships with periods', () => {
  it('folds openings and closures per household, ordered by start; the last closure is the end', () => {
    const folded = foldMemberships([
      { type: 'MemberOfHousehold', data: { householdId: 'H-2027', role: 'applicant', startDate: '2027-02-01' } },
      { type: 'MemberOfHousehold', data: { householdId: 'H-2026', role: 'partner', startDate: '2026-01-01' } },
      { type: 'MembershipEnded', data: { householdId: 'H-2026', endDate: '2026-10-31' } },
      { type: 'MembershipEnded', data: { householdId: 'H-2026', endDate: '2026-12-31' } },
      { type: 'MembershipEnded', data: { householdId: 'H-unknown', endDate: '2026-12-31' } },
    ]);
    expect(folded).toEqual([
      { householdId: 'H-2026', role: 'partner', start: '2026-01-01', end: '2026-12-31' },
      { householdId: 'H-2027', role: 'applicant', start: '2027-02-01', end: null },
    ]);
  });

  it('a membership recorded before periods were (no startDate) counts from the beginning', () => {
    expect(foldMemberships([{ type: 'MemberOfHousehold', data: { householdId: 'H-old', role: 'applicant' } }])).toEqual(
      [{ householdId: 'H-old', role: 'applicant', start: null, end: null }],
    );
  });
});

describe('openingConflict: one person, one case at a time', () => {
  it('an open case elsewhere conflicts, naming the member index and the other household', () => {
    const c = openingConflict(
      {
        ...opening('H-2', '2027-03-01'),
        members: [
          { bsn: '1', role: 'applicant', entitled: true },
          { bsn: '2', role: 'partner', entitled: true },
        ],
      },
      [[], [m('H-1', '2027-01-01', null)]],
    );
    expect(c).toEqual({ memberIndex: 1, otherHouseholdId: 'H-1', otherOpen: true });
    expect(identityConflictReason(c!)).toBe(
      'members.1.bsn: already a member of the open case of household H-1 (one person, one open case)',
    );
  });

  it('an open case that starts later than the new one still conflicts (the new one has no end)', () => {
    expect(openingConflict(opening('H-2', '2026-01-01'), [[m('H-1', '2027-01-01', null)]])).toEqual({
      memberIndex: 0,
      otherHouseholdId: 'H-1',
      otherOpen: true,
    });
  });

  it('a closed case releases the BSN from the day after its end', () => {
    expect(openingConflict(opening('H-2', '2027-01-01'), [[m('H-1', '2026-01-01', '2026-12-31')]])).toBeNull();
    const c = openingConflict(opening('H-2', '2026-12-31'), [[m('H-1', '2026-01-01', '2026-12-31')]]);
    expect(c).toEqual({ memberIndex: 0, otherHouseholdId: 'H-1', otherOpen: false });
    expect(identityConflictReason(c!)).toBe(
      'members.0.bsn: already a member of the case of household H-1 in a period this case overlaps (one person, one case at a time)',
    );
  });

  it('the same household again (a re-delivered opening) is no conflict', () => {
    expect(openingConflict(opening('H-1', '2027-01-01'), [[m('H-1', '2027-01-01', null)]])).toBeNull();
  });
});

describe('routeStatement: the case whose period holds the statement', () => {
  const twoCases = [m('H-2026', '2026-01-01', '2026-12-31'), m('H-2027', '2027-02-01', null)];
  const period = (start: string, end: string) => ({ start, end });

  it('a late 2026 statement goes to the 2026 case, a 2027 one to the 2027 case', () => {
    expect(routeStatement(twoCases, period('2026-11-01', '2026-11-30'))).toBe('H-2026');
    expect(routeStatement(twoCases, period('2027-03-01', '2027-03-31'))).toBe('H-2027');
  });

  it('a period ending in the gap between the cases stays with the case that started before it', () => {
    expect(routeStatement(twoCases, period('2027-01-01', '2027-01-31'))).toBe('H-2026');
  });

  it('a period before any case goes to the first case; no case at all: null (parked)', () => {
    expect(routeStatement(twoCases, period('2025-06-01', '2025-06-30'))).toBe('H-2026');
    expect(routeStatement([], period('2027-01-01', '2027-01-31'))).toBeNull();
  });

  it('a four-weekly period across the start of a case goes to the case holding its end', () => {
    expect(routeStatement(twoCases, period('2027-01-20', '2027-02-16'))).toBe('H-2027');
  });
});
