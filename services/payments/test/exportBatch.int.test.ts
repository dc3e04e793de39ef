import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import {
  householdStream,
  loadMunicipalities,
  paymentAccountsStream,
  paymentBatchesStream,
  PAYMENT_OUTCOMES_STREAM,
} from '@bijstand/platform';
import { composeIban } from '@bijstand/sepa';
import { xmllintErrors } from '../../../packages/sepa/test/xsd.js';
import { exportBatch, PaymentsConfigurationError, reconcilePayday, type ExportResult } from '../src/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const deployment = loadMunicipalities(join(root, 'infra', 'config', 'werkplein-drentsche-aa.json'));
const NOW = '2027-05-24T09:00:00Z';
let seq = 0;
const at = (n: number) => `2027-0${n}-01T00:00:00Z`;

async function household(
  store: EventStore,
  id: string,
  municipality: string,
  payments: { month: string; runDate: string; payees: Record<string, string>; bufferDraw?: string }[],
) {
  await store.append(householdStream(id), [
    {
      eventId: `open-${id}`,
      type: 'CaseOpened',
      schemaVersion: 1,
      recordedAt: at(1),
      data: {
        householdId: id,
        municipality,
        members: [
          { bsn: '111222333', role: 'applicant' },
          { bsn: '444555666', role: 'partner' },
        ],
      },
    },
    ...payments.map((p) => ({
      eventId: `pay-${++seq}`,
      type: 'PaymentMade',
      schemaVersion: 1,
      recordedAt: `${p.runDate}T02:00:00Z`,
      data: { bufferDraw: '0.00', ...p },
    })),
  ]);
}

async function account(store: EventStore, householdId: string, bsn: string, from: string, bank = 'INGB0001234567') {
  await store.append(paymentAccountsStream(householdId), [
    {
      eventId: `acc-${++seq}`,
      type: 'PaymentAccountRecorded',
      schemaVersion: 1,
      recordedAt: NOW,
      data: { householdId, bsn, iban: composeIban('NL', bank), holder: `Lid ${bsn.slice(-2)}`, from },
    },
  ]);
}

const exportFor = (store: EventStore, code: string, payday: string) =>
  exportBatch(store, {
    payday,
    municipality: deployment.byCode.get(code)!,
    belongsTo: deployment.belongsTo(code),
    now: NOW,
  });

const created = (r: ExportResult) => {
  if (r.status === 'nothing-to-pay') throw new Error('no batch');
  return r;
};

