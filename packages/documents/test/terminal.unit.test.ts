import { describe, expect, it } from 'vitest';
import {
  bufferTotalsJson,
  bufferTotalsText,
  copyProgressLine,
  copySummaryLine,
  copyVerifiedLine,
  counted,
  parkedSummaryText,
  parkedTableText,
  rejectedSummaryText,
} from '../src/index.js';

// The CLI prints these texts as they are: its e2e tests hold whole outputs, these the renderers' own rules.
describe('terminal texts', () => {
  it('the buffer totals in one line, singular and plural, with the municipality when one is named', () => {
    expect(bufferTotalsText('2027', undefined, { households: 1, drawn: '250.00', draws: 1 })).toBe(
      'bufferbudget 2027: € 250,00 ingezet voor 1 huishouden in 1 keer\n',
    );
    expect(bufferTotalsText('2027', 'GM0106', { households: 2, drawn: '1000.50', draws: 3 })).toBe(
      'bufferbudget 2027 (GM0106): € 1.000,50 ingezet voor 2 huishoudens in 3 keer\n',
    );
  });

  it('the buffer totals as JSON for --totals FILE: the year, the municipality when one is named, the figures', () => {
    expect(bufferTotalsJson('2027', undefined, { households: 1, drawn: '250.00', draws: 1 })).toBe(
      '{\n  "year": "2027",\n  "households": 1,\n  "drawn": "250.00",\n  "draws": 1\n}\n',
    );
    expect(JSON.parse(bufferTotalsJson('2027', 'GM0106', { households: 2, drawn: '1000.50', draws: 3 }))).toEqual({
      year: '2027',
      municipality: 'GM0106',
      households: 2,
      drawn: '1000.50',
      draws: 3,
    });
  });

  it('parked messages: the id to act on, the overdue ones say so, and the summary says what to do', () => {
    const parked = {
      id: '1a2b-3c4d-5e6f',
      parkedAt: '2027-03-01T00:00:00Z',
      kind: 'statement',
      reference: 'M-1',
      member: '*****1234',
      householdId: null,
      days: 20,
      overdue: true,
      reasonNl: 'wacht op een zaak met dit BSN',
    };
    expect(parkedTableText([parked], 14).split('\n')[2]).toBe(
      '1a2b-3c4d-5e6f  2027-03-01T00:00:00Z  loonopgave      M-1  *****1234           -     20  langer dan 14 dagen' +
        '  wacht op een zaak met dit BSN',
    );
    expect(parkedSummaryText([parked], 14)).toBe(
      '1 geparkeerd bericht, 1 langer dan 14 dagen (`./cli parked alert` maakt er een signaal van)\n',
    );
    expect(parkedSummaryText([], 14)).toBe('0 geparkeerde berichten, 0 langer dan 14 dagen\n');
    expect(parkedTableText([], 14)).toBe('Geen geparkeerde berichten.\n');
  });

  it('counts', () => {
    expect(counted(1, 'alert')).toBe('1 alert');
    expect(counted(0, 'alert')).toBe('0 alerts');
    expect(rejectedSummaryText({ recorded: 3, duplicate: 1, parked: 0, rejected: 2 })).toBe(
      '2 van de 6 berichten afgewezen; de redenen: `./cli rejected list`\n',
    );
    expect(rejectedSummaryText({ recorded: 0, duplicate: 0, parked: 0, rejected: 1 })).toBe(
      '1 van de 1 bericht afgewezen; de redenen: `./cli rejected list`\n',
    );
  });
});

describe('store copy, in Dutch', () => {
  it('counts with Dutch thousands and the singular for one, seconds with a comma', () => {
    expect(
      copySummaryLine(
        { events: 1_100_212, streams: 44_921, snapshots: 1, claims: 1 },
        'sqlite:a',
        'postgres:b/c',
        216.04,
      ),
    ).toBe(
      '1.100.212 gebeurtenissen van 44.921 streams, 1 snapshot en 1 berichtclaim gekopieerd van sqlite:a naar postgres:b/c in 216,0 s\n',
    );
    expect(copyProgressLine(1, 1)).toBe('  1 gebeurtenis van 1 stream gekopieerd\n');
    expect(copyVerifiedLine(1000)).toBe(
      'gecontroleerd: 1.000 streams; de JSON-tekst van elke gebeurtenis, elke snapshot en elke berichtclaim zijn gelijk\n',
    );
  });
});
