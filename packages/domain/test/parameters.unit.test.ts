import { describe, expect, it } from 'vitest';
import {
  addDays,
  defaultParameterData,
  defaultParameters,
  findInForce,
  lookup,
  ParameterNotInForceError,
  parameterOverridesSchema,
  parameterTableSchemas,
  parseParameterTables,
  withOverrides,
  type ParameterName,
} from '../src/index.js';

const tableNames = Object.keys(parameterTableSchemas) as ParameterName[];

describe('SPEC §2 dated parameter lookup', () => {
  it('before the first validFrom → ParameterNotInForceError naming table and date', () => {
    let caught: unknown;
    try {
      lookup(defaultParameters, 'norm', '2025-12-31');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ParameterNotInForceError);
    expect((caught as ParameterNotInForceError).parameter).toBe('norm');
    expect((caught as ParameterNotInForceError).date).toBe('2025-12-31');
    expect(findInForce(defaultParameters, 'norm', '2025-12-31')).toBeUndefined();
  });

  it('exactly on validFrom → that row', () => {
    const row = lookup(defaultParameters, 'norm', '2026-01-01');
    expect([row.couple, row.single]).toEqual(['2002.13', '1401.50']);
  });

  it('disregard: one day before 2027-01-01 → 2026 row; on it → 2027 row', () => {
    const before = lookup(defaultParameters, 'disregard', '2026-12-31');
    expect([before.validFrom, before.work]).toEqual([
      '2026-07-01',
      { rate: '0.25', capAmount: '289.00', maxMonths: 6 },
    ]);
    const on = lookup(defaultParameters, 'disregard', '2027-01-01');
    expect([on.validFrom, on.work, on.medical, on.pensionAge]).toEqual([
      '2027-01-01',
      { rate: '0.15', maxMonths: 12 },
      { rate: '0.15' },
      { rate: '0.25', capAmount: '226.00' },
    ]);
  });

  it('bufferBudget: none on 2026-12-31, 1000.00 on 2027-01-01', () => {
    expect(() => lookup(defaultParameters, 'bufferBudget', '2026-12-31')).toThrow(ParameterNotInForceError);
    expect(lookup(defaultParameters, 'bufferBudget', '2027-01-01').perYear).toBe('1000.00');
  });

  it('default values match the SPEC §2 table', () => {
    expect(lookup(defaultParameters, 'holidayReserveRate', '1900-01-01').value).toBe('0.05');
    expect(() => lookup(defaultParameters, 'holidayReserveRate', '1899-12-31')).toThrow(ParameterNotInForceError);
    expect(lookup(defaultParameters, 'wgaDeductionRate', '2026-01-01').value).toBe('0.0000');
    expect(lookup(defaultParameters, 'holidayPayoutMonth', '2030-12-31').value).toBe(6);
  });

  it('every default row names its source', () => {
    for (const name of tableNames)
      for (const row of defaultParameters[name]) expect(row.source.length).toBeGreaterThan(0);
  });
});

describe('SPEC §11 withOverrides', () => {
  const overrides = parameterOverridesSchema.parse({
    norm: [
      { validFrom: '2026-01-01', couple: '2100.00', single: '1470.00' },
      { validFrom: '2027-01-01', couple: '2040.00', single: '1428.00', source: 'test' },
    ],
  });
  const merged = withOverrides(defaultParameters, overrides);

  it('replaces a row with the same validFrom and adds the others, sorted', () => {
    expect(merged.norm.map((r) => [r.validFrom, r.couple, r.single, r.source])).toEqual([
      ['2026-01-01', '2100.00', '1470.00', 'override without a source note'],
      ['2026-07-01', '2027.79', '1419.46', defaultParameters.norm[1]!.source],
      ['2027-01-01', '2040.00', '1428.00', 'test'],
    ]);
    expect(lookup(merged, 'norm', '2026-06-30').single).toBe('1470.00');
    expect(lookup(merged, 'norm', '2026-12-31').single).toBe('1419.46');
    expect(lookup(merged, 'norm', '2027-01-01').single).toBe('1428.00');
  });

  it('leaves the base tables and untouched tables as they were', () => {
    expect(defaultParameters.norm.map((r) => r.couple)).toEqual(['2002.13', '2027.79']);
    expect(merged.disregard).toEqual(defaultParameters.disregard);
  });

  it('rows given out of order are sorted', () => {
    const m = withOverrides(
      defaultParameters,
      parameterOverridesSchema.parse({
        bufferBudget: [
          { validFrom: '2029-01-01', perYear: '1200.00' },
          { validFrom: '2028-01-01', perYear: '1100.00' },
        ],
      }),
    );
    expect(m.bufferBudget.map((r) => [r.validFrom, r.perYear])).toEqual([
      ['2027-01-01', '1000.00'],
      ['2028-01-01', '1100.00'],
      ['2029-01-01', '1200.00'],
    ]);
  });

  it('no overrides → the base itself', () => {
    expect(withOverrides(defaultParameters, undefined)).toBe(defaultParameters);
  });

  it('an override row is validated (money as a number, a disregard row without its work kind, an unknown kind)', () => {
    expect(
      parameterOverridesSchema.safeParse({ norm: [{ validFrom: '2027-01-01', couple: 2040, single: '1428.00' }] })
        .success,
    ).toBe(false);
    expect(
      parameterOverridesSchema.safeParse({ disregard: [{ validFrom: '2027-01-01', medical: { rate: '0.15' } }] })
        .success,
    ).toBe(false);
    expect(
      parameterOverridesSchema.safeParse({
        disregard: [{ validFrom: '2027-01-01', work: { rate: '0.15' }, sabbatical: { rate: '0.5' } }],
      }).success,
    ).toBe(false);
    expect(
      parameterOverridesSchema.safeParse({
        disregard: [{ validFrom: '2027-01-01', work: { rate: '0.15', maxMonths: 12 } }],
      }).success,
    ).toBe(true);
  });
});

describe('parseParameterTables', () => {
  it('refuses a set with an empty table', () => {
    expect(() => parseParameterTables({ ...defaultParameterData, bufferBudget: [] })).toThrow(/bufferBudget/);
  });
});

describe('temporal coverage of the default tables', () => {
  for (const name of tableNames) {
    it(`${name}: rows strictly increasing by validFrom, a value on every day up to 2030-12-31`, () => {
      const rows = defaultParameters[name] as Array<{ validFrom: string }>;
      expect(rows.length).toBeGreaterThan(0);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.validFrom > rows[i - 1]!.validFrom).toBe(true);
      const first = rows[0]!.validFrom;
      expect(findInForce(defaultParameters, name, addDays(first, -1))).toBeUndefined();
      let missing = 0;
      let days = 0;
      for (let d = first; d <= '2030-12-31'; d = addDays(d, 1)) {
        days++;
        const row = findInForce(defaultParameters, name, d) as { validFrom: string } | undefined;
        if (!row || row.validFrom > d) missing++;
      }
      expect(days).toBeGreaterThan(365);
      expect(missing).toBe(0);
    });
  }
});
