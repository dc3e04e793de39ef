import { describe, expect, it } from 'vitest';
import { canonicalInstant, storedRecordedAt } from '../src/postgresRows.js';

/** recorded_at is stored only when canonicalInstant(recorded_ms) would not give it back: the round trip is exact by construction. */
describe('PostgreSQL rows: recorded_at', () => {
  it('the canonical form is ISO in UTC without .000 on whole seconds; every other form is kept as given', () => {
    expect(canonicalInstant(Date.parse('2027-01-25T02:00:00Z'))).toBe('2027-01-25T02:00:00Z');
    expect(canonicalInstant(Date.parse('2027-01-25T02:00:00.250Z'))).toBe('2027-01-25T02:00:00.250Z');
    for (const given of [
      '2027-01-25T02:00:00.000Z',
      '2027-01-25T03:00:00+01:00',
      '2027-01-25T02:00:00.25Z',
      '2027-01-25',
      '+010000-01-01T00:00:00.000Z',
    ]) {
      expect(storedRecordedAt(given, Date.parse(given))).toBe(given);
    }
  });

  it('for any instant (seeded), what is stored and what is rebuilt give back the text appended', () => {
    let seed = 15;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const ms = Math.round((next() - 0.5) * 2 * 8.64e15 * (next() < 0.5 ? 1 : 1e-4));
      const forms = [new Date(ms).toISOString(), canonicalInstant(ms), canonicalInstant(ms - (ms % 1000))];
      for (const given of forms) {
        const at = Date.parse(given);
        expect(storedRecordedAt(given, at) ?? canonicalInstant(at)).toBe(given);
      }
    }
  });
});
