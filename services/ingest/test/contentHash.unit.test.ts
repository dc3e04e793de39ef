import { canonicalJson, sha256Hex } from '@bijstand/platform';
import { generateHouseholds } from '@bijstand/synthetic';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../src/messageIds.js';
import { validateStatement } from '../src/validation.js';

/** The hash as it was defined (and stored in every MessageIdClaimed): SHA-256 of platform's canonicalJson. */
const definedHash = (value: unknown) => sha256Hex(canonicalJson(value));

describe('contentHash', () => {
  it("is SHA-256 of platform's canonicalJson for every synthetic statement as validated", () => {
    const statements = generateHouseholds({ households: 60, seed: 7, startMonth: '2027-01', months: 12 })
      .flatMap((input) => (input.statement ? [input.statement] : []))
      .map((statement) => {
        const v = validateStatement({
          kind: 'statement',
          payload: JSON.stringify(statement),
          recordedAt: '2027-01-01T00:00:00Z',
          source: { type: 'inline', reference: 'test' },
        } as Parameters<typeof validateStatement>[0]);
        if (!v.ok) throw new Error(v.reason);
        return v.value;
      });
    expect(statements.length).toBeGreaterThan(200);
    for (const statement of statements) expect(contentHash(statement)).toBe(definedHash(statement));
  });

  it('a stored hash stays what it was: a fixed statement gives the hash it gave before', () => {
    const statement = {
      messageId: 'm-0034',
      bsn: '123456782',
      employer: { payrollTaxNumber: '123456789L01', name: 'Gemeente Voorbeeld' },
      incomeRelationshipId: 'IKV-gemeente-3',
      period: { start: '2027-12-01', end: '2027-12-31', kind: 'month' },
      taxableWage: '2427.60',
      kind: 'initial',
    };
    expect(contentHash(statement)).toBe('6eab0d27219873b26bc679ceab4a479625facbd59d4e61acd0729ba5cf906595');
  });

  it('agrees with canonicalJson on what JSON may hold and on odd keys, whatever the order they come in', () => {
    const values: unknown[] = [
      null,
      0,
      -1.5e-7,
      'één € "x"\n',
      true,
      [],
      {},
      [1, null, undefined, [undefined], { a: undefined }],
      { b: 1, a: { d: [3, 2, 1], c: null }, e: undefined },
      { a: { d: [3, 2, 1], c: null }, b: 1 },
      { 'a\u0000b': 1, c: 2 },
      { a: 1, 'b\u0000c': 2 },
      { '"quoted"': 1, '\u00e9': 2, Z: 3, '10': 4, '9': 5, '': 6 },
      JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}'),
      { toString: 'shadowed', valueOf: 3 },
      Array.from({ length: 600 }, (_, i) => ({ [`k${i}`]: i, [`j${i}`]: [i] })),
    ];
    for (const value of values) expect(contentHash(value)).toBe(definedHash(value));
    // The same keys in another order: the same hash (a re-delivery with its keys reordered is no conflict).
    expect(contentHash({ b: 1, a: 2 })).toBe(contentHash({ a: 2, b: 1 }));
    expect(contentHash({ 'a\u0000b': 1, c: 2 })).not.toBe(contentHash({ a: 1, 'b\u0000c': 2 }));
  });
});
