import type { CreditTransferFile } from '../src/index.js';

/** A small valid file: two transfers (one of the minimum 0.01), Dutch accounts with valid check digits. */
export const sampleFile = (over: Partial<CreditTransferFile> = {}): CreditTransferFile => ({
  version: 'pain.001.001.09',
  messageId: 'BIJ-2027-05-25',
  createdAt: '2027-05-24T09:00:00Z',
  executionDate: '2027-05-25',
  debtor: { name: 'Gemeente Voorbeeldstad', iban: 'NL66BNGH0123456789', bic: 'BNGHNL2G' },
  lines: [
    {
      endToEndId: 'B-202705-A1-0000000000000001',
      amount: '1199.52',
      creditorName: 'A. de Vries',
      creditorIban: 'NL91ABNA0417164300',
      remittance: 'Bijstand mei 2027',
    },
    {
      endToEndId: 'B-202705-P1-0000000000000001',
      amount: '0.01',
      creditorName: 'B. de Vries',
      creditorIban: 'NL20INGB0001234567',
      remittance: 'Bijstand mei 2027',
    },
  ],
  ...over,
});
