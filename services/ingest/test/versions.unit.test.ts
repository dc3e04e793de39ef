import { describe, expect, it } from 'vitest';
import { contentHash, redeliveryConflict } from '../src/messageIds.js';
import { daysParked, isOverdue, stillParked } from '../src/parking.js';

describe('messageId conflicts', () => {
  it('the same content (whatever its key order) is no conflict; other content names both short hashes', () => {
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(redeliveryConflict('m-1', 'a'.repeat(64), 'a'.repeat(64))).toBeNull();
    expect(redeliveryConflict('m-1', 'a'.repeat(64), 'b'.repeat(64))).toBe(
      'conflicting-redelivery: messageId m-1 was first received with content sha256 aaaa-aaaa-aaaa…, now bbbb-bbbb-bbbb…',
    );
    // A hash prefix with nine digits in a row is shown in groups of four (never read as a BSN); a BSN in the messageId is masked.
    expect(redeliveryConflict('m-111222333', 'c5a123451943'.padEnd(64, '0'), 'b'.repeat(64))).toBe(
      'conflicting-redelivery: messageId m-*****2333 was first received with content sha256 c5a1-2345-1943…, now bbbb-bbbb-bbbb…',
    );
  });
});

describe('parking', () => {
  const rec = (type: string, streamRevision: number, data: unknown = {}) => ({
    eventId: `e${streamRevision}`,
    type,
    streamRevision,
    recordedAt: '2027-01-01T00:00:00Z',
    data,
  });

  it('what was parked after the last release marker is still waiting', () => {
    const records = [
      rec('IncomeStatementParked', 0),
      rec('IncomeStatementParked', 1),
      rec('ParkedReleased', 2, { upToRevision: 1 }),
      rec('IncomeStatementParked', 3),
    ];
    expect(stillParked(records).map((r) => r.streamRevision)).toEqual([3]);
    expect(stillParked(records.slice(0, 3))).toEqual([]);
  });

  it('overdue after more than N whole days (default 14)', () => {
    expect(daysParked('2027-01-01T10:00:00Z', '2027-01-15T09:59:59Z')).toBe(13);
    expect(isOverdue('2027-01-01T10:00:00Z', '2027-01-15T10:00:00Z')).toBe(false);
    expect(isOverdue('2027-01-01T10:00:00Z', '2027-01-16T10:00:00Z')).toBe(true);
    expect(isOverdue('2027-01-01T10:00:00Z', '2027-01-03T10:00:00Z', 1)).toBe(true);
  });
});
