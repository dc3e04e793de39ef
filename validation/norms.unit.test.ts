import { describe, expect, it } from 'vitest';
import { monthLowering, monthNorm, normRow, published, tablesOf } from './engine.js';
import { sources } from './sources.js';

/**
 * Norms against published tables (Pw art. 21, 22a, 19(3); SPEC §5.1–5.2). Each table's gehuwden- and
 * alleenstaandennorm incl. vakantietoeslag are the case's parameters (they are set by the minister, not
 * computed); everything else the source prints (the holiday reserve, the norm excl. VT, the
 * kostendelersnorm per A) is what the engine must compute from them, to the cent.
 */

describe(`${sources.rsdLiemers2024.publisher}: normbedragen per ${sources.rsdLiemers2024.date}`, () => {
  // Parameters of 1 January 2024, quoted from the same table (and from laborijn2024, which prints the same two).
  const params = tablesOf({ norm: [normRow('2024-01-01', '1834.04', '1283.83', 'rsdLiemers2024')] });

  it('gehuwden: € 1.834,04 incl. VT = € 1.742,34 + € 91,70 VT', () => {
    expect(monthNorm('2024-03', 'couple', 2, params)).toEqual(published('1834.04', '91.70', '1742.34'));
  });

  it('alleenstaande: € 1.283,83 incl. VT = € 1.219,64 + € 64,19 VT (also laborijn2024)', () => {
    expect(monthNorm('2024-03', 'single', 1, params)).toEqual(published('1283.83', '64.19', '1219.64'));
  });

  // "n persoonshuishouding": the kostendelersnorm per person with A = n (art. 22a(1)).
  const perPerson: Array<[number, string, string, string]> = [
    [2, '917.02', '45.85', '871.17'],
    [4, '733.62', '36.68', '696.94'],
    [6, '672.48', '33.62', '638.86'],
    [7, '655.01', '32.75', '622.26'],
    [8, '641.91', '32.10', '609.81'],
  ];
  for (const [a, norm, holidayReserve, normExclHoliday] of perPerson) {
    it(`${a} persoonshuishouding: € ${norm} incl. VT, € ${normExclHoliday} excl., € ${holidayReserve} VT`, () => {
      expect(monthNorm('2024-03', 'single', a, params)).toEqual(published(norm, holidayReserve, normExclHoliday));
    });
  }

  it('3 and 5 persoonshuishouding: the norm incl. VT as published (€ 794,75 and € 696,94)', () => {
    expect(monthNorm('2024-03', 'single', 3, params).norm).toBe('794.75');
    expect(monthNorm('2024-03', 'single', 5, params).norm).toBe('696.94');
  });

  // Known differences (validation/README.md): the table is not consistent with itself on these two rows
  // (incl. VT − VT ≠ excl. VT); the engine gives 794,75 − 39,74 = 755,01 and 696,94 − 34,85 = 662,09.
  it.fails('KNOWN DIFFERENCE 3 persoonshuishouding: VT published € 39,64, engine € 39,74 (794,75 − 755,01)', () => {
    expect(monthNorm('2024-03', 'single', 3, params)).toEqual(published('794.75', '39.64', '755.01'));
  });
  it.fails('KNOWN DIFFERENCE 5 persoonshuishouding: excl. VT published € 622,09, engine € 662,09', () => {
    expect(monthNorm('2024-03', 'single', 5, params)).toEqual(published('696.94', '34.85', '622.09'));
  });

  it('geen woonlasten: a lowering by 10% of the gehuwdennorm takes off € 183,40 (N − round(0,10 × N))', () => {
    expect(monthLowering('2024-03', 'couple', 2, '0.10', params)).toBe('183.40');
  });

  it('70% of the gehuwdennorm (seed 001, art. 24 from 2027) is the published alleenstaandennorm € 1.283,83', () => {
    // The 2024 norms laid over 2027, where partnerNormRate is 0.70 (szwProgrammaplan): round(0.70 × 1834.04).
    const in2027 = tablesOf({ norm: [normRow('2027-01-01', '1834.04', '1283.83', 'rsdLiemers2024')] });
    expect(monthNorm('2027-03', 'couple-one-entitled', 2, in2027).norm).toBe('1283.83');
  });
});

