import { dutchDate, dutchMonth, euro } from '@bijstand/documents';
import { table } from '@bijstand/terminal';
import type { HeldShare, PaymentBatchCreatedData, PaymentFailedData } from './events.js';
import type { ExportResult } from './exportBatch.js';
import type { ImportResult } from './importOutcomes.js';
import type { PaydayReconciliation, Tally } from './reconcile.js';

// What the backoffice reads of the payment commands: Dutch, amounts `€ 1.234,56`, never an IBAN in clear
// (the CLI's output masking hides any that slips in).

const PAYEE = { applicant: 'aanvrager', partner: 'partner' } as const;
const HELD = {
  'no-account': 'geen rekeningnummer',
  'failed-account-not-corrected': 'bank weigerde, nog geen nieuw rekeningnummer',
};

const heldLine = (h: HeldShare) =>
  `  aangehouden: ${h.householdId} ${dutchMonth(h.month)} ${PAYEE[h.payee]} ${euro(h.amount)} (${HELD[h.reason]})\n`;

export function exportText(result: ExportResult, out: string): string {
  if (result.status === 'nothing-to-pay')
    return `niets te betalen: geen overboeking met een bekend rekeningnummer\n${result.held.map(heldLine).join('')}`;
  const b: PaymentBatchCreatedData = result.batch;
  const again = result.status === 'existing' ? ' (al eerder gemaakt; hetzelfde bestand opnieuw)' : '';
  return (
    `batch ${b.batchId}${again}: ${b.totals.transfers} overboekingen, ${euro(b.totals.amount)}, betaaldag ` +
    `${dutchDate(b.payday)}, ${b.painVersion} → ${out}\n${b.held.map(heldLine).join('')}`
  );
}

const failedLine = (f: PaymentFailedData) =>
  `  mislukt: ${f.householdId} ${dutchMonth(f.month)} ${PAYEE[f.payee]} ${euro(f.amount)}: ${f.reasonCode} ${f.reasonText}\n`;

export function importText(result: ImportResult): string {
  return (
    `${result.format} ${result.bankMessageId}: ${result.failed.length} betalingen mislukt (signaal naar de klantmanager)` +
    `, ${result.alreadyKnown} al bekend, ${result.unknown.length} onbekend\n` +
    result.failed.map(failedLine).join('') +
    result.unknown.map((u) => `  onbekend kenmerk: ${u.endToEndId} (${u.reasonCode})\n`).join('')
  );
}

const cell = (t: Tally) => `${t.count} · ${euro(t.amount)}`;

export function reconciliationText(rows: readonly PaydayReconciliation[]): string {
  const header = [
    'gemeente',
    'besluiten',
    'in batch',
    'eerdere maanden',
    'aangehouden',
    'nog niet in batch',
    'mislukt',
    'betaald',
    'klopt',
    'bufferbudget / eindheffing',
  ];
  const body = rows.map((r) => [
    `${r.municipality ?? r.municipalityName} ${r.batchId ?? '(geen batch)'}`,
    cell(r.decided),
    cell(r.inBatch),
    cell(r.carried),
    cell(r.held),
    cell(r.notYetInBatch),
    cell(r.failed),
    cell(r.paid),
    r.agrees ? 'ja' : 'NEE',
    `${euro(r.bufferbudget.inBatchAndHeld)} / ${euro(r.bufferbudget.eindheffing)} ${r.bufferbudget.agrees ? 'ja' : 'NEE'}`,
  ]);
  const payday = rows[0] ? `betaaldag ${dutchDate(rows[0].payday)}\n` : '';
  return `${payday}${table([header, ...body])}\n`;
}
