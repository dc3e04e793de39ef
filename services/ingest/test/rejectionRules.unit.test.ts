import { describe, expect, it } from 'vitest';
import { dutchRejectionReason, dutchSource, rejectionRule } from '../src/rejectionRules.js';

/** Issue #24: the backoffice reads why a message was rejected in Dutch, keyed by the rule in the stored reason. */
describe('the Dutch reason of a rejection', () => {
  it('finds the rule in the reasons ingest stores, a field refused by the format included', () => {
    const reasons: Array<[string, string]> = [
      ['payload: is not valid JSON', 'invalid-json'],
      [
        'conflicting-redelivery: messageId m-1 was first received with content sha256 aaaa…, now bbbb…',
        'conflicting-redelivery',
      ],
      [
        'municipality: GM9999 is not a municipality of this deployment (MUNICIPALITY_CONFIG has GM0106)',
        'unknown-municipality',
      ],
      [
        'municipality: GM1730 is not named by this deployment (MUNICIPALITY_CONFIG is not set; …)',
        'unknown-municipality',
      ],
      [
        'startDate: 2000-01-01 lies before the parameter table norm has a value (from 2026-01-01)',
        'no-tables-for-start',
      ],
      [
        'members.1.bsn: already a member of the open case of household H-a (one person, one open case)',
        'identity-conflict',
      ],
      ['kind: superseded: this initial statement arrived after the correction (messageId m-2) …', 'superseded'],
      ['householdId: no case opened for H-x', 'no-case'],
      ['bsn: is not a member of this household', 'not-a-member'],
      ['type: a different case is already opened for this household', 'case-already-opened'],
      ['kind: the disregard table has no row for kind work on 2026-01-01 (art. 31(2)(n))', 'no-disregard-row'],
      [
        'to: the work disregard of this person runs from 2027-01-01; 13 months exceed the 12 of …',
        'disregard-run-too-long',
      ],
      [
        'newEmploymentFrom: is required: the work disregard of this person ended on 2028-01-31; …',
        'needs-new-employment',
      ],
      ['newEmploymentFrom: 2027-12-01 is not after 2028-01-31, the end of … (art. 34a(3))', 'needs-new-employment'],
      ["from: overlaps this person's work grant from 2028-04-01 to 2029-03-31 (SPEC §1.2)", 'overlapping-grant'],
      ['taxableWage: must be an amount with at most 2 decimals, like "1401.50"', 'invalid-field'],
      ['(message): Unrecognized key: "extra"', 'invalid-field'],
      ['something else entirely', 'other'],
    ];
    expect(reasons.map(([reason]) => rejectionRule(reason))).toEqual(reasons.map(([, rule]) => rule));
  });

  it('says what to do, in Dutch; a refused field is named (masked when it looks like a BSN)', () => {
    expect(dutchRejectionReason('municipality: GM9999 is not a municipality of this deployment (…)')).toBe(
      'De gemeente van deze zaak is niet ingesteld (MUNICIPALITY_CONFIG); stel haar in en verwerk het bericht opnieuw.',
    );
    expect(dutchRejectionReason('taxableWage: must be an amount with at most 2 decimals')).toBe(
      'Het veld taxableWage voldoet niet aan het berichtformaat of de regels; laat de afzender het bericht verbeteren.',
    );
    expect(dutchRejectionReason('(message): Unrecognized key: "x"')).toBe(
      'Het bericht voldoet niet aan het berichtformaat of de regels; laat de afzender het bericht verbeteren.',
    );
    expect(dutchRejectionReason('x123456782: oops')).toBe(
      'Het veld x*****6782 voldoet niet aan het berichtformaat of de regels; laat de afzender het bericht verbeteren.',
    );
    expect(dutchRejectionReason('no field at all')).toBe(
      'Afgekeurd om een andere reden; zie de technische toelichting.',
    );
  });

  it('names where a message came from in Dutch, a file name from elsewhere masked', () => {
    expect(dutchSource({ type: 'file', name: '/in/case-123456782.ndjson', line: 4 })).toBe(
      'bestand /in/case-*****6782.ndjson, regel 4',
    );
    expect(dutchSource({ type: 'kafka', topic: 'case.events', partition: 2, offset: '17' })).toBe(
      'Kafka case.events, partitie 2, positie 17',
    );
    expect(dutchSource({ type: 'inline', reference: 'demo' })).toBe('ingevoerd (demo)');
  });
});
