import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@bijstand/event-store';
import { acknowledgementNote, acknowledgementOf, alertHandling, InvalidAcknowledgementError } from '../src/index.js';

const ack = (data: Record<string, unknown>): RecordedEvent =>
  ({
    eventId: 'ack:H-1:below-minimum:2027-07',
    type: 'AlertAcknowledged',
    streamName: 'alerts',
    streamRevision: 4,
    recordedAt: '2027-12-01T09:00:00Z',
    data,
  }) as unknown as RecordedEvent;

describe('acknowledgements', () => {
  it('reads one with a note, one from before notes (without), and none that breaks the schema', () => {
    const alertId = 'H-1:below-minimum:2027-07';
    expect(acknowledgementOf(ack({ alertId, by: 'J. de Vries', role: 'consultant', note: 'regeling' }))).toEqual({
      alertId,
      by: 'J. de Vries',
      at: '2027-12-01T09:00:00Z',
      role: 'consultant',
      note: 'regeling',
    });
    expect(acknowledgementOf(ack({ alertId, by: 'J. de Vries' }))).toEqual({
      alertId,
      by: 'J. de Vries',
      at: '2027-12-01T09:00:00Z',
    });
    expect(acknowledgementOf(ack({ alertId, by: '' }))).toBeNull();
    expect(acknowledgementOf(ack({ alertId, by: 'J. de Vries', note: 'x'.repeat(501) }))).toBeNull();
  });

  it('a note is trimmed, empty is none, 500 characters pass and 501 are refused naming field and rule', () => {
    expect(acknowledgementNote('  gebeld  ')).toBe('gebeld');
    expect(acknowledgementNote('   ')).toBeUndefined();
    expect(acknowledgementNote('x'.repeat(500))).toHaveLength(500);
    expect(() => acknowledgementNote('x'.repeat(501))).toThrow(
      new InvalidAcknowledgementError('note: ten hoogste 500 tekens (nu 501); houd de notitie kort'),
    );
  });

  it('open until someone acknowledged it', () => {
    expect(alertHandling({})).toBe('open');
    expect(alertHandling({ acknowledgedBy: 'J. de Vries' })).toBe('acknowledged');
  });
});
