import { describe, expect, it } from 'vitest';
import { describeZodError, paydayOf, policyFor, policySchema } from '../src/index.js';

/** Issue #21: a municipal policy is dated like the parameter tables; a change never reaches a month before it. */
describe('dated policy changes', () => {
  const policy = policySchema.parse({
    payDay: 25,
    changes: [
      { validFrom: '2027-06-01', payDay: 20, source: 'besluit college 2027-05-10' },
      { validFrom: '2027-09-01', advance: 'full-norm', alertThreshold: '25.00' },
    ],
  });

  it('the policy of a month is the base with every change from on or before its first day', () => {
    expect(policyFor(policy, '2027-05')).toMatchObject({ payDay: 25, advance: 'projected', alertThreshold: '0.00' });
    expect(policyFor(policy, '2027-06')).toMatchObject({ payDay: 20, advance: 'projected', alertThreshold: '0.00' });
    expect(policyFor(policy, '2027-09')).toMatchObject({ payDay: 20, advance: 'full-norm', alertThreshold: '25.00' });
    expect(policyFor(policy, '2027-06-30')).toMatchObject({ payDay: 20 });
    expect(paydayOf('2027-05', policy)).toBe('2027-05-25');
    expect(paydayOf('2027-06', policy)).toBe('2027-06-20');
  });

  it('a policy without changes is itself in every month, and its parsed form has no changes key (same rules version)', () => {
    const plain = policySchema.parse({});
    expect(plain).not.toHaveProperty('changes');
    expect(policyFor(plain, '2027-05')).toBe(plain);
  });

  it('a change dated within a month, out of order or setting an unknown field is refused naming the field', () => {
    const reason = (raw: unknown) => {
      const r = policySchema.safeParse(raw);
      return r.success ? 'accepted' : describeZodError(r.error);
    };
    expect(reason({ changes: [{ validFrom: '2027-06-15', payDay: 20 }] })).toBe(
      'changes.0.validFrom: must be the first day of a month (a policy applies to whole months)',
    );
    expect(
      reason({
        changes: [
          { validFrom: '2027-09-01', payDay: 20 },
          { validFrom: '2027-06-01', payDay: 22 },
        ],
      }),
    ).toBe('changes: must be in order of validFrom, one change per date');
    expect(reason({ changes: [{ validFrom: '2027-06-01', payday: 20 }] })).toMatch(/^changes\.0: Unrecognized key/);
    expect(reason({ changes: [{ validFrom: '2027-06-01', payDay: 40 }] })).toMatch(/^changes\.0\.payDay: /);
  });
});
