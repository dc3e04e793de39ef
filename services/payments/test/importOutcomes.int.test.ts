import { describe, expect, it } from 'vitest';
import { openEventStore } from '@bijstand/event-store';
import { ALERTS_STREAM, householdStream, paymentAccountsStream, PAYMENT_OUTCOMES_STREAM } from '@bijstand/platform';
import { composeIban } from '@bijstand/sepa';
import { BankFileError, exportBatch, importBankFile, type PaymentBatchCreatedData } from '../src/index.js';

const settings = {
  code: null,
  name: 'Voorbeeldstad',
  ctx: undefined as never,
  rulesVersion: 'x',
  payments: {
    debtorName: 'Gemeente Voorbeeldstad',
    debtorIban: 'NL66BNGH0123456789',
    debtorBic: 'BNGHNL2G',
    painVersion: 'pain.001.001.09' as const,
  },
};

const camt054 = (messageId: string, endToEndId: string, amount: string, code: string) => `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2027-05-28T06:00:00Z</CreDtTm></GrpHdr>
<Ntfctn><Id>N1</Id><Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><NtryDtls>
<TxDtls><Refs><EndToEndId>${endToEndId}</EndToEndId></Refs><Amt Ccy="EUR">${amount}</Amt>
<RtrInf><Rsn><Cd>${code}</Cd></Rsn></RtrInf></TxDtls>
<TxDtls><Refs><EndToEndId>B-202705-A1-ffffffffffffffff</EndToEndId></Refs><Amt Ccy="EUR">1.00</Amt>
<RtrInf><Rsn><Cd>AC01</Cd></Rsn></RtrInf></TxDtls>
</NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;

async function paidStore() {
  const store = await openEventStore({ kind: 'memory' });
  await store.append(householdStream('H-1'), [
    {
      eventId: 'open',
      type: 'CaseOpened',
      schemaVersion: 1,
      recordedAt: '2027-01-01T00:00:00Z',
      data: { householdId: 'H-1', members: [{ bsn: '111222333', role: 'applicant' }] },
    },
    {
      eventId: 'pay',
      type: 'PaymentMade',
      schemaVersion: 1,
      recordedAt: '2027-05-25T02:00:00Z',
      data: { month: '2027-05', runDate: '2027-05-25', payees: { applicant: '1199.52' }, bufferDraw: '0.00' },
    },
  ]);
  await store.append(paymentAccountsStream('H-1'), [
    {
      eventId: 'acc',
      type: 'PaymentAccountRecorded',
      schemaVersion: 1,
      recordedAt: '2027-01-01T00:00:00Z',
      data: {
        householdId: 'H-1',
        bsn: '111222333',
        iban: composeIban('NL', 'INGB0001234567'),
        holder: 'A',
        from: '2027-01-01',
      },
    },
  ]);
  const r = await exportBatch(store, {
    payday: '2027-05-25',
    municipality: settings,
    belongsTo: () => true,
    now: '2027-05-24T09:00:00Z',
  });
  return { store, batch: (r as { batch: PaymentBatchCreatedData }).batch };
}

describe('importBankFile', () => {
  it('a camt.054 return: PaymentFailed, Dutch reason, one alert; again: nothing new; unknown ids told', async () => {
    const { store, batch } = await paidStore();
    const line = batch.lines[0]!;
    const xml = camt054('NTF-1', line.endToEndId, '1199.52', 'MD07');
    const first = await importBankFile(store, xml, '2027-05-28T08:00:00Z');
    expect(first.failed).toEqual([
      {
        endToEndId: line.endToEndId,
        batchId: 'BIJ-2027-05-25',
        householdId: 'H-1',
        month: '2027-05',
        payee: 'applicant',
        amount: '1199.52',
        kind: 'returned',
        reasonCode: 'MD07',
        reasonText: 'rekeninghouder overleden',
        bankMessageId: 'NTF-1',
        returnedAmount: '1199.52',
      },
    ]);
    expect(first.unknown.map((u) => u.endToEndId)).toEqual(['B-202705-A1-ffffffffffffffff']);
    const again = await importBankFile(store, xml, '2027-05-29T08:00:00Z');
    expect({ failed: again.failed.length, alreadyKnown: again.alreadyKnown }).toEqual({ failed: 0, alreadyKnown: 1 });
    const outcomes = await store.readStream(PAYMENT_OUTCOMES_STREAM);
    expect(outcomes.map((e) => e.type)).toEqual(['PaymentFailed', 'BankFileImported']);
    const alerts = await store.readStream(ALERTS_STREAM);
    expect(alerts.map((e) => [e.type, e.eventId])).toEqual([
      ['AlertRecorded', `alert:payment-failed:${line.endToEndId}`],
      ['AlertDeliveryRequested', `requested:log:payment-failed:${line.endToEndId}`],
    ]);
    expect((alerts[0]!.data as { reason: string }).reason).toBe(
      'De bank heeft de betaling van € 1.199,52 (Bijstand mei 2027, aanvrager) teruggestort: ' +
        'MD07 rekeninghouder overleden. ' +
        'Leg het juiste rekeningnummer vast; het bedrag gaat dan mee met de volgende betaaldag.',
    );
  });

  it('a file that is neither: a BankFileError naming the field, nothing recorded', async () => {
    const { store } = await paidStore();
    await expect(importBankFile(store, '<Document><Foo/></Document>', '2027-05-28T08:00:00Z')).rejects.toThrow(
      BankFileError,
    );
    expect(await store.readStream(PAYMENT_OUTCOMES_STREAM)).toEqual([]);
  });

  it('a recorded batch whose regenerated file differs from its hash is not handed out', async () => {
    const { store, batch } = await paidStore();
    const tampered = await openEventStore({ kind: 'memory' });
    await tampered.append('payment-batches-default', [
      {
        eventId: batch.batchId,
        type: 'PaymentBatchCreated',
        schemaVersion: 1,
        recordedAt: batch.createdAt,
        data: { ...batch, fileSha256: '0'.repeat(64) },
      },
    ]);
    await expect(
      exportBatch(tampered, {
        payday: '2027-05-25',
        municipality: settings,
        belongsTo: () => true,
        now: '2027-06-01T00:00:00Z',
      }),
    ).rejects.toThrow(
      'batch BIJ-2027-05-25: the regenerated file does not match the recorded hash 000000000000…; not handed out',
    );
    const same = await exportBatch(store, {
      payday: '2027-05-25',
      municipality: settings,
      belongsTo: () => true,
      now: '2027-06-01T00:00:00Z',
    });
    expect(same.status).toBe('existing');
  });
});
