import { defaultParameters, policySchema } from '@bijstand/domain';
import type { InboundMessage } from '../src/index.js';

export const ctx = { params: defaultParameters, policy: policySchema.parse({}) };

/** The i-th BSN that passes the elfproef (deterministic: 8 digits from i, then the check digit). */
export function validBsn(i: number): string {
  for (let n = 10_000_000 + i * 7; ; n++) {
    const digits = String(n).slice(0, 8).split('').map(Number);
    const check = digits.reduce((t, d, k) => t + (9 - k) * d, 0) % 11;
    if (check < 10) return digits.join('') + String(check);
  }
}

export const caseOpened = (
  householdId: string,
  bsns: string[],
  startDate = '2027-01-01',
  over: Record<string, unknown> = {},
) => ({
  type: 'CaseOpened',
  householdId,
  members: bsns.map((bsn, i) => ({ bsn, role: i === 0 ? 'applicant' : 'partner' })),
  category: bsns.length > 1 ? 'couple' : 'single',
  startDate,
  ...over,
});

/** A valid statement as it arrives (testkit's one builder), with overrides. */
export { polisStatement as statement } from '@bijstand/testkit/statements';

export const month = (m: string) => ({
  start: `${m}-01`,
  end: new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).toISOString().slice(0, 10),
  kind: 'month' as const,
});

let seq = 0;
export const msg = (
  kind: 'statement' | 'case',
  body: unknown,
  recordedAt = '2027-02-01T10:00:00Z',
): InboundMessage => ({
  kind,
  payload: typeof body === 'string' ? body : JSON.stringify(body),
  recordedAt,
  source: { type: 'inline', reference: `fixture-${++seq}` },
});
