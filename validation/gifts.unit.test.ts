import { describe, expect, it } from 'vitest';
import { defaultParameters } from '../packages/domain/src/index.js';
import { giftsCounted, tablesOf } from './engine.js';
import { sources } from './sources.js';

/**
 * The free amount for gifts (Pw art. 31(2)(m); SPEC §4.5) against the worked examples municipalities
 * publish: gifts up to the year's free amount are not income, what goes above it is. The free amount of
 * the date is the case's parameter.
 */

function freeRow(validFrom: string, value: string, source: string) {
  return { validFrom, value, source: `law-validation source ${source}` };
}

/** A gift of `amount` on the given day of each month from January through `months`. */
function monthly(year: number, months: number, day: string, amount: string) {
  const month = (i: number) => String(i + 1).padStart(2, '0');
  return Array.from({ length: months }, (_, i) => ({ receivedOn: `${year}-${month(i)}-${day}`, amount }));
}

describe(`${sources.arnhem2023.publisher}: giften vrij tot € 1.800 per jaar vanaf ${sources.arnhem2023.date}`, () => {
  // The engine takes the free amount at 1 January of the gift's year (SPEC §4.5): the examples are set in
  // 2024, the first whole year of the Arnhem amount.
  const params = tablesOf({ giftsFreePerYear: [freeRow('2023-05-01', '1800.00', 'arnhem2023')] });

  it('€ 50 boodschappen x 12 maanden plus een wasmachine van € 400 (€ 1.000): nothing counts', () => {
    const gifts = [...monthly(2024, 12, '05', '50.00'), { receivedOn: '2024-03-20', amount: '400.00' }];
    expect(giftsCounted(gifts, params).every((c) => c === '0.00')).toBe(true);
  });

  it('€ 250 per maand: after 8 months € 2.000, what is above € 1.800 counts (€ 200, in month 8)', () => {
    expect(giftsCounted(monthly(2024, 8, '15', '250.00'), params)).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '200.00',
    ]);
  });
});

describe(`${sources.noordenveld2022.publisher}: giften tot € 1.200 per jaar, ${sources.noordenveld2022.date}`, () => {
  const params = tablesOf({ giftsFreePerYear: [freeRow('2022-01-01', '1200.00', 'noordenveld2022')] });

  it('een tas boodschappen van € 50,- per maand en eenmalig € 200,-: nothing counts', () => {
    const gifts = [...monthly(2022, 12, '01', '50.00'), { receivedOn: '2022-06-10', amount: '200.00' }];
    expect(giftsCounted(gifts, params).every((c) => c === '0.00')).toBe(true);
  });
});

describe(`${sources.szwProgrammaplan.publisher}: standaard vrijlating voor giften van € 1 200 per jaar`, () => {
  it('the national free amount of 2026 is € 1 200: € 1.200 counts nothing, the next € 100 in full', () => {
    const gifts = [
      { receivedOn: '2026-02-01', amount: '1200.00' },
      { receivedOn: '2026-09-01', amount: '100.00' },
    ];
    expect(giftsCounted(gifts, defaultParameters)).toEqual(['0.00', '100.00']);
  });
});
