import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultParameters, parseScenario, simulateScenario } from '@bijstand/domain';
import { claimCauseText, dutchList, monthSummariesOf } from '../src/index.js';

const examplesDir = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const couple = () => {
  const raw = JSON.parse(readFileSync(join(examplesDir, 'couple-correction.scenario.json'), 'utf8'));
  const outcome = simulateScenario(parseScenario(raw, defaultParameters), 'v-test');
  return { events: outcome.stored.map((s) => s.event), end: outcome.runs.at(-1)!.runAt };
};

describe('the consultant’s line per month (monthSummariesOf)', () => {
  it('says why the couple’s July 2027 fell € 58,22 below the minimum: April’s partner wage correction, buffer used up', () => {
    const { events, end } = couple();
    const lines = new Map(monthSummariesOf('H-couple', end, events).map((s) => [s.month, s]));
    expect(lines.get('2027-07')).toEqual({
      month: '2027-07',
      belowMinimum: '58.22',
      text:
        'Juli 2027: € 58,22 onder het minimum — de vordering van april (loon partner gecorrigeerd) is verrekend ' +
        'en het bufferbudget van 2027 is op',
    });
    expect(lines.get('2027-05')!.text).toBe(
      'Mei 2027: bijstand € 1.199,52, uitbetaald € 1.069,20 — de vordering van maart (inkomen hoger dan verwacht) ' +
        'is verrekend en het bufferbudget vulde € 608,16 aan',
    );
    expect(lines.get('2027-04')!.text).toBe(
      'April 2027: bijstand € 619,14, uitbetaald € 1.199,52 — opnieuw vastgesteld (versie 2) en ' +
        '€ 580,38 te veel betaald: een vordering',
    );
    expect(lines.get('2027-01')!.text).toBe('Januari 2027: bijstand € 1.938,00, uitbetaald € 1.938,00');
    expect(lines.get('2027-07')!.belowMinimum).toBe('58.22');
    expect(lines.get('2027-05')!.belowMinimum).toBeNull();
  });

  it('names a claim’s cause and lists in Dutch', () => {
    expect(claimCauseText({ month: '2027-03', version: 1, amount: '1.00', cause: 'income-higher' })).toBe(
      'inkomen hoger dan verwacht',
    );
    const corrected = [{ kind: 'benefit' as const, role: 'applicant' as const, statementKind: 'withdrawal' as const }];
    expect(claimCauseText({ month: '2027-03', version: 2, amount: '1.00', cause: 'recalculated', corrected })).toBe(
      'uitkering aanvrager ingetrokken',
    );
    expect(claimCauseText({ month: '2027-03', version: 2, amount: '1.00', cause: 'recalculated' })).toBe(
      'opnieuw berekend',
    );
    expect(dutchList(['a', 'b', 'c'])).toBe('a, b en c');
  });
});
