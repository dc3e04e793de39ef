import { describe, expect, it } from 'vitest';
import { monthNorm, normRow, tablesOf } from './engine.js';
import { sources } from './sources.js';

/**
 * A couple with cost sharers (Pw art. 22a(2); SPEC v3 §5.1, change 2): the couple's norm is the sum of
 * each spouse's kostendelersnorm, so twice the per-person amount the published tables print for A. SPEC v2
 * computed round(2 × …), a cent apart for some A: the published tables agree with v3, not with v2.
 */

describe(`${sources.rsdLiemers2024.publisher}: couples in an n persoonshuishouding`, () => {
  const params = tablesOf({ norm: [normRow('2024-01-01', '1834.04', '1283.83', 'rsdLiemers2024')] });

  it('3 persoonshuishouding: 2 × € 794,75 = € 1.589,50 (v2 and v3 agree)', () => {
    expect(monthNorm('2024-03', 'couple', 3, params).norm).toBe('1589.50');
  });
  it('6 persoonshuishouding: 2 × € 672,48 = € 1.344,96 (v2 and v3 agree)', () => {
    expect(monthNorm('2024-03', 'couple', 6, params).norm).toBe('1344.96');
  });

  // v2 gives round(2 × 160/400 × 1834.04) = 1467.23, round(2 × 190/500 × …) = 1393.87,
  // round(2 × 250/700 × …) = 1310.03, round(2 × 280/800 × …) = 1283.83.
  const differing: Array<[number, string, string, string]> = [
    [4, '733.62', '1467.24', '1467.23'],
    [5, '696.94', '1393.88', '1393.87'],
    [7, '655.01', '1310.02', '1310.03'],
    [8, '641.91', '1283.82', '1283.83'],
  ];
  for (const [a, perPerson, v3, v2] of differing) {
    const name = `${a} persoonshuishouding 2 × € ${perPerson} = € ${v3} (v2: € ${v2})`;
    it(name, () => {
      expect(monthNorm('2024-03', 'couple', a, params).norm).toBe(v3);
    });
  }
});

describe(`${sources.venray2023.publisher}: couples with cost sharers, norms of ${sources.venray2023.date}`, () => {
  const params = tablesOf({ norm: [normRow('2023-07-01', '1738.02', '1216.62', 'krimpenerwaard2023')] });

  const agreeing: Array<[number, string, string]> = [
    [3, '753.14', '1506.28'],
    [4, '695.21', '1390.42'],
    [5, '660.45', '1320.90'],
  ];
  for (const [a, perPerson, couple] of agreeing) {
    it(`${a} personen: 2 × € ${perPerson} = € ${couple} (v2 and v3 agree)`, () => {
      expect(monthNorm('2023-09', 'couple', a, params).norm).toBe(couple);
    });
  }

  // v2 gives round(2 × 220/600 × 1738.02) = round(1274.548) = 1274.55.
  it('6 personen 2 × € 637,27 = € 1.274,54 (v2: € 1.274,55)', () => {
    expect(monthNorm('2023-09', 'couple', 6, params).norm).toBe('1274.54');
  });
});
