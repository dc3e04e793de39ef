import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, householdStream, paymentAccountsStream, REJECTED_STREAM } from '@bijstand/platform';
import { Ingestor } from '../src/index.js';
import { caseOpened, ctx, msg, validBsn } from './fixtures.js';

/** Issue #25: a member's payment account arrives as a case event, validated, and is kept apart from the household. */
const account = (over: Record<string, unknown> = {}) => ({
  type: 'PaymentAccountRecorded',
  householdId: 'H-pay',
  bsn: validBsn(1),
  iban: 'NL91 ABNA 0417 1643 00',
  holder: 'A. de Vries',
  from: '2027-01-01',
  ...over,
});

async function setup() {
  const lines: string[] = [];
  const logger = createLogger('test', {
    level: 'info',
    destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) as never,
  });
  const store = await openEventStore({ kind: 'memory' });
  const ingestor = new Ingestor(store, ctx, logger);
  const rejected = async () =>
    (await store.readStream(REJECTED_STREAM)).map((e) => (e.data as { reason: string }).reason);
  return { store, ingestor, rejected, log: () => lines.join('') };
}

describe('PaymentAccountRecorded at ingest', () => {
  it('before its CaseOpened it waits (parked), and is recorded when the case opens; a non-member then is rejected', async () => {
    const { store, ingestor, rejected } = await setup();
    expect(await ingestor.ingest(msg('case', account()))).toEqual({ status: 'parked' });
    expect(await ingestor.ingest(msg('case', account({ bsn: validBsn(3) })))).toEqual({ status: 'parked' });
    expect(await store.readStream(paymentAccountsStream('H-pay'))).toEqual([]);
    await ingestor.ingest(msg('case', caseOpened('H-pay', [validBsn(1), validBsn(2)], '2027-01-01')));
    const stored = await store.readStream(paymentAccountsStream('H-pay'));
    expect(stored.map((e) => (e.data as { bsn: string }).bsn)).toEqual([validBsn(1)]);
    expect(await rejected()).toEqual(['bsn: not a member of household H-pay (Pw art. 45: paid to a member)']);
  });

  it('is stored in the household account stream, IBAN without spaces; the same message again: duplicate', async () => {
    const { store, ingestor, log } = await setup();
    await ingestor.ingest(msg('case', caseOpened('H-pay', [validBsn(1), validBsn(2)], '2027-01-01')));
    expect(await ingestor.ingest(msg('case', account()))).toEqual({
      status: 'recorded',
      householdId: 'H-pay',
      appended: 1,
    });
    expect(await ingestor.ingest(msg('case', account()))).toEqual({ status: 'duplicate', householdId: 'H-pay' });
    const [stored] = await store.readStream(paymentAccountsStream('H-pay'));
    expect(stored!.data).toMatchObject({ iban: 'NL91ABNA0417164300', holder: 'A. de Vries', from: '2027-01-01' });
    // Not in the household stream (no night depends on it), and never in a log line.
    expect((await store.readStream(householdStream('H-pay'))).map((e) => e.type)).toEqual(['CaseOpened']);
    expect(log()).toContain('payment account recorded');
    expect(log()).not.toContain('0417164300');
  });

  it('is rejected with field and rule: a bad IBAN, a holder outside the SEPA set, a non-member', async () => {
    const { ingestor, rejected, log } = await setup();
    await ingestor.ingest(msg('case', caseOpened('H-pay', [validBsn(1)], '2027-01-01')));
    for (const body of [
      account({ iban: 'NL92ABNA0417164300' }),
      account({ iban: 'BR1800360305000010009795493C1' }),
      account({ holder: 'Zoë' }),
      account({ bsn: validBsn(3) }),
    ])
      expect((await ingestor.ingest(msg('case', body))).status).toBe('rejected');
    expect(await rejected()).toEqual([
      'iban: check digits are wrong (ISO 13616 mod 97) (SEPA, ISO 13616)',
      'iban: country BR is not in the SEPA scheme (a SEPA transfer cannot reach it) (SEPA, ISO 13616)',
      "holder: only the SEPA character set: letters a-z A-Z, digits and / - ? : ( ) . , ' + space (EPC SCT guidelines)",
      'bsn: not a member of household H-pay (Pw art. 45: paid to a member)',
    ]);
    expect(log()).not.toMatch(/0417164300|0009795493/);
  });
});
