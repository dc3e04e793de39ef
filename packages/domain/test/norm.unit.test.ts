import { describe, expect, it } from 'vitest';
import {
  categoryNorm,
  normSegments,
  defaultParameters,
  fmt,
  lookup,
  money,
  normOfMonth,
  type Measure,
  type NormTables,
  OPEN_END,
  ParameterNotInForceError,
  parameterOverridesSchema,
  withOverrides,
  type Composition,
  type HouseholdCategory,
} from '../src/index.js';

// Default parameters 2026: norm.couple 2002.13, norm.single 1401.50, holidayReserveRate 0.05;
// from 2026-07-01 2027.79 / 1419.46; partnerNormRate 0.50, from 2027 0.70; aloSupplementPerYear 3416.00 from 2027.
const tablesAt = (date: string): NormTables => {
  const row = lookup(defaultParameters, 'norm', date);
  const alo = date < '2027-01-01' ? '0' : lookup(defaultParameters, 'aloSupplementPerYear', date).value;
  return {
    couple: money(row.couple),
    single: money(row.single),
    partnerNormRate: money(lookup(defaultParameters, 'partnerNormRate', date).value),
    aloSupplementPerYear: money(alo),
  };
};
const norm = (category: HouseholdCategory, a: number, date = '2026-01-01') =>
  fmt(categoryNorm(category, a, tablesAt(date)));

describe('SPEC §5.1 category norms (Pw art. 21, 22a; 001 measure 6)', () => {
  describe('single and single-parent', () => {
    it('A = 1 → norm.single', () => {
      expect(norm('single', 1)).toBe('1401.50');
      expect(norm('single-parent', 1)).toBe('1401.50');
    });
    it('A = 2 → round((40 + 60)/200 × 2002.13) = round(1001.065) = 1001.07 (half-up)', () => {
      expect(norm('single', 2)).toBe('1001.07');
      expect(norm('single-parent', 2)).toBe('1001.07');
    });
    it('A = 3 → round(130/300 × 2002.13) = round(867.58966…) = 867.59', () => {
      expect(norm('single', 3)).toBe('867.59');
    });
    it('A = 4 → round(160/400 × 2002.13) = round(800.852) = 800.85', () => {
      expect(norm('single', 4)).toBe('800.85');
    });
  });

  describe('couple', () => {
    it('A = 2 → norm.couple 2002.13', () => {
      expect(norm('couple', 2)).toBe('2002.13');
    });
    it('A = 3 → round(2 × 130/300 × 2002.13) = round(1735.17933…) = 1735.18', () => {
      expect(norm('couple', 3)).toBe('1735.18');
    });
    it('A = 4 → round(2 × 160/400 × 2002.13) = round(1601.704) = 1601.70', () => {
      expect(norm('couple', 4)).toBe('1601.70');
    });
  });

  it('couple-one-entitled, A ≤ 2: 2026 round(0.50 × 2002.13) = 1001.07 (art. 24); 2027 round(0.70 × 2027.79) = round(1419.453) = 1419.45 (measure 6a)', () => {
    expect(norm('couple-one-entitled', 2)).toBe('1001.07');
    expect(norm('couple-one-entitled', 2, '2027-01-01')).toBe('1419.45');
  });

  it('couple-one-entitled, A = 3: the cost-sharer norm round(130/300 × 2027.79) = round(878.709) = 878.71 (art. 22a(2))', () => {
    expect(norm('couple-one-entitled', 3, '2027-01-01')).toBe('878.71');
  });

  it('single-parent-no-alo (2027, art. 24a) → round(0.70 × 2027.79) + round(3416.00 / 12) = 1419.45 + 284.67 = 1704.12', () => {
    // v2 gave round(0.90 × 2027.79) = 1825.01.
    expect(norm('single-parent-no-alo', 1, '2027-01-01')).toBe('1704.12');
    expect(norm('single-parent-no-alo', 2, '2027-01-01')).toBe('1704.12');
  });
});

