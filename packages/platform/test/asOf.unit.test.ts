import { describe, expect, it } from 'vitest';
import { endOfAmsterdamDay, parseAsOf } from '../src/asOf.js';

describe('--as-of: a UTC instant, or a date meaning the end of that day in Europe/Amsterdam', () => {
  it('a date is its last millisecond in Amsterdam: CEST (+2) in summer, CET (+1) in winter', () => {
    expect(parseAsOf('2027-07-31')).toEqual({ ok: true, value: '2027-07-31T21:59:59.999Z' });
    expect(parseAsOf('2027-01-31')).toEqual({ ok: true, value: '2027-01-31T22:59:59.999Z' });
    // The days the clocks change: the day ends in the offset of the next midnight.
    expect(endOfAmsterdamDay('2027-03-28')).toBe('2027-03-28T21:59:59.999Z');
    expect(endOfAmsterdamDay('2027-10-31')).toBe('2027-10-31T22:59:59.999Z');
    expect(endOfAmsterdamDay('2027-12-31')).toBe('2027-12-31T22:59:59.999Z');
  });

  it('a full instant is taken as it is', () => {
    expect(parseAsOf('2027-08-01T00:00:00Z')).toEqual({ ok: true, value: '2027-08-01T00:00:00Z' });
  });

  it('anything else is refused with the rule', () => {
    expect(parseAsOf('2027-02-30')).toEqual({ ok: false, reason: 'must be a calendar date YYYY-MM-DD' });
    expect(parseAsOf('31-07-2027')).toEqual({
      ok: false,
      reason:
        'must be a date YYYY-MM-DD (the end of that day, Europe/Amsterdam) or a UTC instant like 2027-08-01T00:00:00Z',
    });
  });
});
