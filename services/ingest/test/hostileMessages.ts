import { mulberry32 } from '@bijstand/synthetic';
import { caseOpened, month, statement, validBsn } from './fixtures.js';

/*
 * The hostile and unlucky messages of issue #12 (seeded): junk anywhere, case events before their
 * CaseOpened, statements before their case, re-deliveries, conflicting re-deliveries and takeover
 * attempts after the originals. Shared by hostile.int.test.ts and batchEquivalence.int.test.ts.
 */
const HOUSEHOLDS = 400;
const STATEMENTS_PER_HOUSEHOLD = 18;

export type Expect = 'stored' | 'duplicate' | 'rejected' | 'parked' | 'conflict' | 'identity-conflict';
export interface Planned {
  kind: 'statement' | 'case';
  payload: string;
  expect: Expect;
  /** For a valid statement: its messageId, to find it exactly once in the household streams. */
  messageId?: string;
}

const ymd = (m: number) => `${2027 + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`;

function hostileJunk(rand: () => number, i: number, bsn: string): Planned {
  const s = statement({ messageId: `junk-${i}`, bsn });
  const variants: Array<() => Planned> = [
    () => ({ kind: 'statement', payload: '{"messageId": "broken', expect: 'rejected' }),
    () => ({ kind: 'statement', payload: 'null', expect: 'rejected' }),
    () => ({ kind: 'statement', payload: '42', expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, taxableWage: 900 }), expect: 'rejected' }),
    () => ({ kind: 'statement', payload: JSON.stringify({ ...s, bsn: Number(bsn) }), expect: 'rejected' }),
    () => ({
      kind: 'statement',
      payload: JSON.stringify({ ...s, bsn: `${bsn.slice(0, 8)}${(Number(bsn[8]) + 1) % 10}` }),
      expect: 'rejected',
    }), // elfproef
    () => ({
      kind: 'statement',
      payload: JSON.stringify({ ...s, messageId: 'x'.repeat(200_001) }),
      expect: 'rejected',
    }),
    () => ({
      kind: 'statement',
      payload: JSON.stringify({ ...s, employer: { payrollTaxNumber: '123456789L01', name: 'é'.repeat(100_000) } }),
      expect: 'rejected',
    }),
    () => ({ kind: 'statement', payload: `${'['.repeat(5000)}${']'.repeat(5000)}`, expect: 'rejected' }),
    () => ({
      kind: 'statement',
      payload: JSON.stringify({ ...s, employer: JSON.parse(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`) }),
      expect: 'rejected',
    }),
    () => ({
      kind: 'statement',
      payload: JSON.stringify({ ...s, period: { start: '2027-02-30', end: '2027-03-31', kind: 'month' } }),
      expect: 'rejected',
    }),
    () => ({
      kind: 'statement',
      payload: JSON.stringify({ ...s, intendedFor: { start: '2027-01-01', end: '9999-12-31' } }),
      expect: 'rejected',
    }),
    () => ({
      kind: 'statement',
      payload: JSON.stringify({ ...s, __proto__: { polluted: true }, constructor: 'x' }),
      expect: 'rejected',
    }),
    () => ({ kind: 'case', payload: JSON.stringify({ type: 'CaseDeleted', householdId: 'H-x' }), expect: 'rejected' }),
    () => ({
      kind: 'case',
      payload: JSON.stringify({ ...caseOpened(`H-junk-${i}`, [bsn]), members: [] }),
      expect: 'rejected',
    }),
    () => ({
      kind: 'case',
      payload: JSON.stringify({ ...caseOpened(`H-junk-${i}`, [bsn]), startDate: 20270101 }),
      expect: 'rejected',
    }),
    () => ({ kind: 'case', payload: '\u0000\uFFFF\uD800', expect: 'rejected' }),
  ];
  return variants[Math.floor(rand() * variants.length)]!();
}

export function plan(seed: number): Planned[] {
  const rand = mulberry32(seed);
  const out: Planned[] = [];
  const later: Planned[] = [];
  const bsnOf = (h: number) => validBsn(1000 + h);
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const householdId = `H-hostile-${h}`;
    const bsn = bsnOf(h);
    const startMonth = 1 + Math.floor(rand() * 6);
    const caseEvents: Planned[] = [
      {
        kind: 'case',
        payload: JSON.stringify({
          type: 'HouseholdChanged',
          householdId,
          effectiveDate: `${ymd(startMonth + 2)}-01`,
          category: 'single',
          costSharers: 2,
        }),
        expect: 'stored',
      },
    ];
    if (rand() < 0.3)
      caseEvents.push({
        kind: 'case',
        payload: JSON.stringify({
          type: 'EarningsDisregardGranted',
          householdId,
          bsn,
          kind: 'work',
          from: `${ymd(startMonth)}-01`,
          to: `${ymd(startMonth + 5)}-28`,
        }),
        expect: 'stored',
      });
    const before = rand() < 0.3; // the case events arrive before their CaseOpened: parked, applied on opening
    if (before) out.push(...caseEvents.map((c) => ({ ...c, expect: 'parked' as const })));
    const early = rand() < 0.2; // the first statement arrives before the case: parked
    const statements: Planned[] = [];
    for (let k = 0; k < STATEMENTS_PER_HOUSEHOLD; k++) {
      const messageId = `st-${h}-${k}`;
      const kind = k === STATEMENTS_PER_HOUSEHOLD - 1 && rand() < 0.2 ? 'correction' : 'initial'; // a correction of a period never seen
      const body = statement({
        messageId,
        bsn,
        incomeRelationshipId: `IKV-${h}`,
        period: month(ymd(startMonth + k)),
        taxableWage: (300 + Math.floor(rand() * 1000)).toFixed(2),
        kind,
      });
      statements.push({
        kind: 'statement',
        payload: JSON.stringify(body),
        expect: k === 0 && early ? 'parked' : 'stored',
        messageId,
      });
      if (rand() < 0.05) later.push({ kind: 'statement', payload: JSON.stringify(body), expect: 'duplicate' });
      if (rand() < 0.03)
        later.push({
          kind: 'statement',
          payload: JSON.stringify({ ...body, taxableWage: '99999.00' }),
          expect: 'conflict',
        });
      if (rand() < 0.02)
        later.push({
          kind: 'statement',
          payload: JSON.stringify({ ...body, bsn: bsnOf((h + 1) % HOUSEHOLDS) }),
          expect: 'conflict',
        });
    }
    if (early) out.push(statements.shift()!);
    out.push({
      kind: 'case',
      payload: JSON.stringify(caseOpened(householdId, [bsn], `${ymd(startMonth)}-01`)),
      expect: 'stored',
    });
    if (!before) out.push(...caseEvents);
    out.push(...statements);
    if (h < 3)
      for (let d = 0; d < 50; d++)
        later.push({
          kind: 'case',
          payload: JSON.stringify(caseOpened(`H-dup-${h}-${d}`, [validBsn(90_000 + h * 100 + d), bsn], '2027-08-01')),
          expect: 'identity-conflict',
        });
  }
  for (let i = 0; i < 100; i++)
    later.push({
      kind: 'statement',
      payload: JSON.stringify(statement({ messageId: `orphan-${i}`, bsn: validBsn(50_000 + i) })),
      expect: 'parked',
    });
  const junk = Array.from({ length: 3000 }, (_, i) => hostileJunk(rand, i, bsnOf(i % HOUSEHOLDS)));
  // Junk anywhere; re-deliveries, conflicts and takeover attempts after the originals.
  const mixed = [...out];
  for (const j of junk) mixed.splice(Math.floor(rand() * (mixed.length + 1)), 0, j);
  return [...mixed, ...later];
}