describe('SPEC §5.1–5.2 norm of a month', () => {
  const single: Composition = { from: '2026-01-01', category: 'single', costSharers: 1 };

  it('full month single: N 1401.50, VT round(70.075) = 70.08, NormEx 1331.42', () => {
    const n = normOfMonth('2026-03', { start: '2026-01-01', end: OPEN_END }, [single], [], defaultParameters);
    expect([fmt(n.norm), fmt(n.holidayReserveFull), fmt(n.normExclHoliday)]).toEqual(['1401.50', '70.08', '1331.42']);
  });

  it('full month couple: N 2002.13, VT round(100.1065) = 100.11, NormEx 1902.02', () => {
    const c: Composition = { from: '2026-01-01', category: 'couple', costSharers: 2 };
    const n = normOfMonth('2026-03', { start: '2026-01-01', end: OPEN_END }, [c], [], defaultParameters);
    expect([fmt(n.norm), fmt(n.holidayReserveFull), fmt(n.normExclHoliday)]).toEqual(['2002.13', '100.11', '1902.02']);
  });

  it('case starting on the 10th of a 30-day month (April): 21 of 30 days', () => {
    // N = round(1401.50 × 21/30) = 981.05; VT = round(0.05 × 981.05) = round(49.0525) = 49.05; NormEx = 932.00
    const c: Composition = { from: '2026-04-10', category: 'single', costSharers: 1 };
    const n = normOfMonth('2026-04', { start: '2026-04-10', end: OPEN_END }, [c], [], defaultParameters);
    expect([fmt(n.norm), fmt(n.holidayReserveFull), fmt(n.normExclHoliday)]).toEqual(['981.05', '49.05', '932.00']);
  });

  it('case ending on the 15th of a 31-day month (March): 15 of 31 days', () => {
    // N = round(1401.50 × 15/31) = round(678.145…) = 678.15; VT = round(33.9075) = 33.91; NormEx = 644.24
    const n = normOfMonth('2026-03', { start: '2026-01-01', end: '2026-03-15' }, [single], [], defaultParameters);
    expect([fmt(n.norm), fmt(n.holidayReserveFull), fmt(n.normExclHoliday)]).toEqual(['678.15', '33.91', '644.24']);
  });

  it('a month wholly outside K has norm 0', () => {
    const n = normOfMonth('2026-05', { start: '2026-01-01', end: '2026-04-30' }, [single], [], defaultParameters);
    expect([fmt(n.norm), fmt(n.holidayReserveFull), fmt(n.normExclHoliday)]).toEqual(['0.00', '0.00', '0.00']);
  });

  it('HouseholdChanged mid-month gives two segments and N_M is rounded once', () => {
    // April 2026 (30 days): single 04-01..04-14 (14 days), couple 04-15..04-30 (16 days).
    // N = round((1401.50 × 14 + 2002.13 × 16) / 30) = round(51655.08 / 30) = round(1721.836) = 1721.84
    // (rounding each segment would give 654.03 + 1067.80 = 1721.83)
    // VT = round(86.092) = 86.09; NormEx = 1635.75
    const comps: Composition[] = [single, { from: '2026-04-15', category: 'couple', costSharers: 2 }];
    const n = normOfMonth('2026-04', { start: '2026-01-01', end: OPEN_END }, comps, [], defaultParameters);
    expect([fmt(n.norm), fmt(n.holidayReserveFull), fmt(n.normExclHoliday)]).toEqual(['1721.84', '86.09', '1635.75']);
  });

  it('normSegments splits at the change date', () => {
    const comps: Composition[] = [single, { from: '2026-04-15', category: 'couple', costSharers: 2 }];
    const segs = normSegments({ start: '2026-04-01', end: '2026-04-30' }, comps, []);
    expect(segs.map((s) => `${s.period.start}/${s.period.end}:${s.composition.category}`)).toEqual([
      '2026-04-01/2026-04-14:single',
      '2026-04-15/2026-04-30:couple',
    ]);
  });

  it('a norm row starting mid-segment is not used for that segment (table at the segment’s first day)', () => {
    // New single norm 1500.00 from 2026-07-15. July 2026 (31 days), change of composition on 07-20 (single A=1 → single A=1).
    // Segment 07-01..07-19 (19 days) uses the 2026-07-01 row 1419.46; segment 07-20..07-31 (12 days) uses 1500.00.
    // N = round((1419.46 × 19 + 1500.00 × 12) / 31) = round((26969.74 + 18000.00) / 31) = round(1450.6367…) = 1450.64
    const params = withOverrides(
      defaultParameters,
      parameterOverridesSchema.parse({ norm: [{ validFrom: '2026-07-15', couple: '2100.00', single: '1500.00' }] }),
    );
    const comps: Composition[] = [single, { from: '2026-07-20', category: 'single', costSharers: 1 }];
    const n = normOfMonth('2026-07', { start: '2026-01-01', end: OPEN_END }, comps, [], params);
    expect(fmt(n.norm)).toBe('1450.64');
    // One segment only (no composition change): the whole month takes the row of 07-01.
    expect(fmt(normOfMonth('2026-07', { start: '2026-01-01', end: OPEN_END }, [single], [], params).norm)).toBe(
      '1419.46',
    );
  });

  it('a month before any norm is in force is refused', () => {
    const c: Composition = { from: '2025-12-01', category: 'single', costSharers: 1 };
    expect(() => normOfMonth('2025-12', { start: '2025-12-01', end: OPEN_END }, [c], [], defaultParameters)).toThrow(
      ParameterNotInForceError,
    );
  });
});

