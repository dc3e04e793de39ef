import { describe, expect, it } from 'vitest';
import { monthNorm, normRow, tablesOf } from './engine.js';
import { sources } from './sources.js';

/**
 * Pw art. 24a (SPEC v3 §5.1, change 1): a single parent whose partner has no right to assistance gets the
 * couple-one-entitled norm for the same A plus round(aloSupplementPerYear / 12), 1/12 of the WKB
 * alleenstaande-ouderkop (SPEC v2 had 90 % of the gehuwdennorm instead).
 *
 * The parameters are published figures of 2024 laid over 2027 (art. 24a is in force from 2027-01-01 and
 * no 2027 amounts are published yet): the gehuwdennorm € 1.834,04 (rsdLiemers2024), the ALO-kop
 * € 3.531 per year (rechtshulpTilburg2024) and the 70% of the gehuwdennorm (szwProgrammaplan).
 * The expected norms are sums of quoted figures: round(0.70 × 1834.04) = € 1.283,83 (the published
 * alleenstaandennorm), round(130/300 × 1834.04) = € 794,75 (the published 3 persoonshuishouding),
 * and 3531 / 12 = € 294,25.
 */
const title = `art. 24a: ${sources.rsdLiemers2024.publisher} norms, ${sources.rechtshulpTilburg2024.publisher} ALO-kop`;
describe(title, () => {
  const params = () =>
    tablesOf({
      norm: [normRow('2027-01-01', '1834.04', '1283.83', 'rsdLiemers2024')],
      partnerNormRate: [{ validFrom: '2027-01-01', value: '0.70', source: 'law-validation source szwProgrammaplan' }],
      aloSupplementPerYear: [
        { validFrom: '2027-01-01', value: '3531.00', source: 'law-validation source rechtshulpTilburg2024' },
      ],
    });

  it('A = 1: € 1.283,83 + € 294,25 = € 1.578,08', () => {
    expect(monthNorm('2027-03', 'single-parent-no-alo', 1, params()).norm).toBe('1578.08');
  });

  it('A = 2 (the parent and the partner): € 1.283,83 + € 294,25 = € 1.578,08', () => {
    expect(monthNorm('2027-03', 'single-parent-no-alo', 2, params()).norm).toBe('1578.08');
  });

  it('A = 3 (one cost sharer besides them): € 794,75 + € 294,25 = € 1.089,00', () => {
    expect(monthNorm('2027-03', 'single-parent-no-alo', 3, params()).norm).toBe('1089.00');
  });
});
