import { describe, expect, it } from 'vitest';
import { defaultParameters } from '../packages/domain/src/index.js';
import { monthLowering, tablesOf, workDisregard } from './engine.js';
import { sources } from './sources.js';

/**
 * The earnings disregard (Pw art. 31(2)(n) before 2027, art. 34a from 2027; SPEC §5.4) against the
 * rate, maximum and worked examples municipalities publish. The rate and maximum of the date are the
 * case's parameters; the engine must apply them to a month's income from work.
 */

function disregardRow(validFrom: string, rate: string, capAmount: string, source: string) {
  return { validFrom, work: { rate, capAmount, maxMonths: 6 }, source: `law-validation source ${source}` };
}

describe(`${sources.uithoorn2024.publisher}: inkomstenvrijlating, tarief 2024`, () => {
  const params = tablesOf({ disregard: [disregardRow('2024-01-01', '0.25', '264.00', 'uithoorn2024')] });

  it('worked example: netto € 100,- verdiend, mag u € 25,- houden', () => {
    expect(workDisregard('2024-03', '100.00', params)).toBe('25.00');
  });

  it('25% of a wage of € 1.500 is € 375, the disregard stops at the published maximum € 264,00', () => {
    expect(workDisregard('2024-03', '1500.00', params)).toBe('264.00');
  });
});

describe(`${sources.zutphen2020.publisher}: vrijlating per ${sources.zutphen2020.date}`, () => {
  const params = tablesOf({ disregard: [disregardRow('2020-07-01', '0.25', '217.00', 'zutphen2020')] });

  it('25% of € 1.000 is € 250, the disregard stops at the published maximum € 217', () => {
    expect(workDisregard('2020-09', '1000.00', params)).toBe('217.00');
  });
});

describe(`${sources.iasz2026.publisher}: bedragen of ${sources.iasz2026.date} in the engine's national tables`, () => {
  it('vrij te laten inkomsten uit arbeid (onderdeel n): € 285, the maximum the engine applies in March 2026', () => {
    expect(workDisregard('2026-03', '1500.00', defaultParameters)).toBe('285.00');
  });

  it("verlaging met 10% van de norm voor gehuwden: € 200,21 off the engine's gehuwdennorm of March 2026", () => {
    expect(monthLowering('2026-03', 'couple', 2, '0.10', defaultParameters)).toBe('200.21');
  });
});

describe(`${sources.szwProgrammaplan.publisher}: ${sources.szwProgrammaplan.title} (art. 34a from 2027)`, () => {
  it('één geharmoniseerde vrijlating van 15%: € 150 of a wage of € 1.000 in March 2027', () => {
    expect(workDisregard('2027-03', '1000.00', defaultParameters)).toBe('150.00');
  });
});