describe('exportBatch', () => {
  it("a file per municipality, its bank's version; a share of 0.00 is no transfer; without account: held", async () => {
    const store = await openEventStore({ kind: 'memory' });
    await household(store, 'H-aa', 'GM1680', [
      {
        month: '2027-05',
        runDate: '2027-05-25',
        payees: { applicant: '600.01', partner: '600.00' },
        bufferDraw: '50.00',
      },
    ]);
    await household(store, 'H-zero', 'GM1680', [
      { month: '2027-05', runDate: '2027-05-25', payees: { applicant: '0.00' } },
    ]);
    await household(store, 'H-assen', 'GM0106', [
      { month: '2027-05', runDate: '2027-05-25', payees: { applicant: '900.00' } },
    ]);
    await account(store, 'H-aa', '111222333', '2027-01-01');
    await account(store, 'H-assen', '111222333', '2027-01-01', 'ABNA0417164300');

    const aa = created(await exportFor(store, 'GM1680', '2027-05-25'));
    expect(aa.batch.painVersion).toBe('pain.001.001.03');
    expect(xmllintErrors(aa.xml, 'pain.001.001.03')).toBe('');
    expect(aa.batch.lines.map((l) => [l.householdId, l.payee, l.amount, l.remittance])).toEqual([
      ['H-aa', 'applicant', '600.01', 'Bijstand mei 2027'],
    ]);
    expect(aa.batch.held).toEqual([
      {
        householdId: 'H-aa',
        month: '2027-05',
        payee: 'partner',
        amount: '600.00',
        bufferDraw: '0.00',
        reason: 'no-account',
      },
    ]);
    expect(aa.batch.totals).toEqual({ transfers: 1, amount: '600.01', bufferDraw: '50.00' });
    expect(aa.xml).toContain('<Nm>Gemeente Aa en Hunze</Nm>');
    const assen = created(await exportFor(store, 'GM0106', '2027-05-25'));
    expect(assen.batch.batchId).toBe('BIJ-GM0106-2027-05-25');
    expect(xmllintErrors(assen.xml, 'pain.001.001.09')).toBe('');
    expect(assen.batch.lines.map((l) => l.householdId)).toEqual(['H-assen']);

    // The partner's account arrives; a back payment of April decided after its payday: both join June's batch.
    await account(store, 'H-aa', '444555666', '2027-06-01', 'RABO0123456789');
    await household(store, 'H-late', 'GM1680', [
      { month: '2027-05', runDate: '2027-05-28', payees: { applicant: '321.00' } },
    ]);
    await account(store, 'H-late', '111222333', '2027-05-01');
    const june = created(await exportFor(store, 'GM1680', '2027-06-25'));
    expect(june.batch.lines.map((l) => [l.householdId, l.month, l.payee, l.amount, l.attempt])).toEqual([
      ['H-aa', '2027-05', 'partner', '600.00', 1],
      ['H-late', '2027-05', 'applicant', '321.00', 1],
    ]);
    const [rec] = await reconcilePayday(store, '2027-05-25', [
      { settings: deployment.byCode.get('GM1680')!, belongsTo: deployment.belongsTo('GM1680') },
    ]);
    expect(rec).toMatchObject({
      decided: { count: 2, amount: '1200.01' },
      inBatch: { count: 1, amount: '600.01' },
      held: { count: 1, amount: '600.00' },
      notYetInBatch: { count: 0, amount: '0.00' },
      agrees: true,
      bufferbudget: { decided: '50.00', inBatchAndHeld: '50.00', eindheffing: '0.00', agrees: false },
    });
  });

  it('two exports at once in one process: one batch, the other returns it', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await household(store, 'H-1', 'GM1730', [
      { month: '2027-05', runDate: '2027-05-20', payees: { applicant: '10.00' } },
    ]);
    await account(store, 'H-1', '111222333', '2027-01-01');
    const [a, b] = await Promise.all([
      exportFor(store, 'GM1730', '2027-05-20'),
      exportFor(store, 'GM1730', '2027-05-20'),
    ]);
    expect([a.status, b.status].sort()).toEqual(['created', 'existing']);
    expect(created(a).xml).toBe(created(b).xml);
    expect(await store.readStream(paymentBatchesStream('GM1730'))).toHaveLength(1);
  });

  it('refuses a municipality without a debtor account, and a payday before one already exported', async () => {
    const store = await openEventStore({ kind: 'memory' });
    const none = { ...deployment.byCode.get('GM1730')!, payments: undefined };
    await expect(
      exportBatch(store, { payday: '2027-05-20', municipality: none, belongsTo: () => true, now: NOW }),
    ).rejects.toThrow(PaymentsConfigurationError);
    await household(store, 'H-1', 'GM1730', [
      { month: '2027-06', runDate: '2027-06-20', payees: { applicant: '10.00' } },
    ]);
    await account(store, 'H-1', '111222333', '2027-01-01');
    expect((await exportFor(store, 'GM1730', '2027-06-20')).status).toBe('created');
    await expect(exportFor(store, 'GM1730', '2027-05-20')).rejects.toThrow(
      'payday 2027-05-20: a batch of a later payday (2027-06-20) exists; paydays are exported in order',
    );
    expect(await store.readStream(PAYMENT_OUTCOMES_STREAM)).toEqual([]);
  });
});
