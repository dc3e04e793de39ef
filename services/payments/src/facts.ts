import { fmt, money } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import {
  HOUSEHOLD_STREAM_PREFIX,
  householdIdOfStream,
  PAYMENT_ACCOUNTS_STREAM_PREFIX,
  PAYMENT_OUTCOMES_STREAM,
} from '@bijstand/platform';
import { PAYMENT_ACCOUNT_RECORDED, type PayeeRole } from '@bijstand/sepa';
import { PAYMENT_FAILED, type PaymentFailedData } from './events.js';

/** One payee's part of a PaymentMade (art. 45(4)): what a transfer pays. */
export interface PaymentShare {
  householdId: string;
  month: string;
  payee: PayeeRole;
  amount: string;
  /** The night that decided it. */
  runDate: string;
  /** The whole payment's buffer draw (SPEC §7), on the applicant's share only, so that sums count it once. */
  bufferDraw: string;
}

export interface RecordedAccount {
  bsn: string;
  iban: string;
  holder: string;
  from: string;
  recordedAt: string;
  /** Its place in the store's commit order: what "recorded after" means (clocks of other systems may disagree). */
  position: number;
}

export interface HouseholdPayments {
  householdId: string;
  /** CaseOpened.municipality (null: the deployment's default). */
  municipality: string | null;
  members: { bsn: string; role: PayeeRole }[];
  shares: PaymentShare[];
  accounts: RecordedAccount[];
  /** BufferDrawn per month (SPEC §7): what the eindheffing report counts. */
  bufferDrawn: Map<string, string>;
}

export interface RecordedFailure extends PaymentFailedData {
  recordedAt: string;
  position: number;
}

export interface PaymentFacts {
  households: Map<string, HouseholdPayments>;
  failures: RecordedFailure[];
}

export const shareKey = (s: { householdId: string; month: string; payee: string }) =>
  `${s.householdId}|${s.month}|${s.payee}`;

/**
 * Everything the payment files are made from, in one pass over the store: per household its municipality,
 * members, payments (PaymentMade, split by payee) and recorded accounts; and the banks' outcomes.
 */
export async function readPaymentFacts(store: EventStore): Promise<PaymentFacts> {
  const households = new Map<string, HouseholdPayments>();
  const of = (id: string) => {
    let h = households.get(id);
    if (!h)
      households.set(
        id,
        (h = { householdId: id, municipality: null, members: [], shares: [], accounts: [], bufferDrawn: new Map() }),
      );
    return h;
  };
  const failures: RecordedFailure[] = [];
  for (const e of await store.readAll()) {
    const d = e.data as Record<string, unknown>;
    if (e.streamName.startsWith(HOUSEHOLD_STREAM_PREFIX)) {
      const h = of(householdIdOfStream(e.streamName));
      if (e.type === 'CaseOpened') {
        h.municipality = (d['municipality'] as string | undefined) ?? null;
        h.members = (d['members'] as { bsn: string; role: PayeeRole }[]).map((m) => ({ bsn: m.bsn, role: m.role }));
      } else if (e.type === 'BufferDrawn') {
        const month = d['month'] as string;
        h.bufferDrawn.set(month, fmt(money(h.bufferDrawn.get(month) ?? '0').plus(d['amount'] as string)));
      } else if (e.type === 'PaymentMade') {
        const payees = d['payees'] as Partial<Record<PayeeRole, string>>;
        for (const payee of ['applicant', 'partner'] as const) {
          const amount = payees[payee];
          if (amount === undefined) continue;
          h.shares.push({
            householdId: h.householdId,
            month: d['month'] as string,
            payee,
            amount,
            runDate: d['runDate'] as string,
            bufferDraw: payee === 'applicant' || payees.applicant === undefined ? (d['bufferDraw'] as string) : '0.00',
          });
        }
      }
    } else if (e.streamName.startsWith(PAYMENT_ACCOUNTS_STREAM_PREFIX) && e.type === PAYMENT_ACCOUNT_RECORDED) {
      const h = of(d['householdId'] as string);
      h.accounts.push({
        bsn: d['bsn'] as string,
        iban: d['iban'] as string,
        holder: d['holder'] as string,
        from: d['from'] as string,
        recordedAt: e.recordedAt,
        position: e.globalPosition,
      });
    } else if (e.streamName === PAYMENT_OUTCOMES_STREAM && e.type === PAYMENT_FAILED) {
      failures.push({ ...(d as unknown as PaymentFailedData), recordedAt: e.recordedAt, position: e.globalPosition });
    }
  }
  return { households, failures };
}

/**
 * The account a member is paid on at `date`: of the accounts in force by then (`from` ≤ date) the latest by
 * `from`, then the one recorded last.
 */
export function accountOn(accounts: readonly RecordedAccount[], bsn: string, date: string): RecordedAccount | null {
  let best: RecordedAccount | null = null;
  for (const a of accounts) {
    if (a.bsn !== bsn || a.from > date) continue;
    if (!best || a.from > best.from || (a.from === best.from && a.position > best.position)) best = a;
  }
  return best;
}
