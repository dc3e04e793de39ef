/**
 * The preset dictionary of payload codec 2 (see payloadCodec.ts): the small payloads, one income
 * statement or case event each, and a night's short outcomes (buffer, alert, run). Small on purpose:
 * deflate hashes its whole dictionary again for every payload, so 2 KB costs a few µs where the
 * 21 KB of codec 1 cost 25-60 µs per statement at ingest.
 *
 * FROZEN: every row written with codec 2 can only be inflated with exactly these bytes (UTF-8 of the
 * string below; its SHA-256 is checked by test/payloadCodec.unit.test.ts). A better dictionary is a
 * new codec tag with a dictionary of its own, never an edit here.
 *
 * How it was made (once, 2026-12-07): from a bench store of 1,000 synthetic households × 12 months
 * (seed 42), a greedy pick of whole payloads of the short event types (each pick the one that made a
 * sample of every type smallest; the best pick last, nearest to the data); then BSN-like 9-digit runs,
 * message ids, household ids and the synthetic employer's name emptied, so that the dictionary holds
 * the keys and formats that every deployment's payloads share, not the benchmark's data. ASCII only.
 */
export const DICTIONARY_2_TEXT: string = [
  '{"householdId":"","endDate":"2027-01-31"}{"householdId":"","role":"applicant","startDate":"2026-',
  '11-01"}{"type":"CaseClosed","householdId":"","endDate":"2027-01-31","recordedAt":"2027-01-21T09:',
  '00:00Z"}{"month":"2027-01","year":"2027","reason":"no-claim-offset","shortfall":"0.00"}{"type":"',
  'HouseholdChanged","householdId":"","effectiveDate":"2027-02-15","category":"single","costSharers',
  '":2,"recordedAt":"2027-02-15T09:00:00Z"}{"runDate":"2027-01-01","runAt":"2027-01-01T02:00:00Z","',
  'rulesVersion":"engine-3.0.0+rules-9508812f3aa8"}{"type":"EarningsDisregardGranted","householdId"',
  ':"","bsn":"","kind":"work","from":"2026-11-01","to":"2027-04-30","recordedAt":"2026-11-21T09:00:',
  '00Z"}{"runDate":"2027-01-01","runAt":"2027-01-01T02:00:00Z","households":690,"monthsSettled":354',
  ',"paymentsMade":0,"paid":"0.00","alerts":118,"eventsAppended":472,"failures":[]}{"month":"2027-0',
  '3","year":"2027","amount":"227.33","shortfall":"227.33","remainingAfter":"772.67","budget":"1000',
  '.00"}{"alertId":"H-:new-income-relationship:2026-11","kind":"new-income-relationship","month":"2',
  '026-11","reason":"first statement of a new income relationship: consider an earnings disregard",',
  '"runDate":"2027-01-01","details":{"incomeRelationshipId":"IKV-21","employer":""}}{"type":"CaseOp',
  'ened","householdId":"","members":[{"bsn":"","role":"applicant","entitled":true}],"category":"sin',
  'gle","startDate":"2026-11-01","costSharers":1,"recordedAt":"2026-11-04T09:00:00Z"}{"statement":{',
  '"messageId":"","bsn":"","employer":{"payrollTaxNumber":"L01","name":""},"incomeRelationshipId":"',
  'IKV-199","period":{"start":"2026-11-01","end":"2026-11-07","kind":"week"},"paymentDate":"2026-11',
  '-07","taxableWage":"243.30","withheldTax":"9.73","withheldZvw":"0.00","companyCarBenefit":"0.00"',
  ',"companyCarContribution":"0.00","holidayAllowancePaid":"0.00","holidayAllowanceAccrued":"19.46"',
  ',"ikbPaid":"0.00","ikbAccrued":"0.00","extraPeriodSalaryPaid":"0.00","untaxedAllowances":"0.00",',
  '"kind":"initial","incomeKind":"employment","source":"polis"},"recordedAt":"2026-11-25T12:00:00Z"',
  ',"channel":"inline"}',
].join('');
