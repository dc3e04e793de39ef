import { paydayOf } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { loadHousehold, RULES_ACCEPTANCES_STREAM, type Municipalities } from '@bijstand/platform';
import { payingMunicipalities, readPaymentFacts, reconcilePayday, type PaydayReconciliation } from '@bijstand/payments';
import { runHistory, type RunHistoryEntry } from '@bijstand/settlement';
import { mayOpen } from '../scope.js';
import type { SessionUser } from '../sessions.js';

/** The nights the page shows, newest first. */
export const NIGHTS_SHOWN = 14;
/** The paydays reconciled on the page: the last three months' (the CLI's `payments reconcile` takes any). */
export const PAYDAYS_SHOWN = 3;

export type RulesDecision =
  | {
      status: 'accepted';
      rulesVersion: string;
      municipalities: string[];
      changes: string[];
      acceptedBy: string;
      acceptedAt: string;
      reason: string;
    }
  | { status: 'waiting'; rulesVersion: string; municipalities: string[]; changes: string[]; since: string };

/**
 * The nights with their recorded results; a user with municipalities sees the failures of their households
 * only (the night's figures are the whole service's: a night settles every municipality at once).
 */
export async function nightsFor(
  user: SessionUser,
  store: EventStore,
  codeOf: (municipality: string | null | undefined) => string | null,
): Promise<RunHistoryEntry[]> {
  const nights = await runHistory(store, { last: NIGHTS_SHOWN });
  if (!user.municipalities) return nights;
  const mine = async (householdId: string) =>
    mayOpen(user, codeOf((await loadHousehold(store, householdId)).state.municipality));
  const out: RunHistoryEntry[] = [];
  for (const night of nights) {
    if (!night.result) {
      out.push(night);
      continue;
    }
    const failures = [];
    for (const f of night.result.failures) if (await mine(f.householdId)) failures.push(f);
    out.push({ ...night, result: { ...night.result, failures } });
  }
  return out;
}

/**
 * Rules changes for the backoffice: each acceptance (who, when, why), and each change a worker held
 * back that nobody accepted yet (newest first); a user with municipalities sees those about theirs.
 */
export async function rulesDecisions(store: EventStore, user: SessionUser): Promise<RulesDecision[]> {
  const events = await store.readStream(RULES_ACCEPTANCES_STREAM);
  const accepted = new Set(
    events
      .filter((e) => e.type === 'RulesVersionAccepted')
      .map((e) => (e.data as { rulesVersion: string }).rulesVersion),
  );
  return events
    .filter((e) => e.type === 'RulesVersionAccepted' || !accepted.has((e.data as { current: string }).current))
    .reverse()
    .map((e): RulesDecision => {
      const d = e.data as Record<string, unknown>;
      return e.type === 'RulesVersionAccepted'
        ? {
            status: 'accepted',
            rulesVersion: d.rulesVersion as string,
            municipalities: Object.keys((d.municipalities as object | undefined) ?? {}),
            changes: (d.changes as string[] | undefined) ?? [],
            acceptedBy: d.acceptedBy as string,
            acceptedAt: e.recordedAt,
            reason: d.reason as string,
          }
        : {
            status: 'waiting',
            rulesVersion: d.current as string,
            municipalities: [d.municipality as string],
            changes: (d.changes as string[] | undefined) ?? [],
            since: d.runDate as string,
          };
    })
    .filter((r) => r.municipalities.length === 0 || r.municipalities.some((m) => mayOpen(user, m)));
}

/**
 * The reconciliation of each of the user's municipalities for the paydays of the last PAYDAYS_SHOWN months up
 * to the last night (its own payday by its policy), newest first, those with payments or a payment file;
 * null without a deployment configuration.
 */
export async function recentPaydays(
  user: SessionUser,
  store: EventStore,
  municipalities: Municipalities | undefined,
  lastNight: string | undefined,
): Promise<PaydayReconciliation[] | null> {
  if (!municipalities) return null;
  if (!lastNight) return [];
  // One pass over the store for every payday and municipality (the facts do not change between them).
  const facts = await readPaymentFacts(store);
  const out: PaydayReconciliation[] = [];
  for (const paying of payingMunicipalities(municipalities)) {
    if (!mayOpen(user, paying.settings.code)) continue;
    const paydays = monthsBack(lastNight.slice(0, 7), PAYDAYS_SHOWN + 1)
      .map((month) => paydayOf(month, paying.settings.ctx.policy))
      .filter((payday) => payday <= lastNight)
      .slice(0, PAYDAYS_SHOWN);
    for (const payday of paydays)
      for (const r of await reconcilePayday(store, payday, [paying], facts))
        // A municipality without a payment that payday and without a file has nothing to reconcile.
        if (r.decided.count > 0 || r.batchId || r.carried.count > 0) out.push(r);
  }
  return out.sort((a, b) => (a.payday < b.payday ? 1 : a.payday > b.payday ? -1 : 0));
}

/** `month` and the n-1 months before it, newest first. */
function monthsBack(month: string, n: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const t = y * 12 + (m - 1) - i;
    return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
  });
}
