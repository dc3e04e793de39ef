import { describe, expect, it } from 'vitest';
import { demoExampleText, dutchSeconds, nightSummaryText, rulesChangeText } from '../src/index.js';

const figures = {
  households: 3,
  monthsSettled: 4,
  paymentsMade: 2,
  paid: '2398.52',
  householdsWithClaim: 1,
  openClaims: '580.38',
  alerts: 1,
  eventsAppended: 9,
};

describe('run-nightly and the demo in Dutch', () => {
  it('a night of two municipalities: figures in euros, each municipality, what waits for acceptance, a failure', () => {
    const text = nightSummaryText(
      {
        runDate: '2027-07-25',
        ...figures,
        failures: [{ householdId: 'H-9', error: 'no norm for 2031' }],
        municipalities: {
          GM0106: { ...figures, households: 2, paid: '1199.52' },
          GM1680: { ...figures, households: 1, paid: '1199.00' },
        },
        held: { municipalities: ['GM1730'], households: 4 },
      },
      '2027-07-25T00:00:00Z',
    );
    expect(text).toBe(
      [
        'Nacht van 25 juli 2027, gedraaid op 25 juli 2027 om 02:00 uur',
        'kengetal                                       waarde',
        '-----------------------------------------  ----------',
        'huishoudens                                         3',
        'maanden vastgesteld (versies)                       4',
        'betalingen                                          2',
        'totaal betaald                             € 2.398,52',
        'huishoudens met een openstaande vordering           1',
        'openstaande vorderingen samen                € 580,38',
        'signalen                                            1',
        'besluiten vastgelegd                                9',
        'mislukte huishoudens                                1',
        '',
        'Per gemeente',
        'gemeente  huishoudens  maanden  betalingen  totaal betaald  vorderingen  signalen',
        '--------  -----------  -------  ----------  --------------  -----------  --------',
        'GM0106              2        4           2      € 1.199,52     € 580,38         1',
        'GM1680              1        4           2      € 1.199,00     € 580,38         1',
        '',
        'Niet vastgesteld: 4 huishoudens van GM1730; ' +
          'hun regels zijn gewijzigd en wachten op akkoord (./cli rules accept)',
        'mislukt: H-9: no norm for 2031',
        '',
      ].join('\n'),
    );
  });

  it('one municipality of a dry run: its title says nothing was written', () => {
    const text = nightSummaryText(
      { runDate: '2027-03-28', municipality: 'GM0106', ...figures },
      '2027-03-28T01:00:00Z',
      'dry-run',
    );
    expect(text.split('\n')[0]).toBe(
      'Proefnacht van 28 maart 2027 (alles beslist, niets vastgelegd), gemeente GM0106, ' +
        'gedraaid op 28 maart 2027 om 03:00 uur',
    );
    expect(text).not.toContain('mislukte');
  });

  it('a worked example: Dutch months, amounts with a decimal comma, balances in euros, a differing result', () => {
    const text = demoExampleText({
      name: 'x',
      householdId: 'H-x',
      asOf: '2027-11-30T02:00:00Z',
      months: [
        { month: '2027-07', norm: '2040.00', paid: '1010.98' },
        { month: '2027-08', advance: '1199.52' },
      ],
      ledgerBalance: '-580.38',
      reserveBalance: '130.00',
      matches: false,
    });
    expect(text.split('\n').slice(1)).toEqual([
      'x (H-x, stand per 30 november 2027 om 03:00 uur), bedragen in euro',
      'maand              norm  inkomen  vrijlating  bijstand  vak.geld  voorschot  verrekend  buffer   betaald',
      '-------------  --------  -------  ----------  --------  --------  ---------  ---------  ------  --------',
      'juli 2027      2.040,00                                                                         1.010,98',
      'augustus 2027                                                      1.199,52                             ',
      'saldo −€ 580,38, reservering vakantiegeld € 130,00; WIJKT AF van het referentieresultaat ✗',
      '',
    ]);
  });

  it('durations with a decimal comma; the rules change in Dutch', () => {
    expect([dutchSeconds(11), dutchSeconds(53.04)]).toEqual(['11,0 s', '53,0 s']);
    const change = {
      municipality: 'GM0106',
      name: 'Assen',
      previous: 'r-1',
      current: 'r-2',
      changes: ['policy.alertThreshold: 0.00 → 25.00'],
      accepted: null,
    };
    const resettled = { GM0106: { households: 1, months: 9, backPayments: '0.00', claims: '104.40' } };
    expect(rulesChangeText([change], resettled)).toBe(
      'regels van GM0106 (Assen) gewijzigd sinds de vorige nacht: r-1 → r-2\n' +
        '  policy.alertThreshold: 0.00 → 25.00\n' +
        '  voorproef: 9 maanden van 1 huishouden opnieuw vastgesteld: € 0,00 na te betalen aan inwoners, ' +
        '€ 104,40 terug te vorderen\n' +
        '  niet geaccepteerd: ./cli rules accept r-2 --by NAAM --reason "…"\n',
    );
    const accepted = { acceptedBy: 'A. de Vries', acceptedAt: '2027-03-01T09:30:00Z', reason: 'nieuwe normen' };
    expect(rulesChangeText([{ ...change, accepted }], {})).toContain(
      '  geaccepteerd door A. de Vries op 1 maart 2027 om 10:30 uur: nieuwe normen\n',
    );
  });
});
