/**
 * The references a resident, a consultant and a judge quote (*kenmerk*). The household id is internal; the
 * case reference puts the municipality in front of it so a shared service's cases stay apart, and a decision's
 * reference adds the month and the settlement version it was taken in, so every version of a month's decision
 * has a reference of its own (a corrected month is a new decision).
 */
export const caseReference = (municipalityCode: string, householdId: string): string =>
  `${municipalityCode}-${householdId}`;

export const decisionReference = (caseRef: string, month: string, version: number): string =>
  `${caseRef}-${month.replace('-', '')}-${version}`;
