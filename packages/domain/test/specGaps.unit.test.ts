import { describe, expect, it } from 'vitest';
import {
  decide,
  defaultParameters,
  evolve,
  initialHouseholdState,
  policySchema,
  CommandRejected,
  type HouseholdCommand,
} from '../src/index.js';
import { decideLikeTheServices } from './support/drive.js';

/** Readings where SPEC.md is silent; each is explained in the issue note with these numbers. */
const ctx = { params: defaultParameters, policy: policySchema.parse({}) };
const at = (d: string) => `${d}T02:00:00Z`;

function drive(commands: HouseholdCommand[]) {
  const state = initialHouseholdState();
  for (const c of commands) for (const e of decideLikeTheServices(c, state, ctx)) evolve(state, e);
  return state;
}
function nights(from: string, to: string): HouseholdCommand[] {
  const out: HouseholdCommand[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    out.push({ type: 'RunNightly', runDate: day, runAt: at(day), rulesVersion: 't' });
  }
  return out;
}
const open = {
  type: 'CaseOpened' as const,
  householdId: 'H',
  members: [{ bsn: '111222333', role: 'applicant' as const, entitled: true }],
  category: 'single' as const,
  costSharers: 1,
  startDate: '2026-01-01',
};

describe('an advance paid for a month that a late CaseClosed puts outside the case is set off', () => {
  it('January and February were each paid 1331.42; closing on 2026-01-01 claims both back except January 1st', () => {
    const state = drive([
      { type: 'RecordCaseEvent', event: open, recordedAt: at('2025-12-20') },
      ...nights('2026-01-01', '2026-03-05'),
      {
        type: 'RecordCaseEvent',
        event: { type: 'CaseClosed', householdId: 'H', endDate: '2026-01-01' },
        recordedAt: '2026-03-06T10:00:00Z',
      },
      ...nights('2026-03-06', '2026-06-30'),
    ]);
    expect(state.payments.get('2026-01')?.advance).toBe('1331.42');
    expect(state.payments.get('2026-02')?.advance).toBe('1331.42');
    // January: N = round(1401.50 × 1/31) = 45.21, VT 2.26, NormEx 42.95 → ΔA = 42.95 − 1331.42 = −1288.47.
    expect(state.months.get('2026-01')?.values.assistance).toBe('42.95');
    // February lies wholly outside K: A = 0, so ΔA = −1331.42. The claim is −1288.47 − 1331.42 = −2619.89.
    expect(state.months.get('2026-02')?.values.assistance).toBe('0.00');
    expect(state.ledgerBalance.toFixed(2)).toBe('-2619.89');
  });
});

describe('CaseOpened delivered twice', () => {
  it('is a no-op when identical, and rejected when it names another person or category', () => {
    const state = drive([{ type: 'RecordCaseEvent', event: open, recordedAt: at('2025-12-20') }]);
    expect(decide({ type: 'RecordCaseEvent', event: open, recordedAt: at('2025-12-21') }, state, ctx)).toEqual([]);
    const other = {
      ...open,
      category: 'single-parent-no-alo' as const,
      members: [{ bsn: '123456782', role: 'applicant' as const, entitled: true }],
    };
    expect(() => decide({ type: 'RecordCaseEvent', event: other, recordedAt: at('2025-12-21') }, state, ctx)).toThrow(
      CommandRejected,
    );
  });
});