describe(`${sources.venray2023.publisher}: kostendelersnorm per persoon, norms of ${sources.venray2023.date}`, () => {
  // Parameters of 1 July 2023 quoted from krimpenerwaard2023 (and the gehuwdennorm also from venray2023).
  const params = tablesOf({ norm: [normRow('2023-07-01', '1738.02', '1216.62', 'krimpenerwaard2023')] });

  it('gehuwden € 1.738,02 incl. VT', () => {
    expect(monthNorm('2023-09', 'couple', 2, params).norm).toBe('1738.02');
  });

  const perPerson: Array<[number, string]> = [
    [2, '869.01'],
    [3, '753.14'],
    [4, '695.21'],
    [5, '660.45'],
    [6, '637.27'],
  ];
  for (const [a, norm] of perPerson) {
    it(`${a} personen: € ${norm} per persoon incl. VT`, () => {
      expect(monthNorm('2023-09', 'single', a, params).norm).toBe(norm);
    });
  }
});

describe(`${sources.stab2018.publisher}: norms per ${sources.stab2018.date}`, () => {
  const params = tablesOf({ norm: [normRow('2018-01-01', '1417.32', '992.12', 'stab2018')] });

  it('gehuwden 1417,32 incl. VT = 1346,45 excl. VT + 70,87 VT', () => {
    expect(monthNorm('2018-03', 'couple', 2, params)).toEqual(published('1417.32', '70.87', '1346.45'));
  });

  it('alleenstaande 992,12 incl. VT = 942,51 excl. VT + 49,61 VT', () => {
    expect(monthNorm('2018-03', 'single', 1, params)).toEqual(published('992.12', '49.61', '942.51'));
  });
});

describe(`norms per 2017-07-01: ${sources.allewetten2017.publisher} and ${sources.heerenveen2017.publisher}`, () => {
  const params = tablesOf({ norm: [normRow('2017-07-01', '1409.31', '986.52', 'allewetten2017')] });

  it('alleenstaande 986,52 incl. VT = 937,19 excl. VT + 49,33 VT (Heerenveen: € 937,19)', () => {
    expect(monthNorm('2017-09', 'single', 1, params)).toEqual(published('986.52', '49.33', '937.19'));
  });

  it('gehuwden: VT 70,47 and, as Heerenveen publishes, € 1.338,84 excl. VT', () => {
    expect(monthNorm('2017-09', 'couple', 2, params)).toEqual(published('1409.31', '70.47', '1338.84'));
  });

  // Known difference: allewetten2017 prints 1338,85 excl. VT next to 1409,31 incl. and 70,47 VT (which
  // give 1338,84, as the engine and heerenveen2017 do): the Mededeling rounds excl. VT on its own.
  it.fails('KNOWN DIFFERENCE gehuwden excl. VT: allewetten.nl € 1.338,85, engine € 1.338,84', () => {
    expect(monthNorm('2017-09', 'couple', 2, params).normExclHoliday).toBe('1338.85');
  });
});

describe(`${sources.heerenveen2017jan.publisher}: bijstandsbedragen per ${sources.heerenveen2017jan.date}`, () => {
  // The page gives the gehuwdennorm incl. VT as the net minimum wage incl. vakantietoeslag (Pw art. 21(b)).
  // It prints no alleenstaandennorm incl. VT: the row's `single` is 0.00, unused by the case, not a guess.
  const params = tablesOf({ norm: [normRow('2017-01-01', '1403.98', '0.00', 'heerenveen2017jan')] });

  it('getrouwd of samenwonend: € 1.403,98 incl. VT is € 1.333,78 excl. VT', () => {
    expect(monthNorm('2017-03', 'couple', 2, params)).toEqual(published('1403.98', '70.20', '1333.78'));
  });
});
