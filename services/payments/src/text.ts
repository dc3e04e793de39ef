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
  `  mislukt: ${f.householdId} ${dutchMonth(f.month)} ${PAYEE[f.payee]} ${euro(f.amount)}: ` +
  `${f.reasonCode} ${f.reasonText}\n`;

export function importText(result: ImportResult): string {
  return (
    `${result.format} ${result.bankMessageId}: ${result.failed.length} betalingen mislukt ` +
    '(signaal naar de klantmanager)' +
    `, ${result.alreadyKnown} al bekend, ${result.unknown.length} onbekend\n` +
    result.failed.map(failedLine).join('') +
    result.unknown.map((u) => `  onbekend kenmerk: ${u.endToEndId} (${u.reasonCode})\n`).join('')
  );
}

const row = (what: string, t: Tally) => [what, String(t.count), euro(t.amount)];
const verdict = (ok: boolean) => (ok ? 'klopt' : 'KLOPT NIET');

/** Per municipality a block: the payday's decisions, the batch, what was held and what the bank said, to the cent. */
export function reconciliationText(rows: readonly PaydayReconciliation[]): string {
  return rows
    .map((r) => {
      const month = dutchMonth(r.payday.slice(0, 7));
      const who = `${r.municipalityName}${r.municipality ? ` (${r.municipality})` : ''}`;
      const head = `${who}, betaaldag ${dutchDate(r.payday)}, ${r.batchId ? `batch ${r.batchId}` : 'nog geen batch'}`;
      const body = table([
        ['post', 'aantal', 'bedrag'],
        row(`besluiten over ${month}`, r.decided),
        row('in de batch', r.inBatch),
        row('aangehouden (geen rekeningnummer)', r.held),
        row('nog niet in een batch', r.notYetInBatch),
        row('na te betalen uit eerdere maanden', r.carried),
        row('geweigerd of teruggestort door de bank', r.failed),
        row('betaald', r.paid),
      ]);
      const b = r.bufferbudget;
      return (
        `${head}\n${body}\n` +
        `besluiten = batch + aangehouden + nog niet in een batch: ${verdict(r.agrees)}\n` +
        `bufferbudget in de betalingen ${euro(b.inBatchAndHeld)}, ` +
        `in de eindheffing ${euro(b.eindheffing)}: ${verdict(b.agrees)}\n`
      );
    })
    .join('\n');
}
