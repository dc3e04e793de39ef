import { fmt, money, sum } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import type { Municipalities, MunicipalitySettings } from '@bijstand/platform';
import { readBatches } from './batches.js';
import { readPaymentFacts, type PaymentFacts } from './facts.js';

/** A count and a sum to the cent. */
export interface Tally {
  count: number;
  amount: string;
}

/** One municipality's payday: decisions vs the batch's lines vs what the bank said (the CLI, a backoffice page). */
export interface PaydayReconciliation {
  municipality: string | null;
  municipalityName: string;
  payday: string;
  /** The payday's decisions: the payee shares of its month decided by then (a share of 0.00 needs no transfer). */
  decided: Tally;
  batchId: string | null;
  /** The batch's transfers of the payday's month; `carried`: of earlier months (late decisions, re-paid returns). */
  inBatch: Tally;
  carried: Tally;
  /** Due but without (a corrected) account: they join a later batch. */
  held: Tally;
  /** Decided but neither in this batch nor held (decided after the batch was made): the next batch takes them. */
  notYetInBatch: Tally;
  /** Transfers of this batch the bank refused (pain.002) or returned (camt.054). */
  failed: Tally;
  /** Transfers of this batch the bank did not refuse. */
  paid: Tally;
  /** decided = inBatch + held + notYetInBatch, to the cent. */
  agrees: boolean;
  /** The bufferbudget in the month's payments against the BufferDrawn events the eindheffing report sums (SPEC §7). */
  bufferbudget: { decided: string; inBatchAndHeld: string; eindheffing: string; agrees: boolean };
}

const tally = (amounts: readonly string[]): Tally => ({
  count: amounts.length,
  amount: fmt(sum(amounts.map((a) => money(a)))),
});

export interface PayingMunicipality {
  settings: MunicipalitySettings;
  /** Whether a household (by its CaseOpened.municipality) is this municipality's. */
  belongsTo: (municipality: string | null) => boolean;
}

/** Every municipality of a deployment that pays (one in a single-municipality deployment: every household). */
export function payingMunicipalities(m: Municipalities): PayingMunicipality[] {
  if (m.mode === 'single') return [{ settings: m.defaultMunicipality, belongsTo: () => true }];
  return m.codes.map((code) => ({ settings: m.byCode.get(code)!, belongsTo: m.belongsTo(code) }));
}

/**
 * The reconciliation of a payday for each municipality given (its households by `belongsTo`): what the CLI prints
 * and what a backoffice page can render (`reconcilePayday(store, payday, payingMunicipalities(deployment))`).
 */
export async function reconcilePayday(
  store: EventStore,
  payday: string,
  municipalities: readonly PayingMunicipality[],
  /** Facts read once for several paydays (a page reconciling the recent ones); default: read now. */
  preread?: PaymentFacts,
): Promise<PaydayReconciliation[]> {
  const facts = preread ?? (await readPaymentFacts(store));
  const month = payday.slice(0, 7);
  // A failure belongs to the transfer of its batch (an end-to-end id names a share's attempt, not the batch).
  const failedIds = new Set(facts.failures.map((f) => `${f.batchId}|${f.endToEndId}`));
  const out: PaydayReconciliation[] = [];
  for (const { settings, belongsTo } of municipalities) {
    const households = [...facts.households.values()].filter((h) => belongsTo(h.municipality));
    const shares = households
      .flatMap((h) => h.shares)
      .filter((s) => s.month === month && s.runDate <= payday && !money(s.amount).isZero());
    const batch = (await readBatches(store, settings.code)).batches.find((b) => b.payday === payday) ?? null;
    const lines = batch?.lines ?? [];
    const own = lines.filter((l) => l.month === month);
    const held = (batch?.held ?? []).filter((h) => h.month === month);
    const covered = new Set([...own, ...held].map((s) => `${s.householdId}|${s.payee}`));
    const rest = shares.filter((s) => !covered.has(`${s.householdId}|${s.payee}`));
    const decided = tally(shares.map((s) => s.amount));
    const parts = sum([...own, ...held, ...rest].map((s) => money(s.amount)));
    // The households whose payment of the month was decided by the payday (a later one is the next payday's).
    const paying = households.filter((h) => shares.some((s) => s.householdId === h.householdId));
    const eindheffing = fmt(sum(paying.map((h) => money(h.bufferDrawn.get(month) ?? '0'))));
    const bufferDecided = fmt(sum(shares.map((s) => money(s.bufferDraw))));
    const bufferInBatch = fmt(sum([...own, ...held].map((s) => money(s.bufferDraw))));
    out.push({
      municipality: settings.code,
      municipalityName: settings.name,
      payday,
      decided,
      batchId: batch?.batchId ?? null,
      inBatch: tally(own.map((l) => l.amount)),
      carried: tally(lines.filter((l) => l.month !== month).map((l) => l.amount)),
      held: tally(held.map((h) => h.amount)),
      notYetInBatch: tally(rest.map((s) => s.amount)),
      failed: tally(lines.filter((l) => failedIds.has(`${batch!.batchId}|${l.endToEndId}`)).map((l) => l.amount)),
      paid: tally(lines.filter((l) => !failedIds.has(`${batch!.batchId}|${l.endToEndId}`)).map((l) => l.amount)),
      agrees: fmt(parts) === decided.amount,
      bufferbudget: {
        decided: bufferDecided,
        inBatchAndHeld: bufferInBatch,
        eindheffing,
        agrees: bufferDecided === eindheffing && (batch === null || rest.length > 0 || bufferInBatch === eindheffing),
      },
    });
  }
  return out;
}
