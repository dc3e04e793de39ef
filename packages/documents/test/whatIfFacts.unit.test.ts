import { describe, expect, it } from 'vitest';
import { whatIfFactText } from '../src/objectionWhatIf.js';

describe('a what-if fact in words (the objection file names the facts it changed)', () => {
  it('a case event by its kind and date, a statement by its sender, period and wage, never a BSN', () => {
    const grant = {
      line: 2,
      recordedAt: '2027-03-02T09:00:00Z',
      case: { type: 'EarningsDisregardGranted', date: '2027-03-01' },
    };
    expect(whatIfFactText(grant)).toBe(
      'Regel 2: vrijlating van inkomsten per 1 maart 2027; telt vanaf 2 maart 2027 om 10:00 uur.',
    );
    const weekly = {
      line: 1,
      recordedAt: '2027-04-20T12:00:00Z',
      statement: {
        messageId: 'm-9',
        kind: 'initial' as const,
        employer: 'Bakkerij Oost',
        role: 'applicant' as const,
        periodStart: '2027-04-05',
        periodEnd: '2027-04-11',
        taxableWage: '300.00',
      },
    };
    expect(whatIfFactText(weekly)).toBe(
      'Regel 1: loongegevens m-9 (eerste opgave) van Bakkerij Oost over 5 april 2027 tot en met 11 april 2027, ' +
        'fiscaal loon € 300,00, aanvrager; telt vanaf 20 april 2027 om 14:00 uur.',
    );
  });
});