describe("SPEC §5.1 measures (Pw art. 18): the norm lowered by a rate on the measure's days", () => {
  const single: Composition = { from: '2027-01-01', category: 'single', costSharers: 1 };
  const K = { start: '2027-01-01', end: OPEN_END };
  const measure = (from: string, to: string, rate = '0.10', id = 'MR-1'): Measure => ({
    measureId: id,
    rate,
    from,
    to,
    imposedTo: to,
  });
  const month = (m: string, measures: Measure[]) => {
    const n = normOfMonth(m, K, [single], measures, defaultParameters);
    return [fmt(n.norm), fmt(n.measureReduction)];
  };

  it('a whole month: 1419.46 − round(0.10 × 1419.46) = 1419.46 − 141.95 = 1277.51', () => {
    expect(month('2027-04', [measure('2027-04-01', '2027-04-30')])).toEqual(['1277.51', '141.95']);
  });

  it('a measure that starts on the last day of a month lowers one day of it: round((1419.46 × 30 + 1277.51) / 31) = 1414.88', () => {
    // (42583.80 + 1277.51) / 31 = 1414.8810 → 1414.88; reduction 1419.46 − 1414.88 = 4.58
    expect(month('2027-03', [measure('2027-03-31', '2027-04-30')])).toEqual(['1414.88', '4.58']);
    expect(month('2027-04', [measure('2027-03-31', '2027-04-30')])).toEqual(['1277.51', '141.95']);
    expect(month('2027-05', [measure('2027-03-31', '2027-04-30')])).toEqual(['1419.46', '0.00']);
  });

  it('overlapping measures add up (0.10 + 0.20 = 0.30), at most 1', () => {
    // 1419.46 − round(0.30 × 1419.46 = 425.838) = 1419.46 − 425.84 = 993.62
    expect(
      month('2027-04', [measure('2027-04-01', '2027-04-30'), measure('2027-04-01', '2027-04-30', '0.20', 'MR-2')]),
    ).toEqual(['993.62', '425.84']);
    expect(
      month('2027-04', [
        measure('2027-04-01', '2027-04-30', '0.60'),
        measure('2027-04-01', '2027-04-30', '0.70', 'MR-2'),
      ]),
    ).toEqual(['0.00', '1419.46']);
  });

  it('segments split where a measure starts and where it ends', () => {
    const segs = normSegments(
      { start: '2027-04-01', end: '2027-04-30' },
      [single],
      [measure('2027-04-10', '2027-04-19')],
    );
    expect(segs.map((s) => `${s.period.start}/${s.period.end}:${s.measureRate.toString()}`)).toEqual([
      '2027-04-01/2027-04-09:0',
      '2027-04-10/2027-04-19:0.1',
      '2027-04-20/2027-04-30:0',
    ]);
  });
});
