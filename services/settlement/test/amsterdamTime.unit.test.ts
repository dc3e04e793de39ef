import { describe, expect, it } from 'vitest';
import { amsterdamDate, amsterdamInstant, toInstant } from '@bijstand/platform';
import { nextNightlyRun, nightlyInstant } from '../src/amsterdamTime.js';

const at = (iso: string) => Date.parse(iso);
const next = (iso: string) => toInstant(nextNightlyRun(at(iso)));

describe('Amsterdam wall-clock time', () => {
  it('02:00 is 01:00Z in winter and 00:00Z in summer', () => {
    expect(toInstant(nightlyInstant('2027-01-15'))).toBe('2027-01-15T01:00:00Z');
    expect(toInstant(nightlyInstant('2027-07-15'))).toBe('2027-07-15T00:00:00Z');
  });

  it('on 2027-03-28 (no 02:00) the night runs when the clocks jump, at 03:00 CEST', () => {
    expect(toInstant(nightlyInstant('2027-03-28'))).toBe('2027-03-28T01:00:00Z');
    expect(toInstant(amsterdamInstant('2027-03-28', '02:30'))).toBe('2027-03-28T01:30:00Z');
    expect(toInstant(amsterdamInstant('2027-03-28', '01:59'))).toBe('2027-03-28T00:59:00Z');
    expect(toInstant(amsterdamInstant('2027-03-28', '03:00'))).toBe('2027-03-28T01:00:00Z');
  });

  it('on 2027-10-31 (02:00 twice) the night runs at the first 02:00, CEST', () => {
    expect(toInstant(nightlyInstant('2027-10-31'))).toBe('2027-10-31T00:00:00Z');
    expect(toInstant(amsterdamInstant('2027-10-31', '02:59'))).toBe('2027-10-31T00:59:00Z');
    expect(toInstant(amsterdamInstant('2027-10-31', '03:00'))).toBe('2027-10-31T02:00:00Z');
  });

  it('the next run is one per Amsterdam date across both DST nights of 2027', () => {
    expect(next('2027-03-27T00:30:00Z')).toBe('2027-03-27T01:00:00Z');
    expect(next('2027-03-27T01:30:00Z')).toBe('2027-03-28T01:00:00Z');
    expect(next('2027-03-28T00:59:59Z')).toBe('2027-03-28T01:00:00Z');
    expect(next('2027-03-28T01:00:00Z')).toBe('2027-03-29T00:00:00Z');
    expect(next('2027-10-30T00:00:00Z')).toBe('2027-10-31T00:00:00Z');
    // After the first 02:00 of 31 October the second one (01:00Z) is not a new night.
    expect(next('2027-10-31T00:00:00Z')).toBe('2027-11-01T01:00:00Z');
    expect(next('2027-10-31T00:30:00Z')).toBe('2027-11-01T01:00:00Z');
    expect(next('2027-12-31T23:30:00Z')).toBe('2028-01-01T01:00:00Z');
  });

  it('the date of an instant is the Amsterdam date', () => {
    expect(amsterdamDate(at('2027-07-14T22:30:00Z'))).toBe('2027-07-15');
    expect(amsterdamDate(at('2027-01-14T22:30:00Z'))).toBe('2027-01-14');
  });
});
