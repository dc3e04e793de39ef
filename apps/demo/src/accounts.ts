import { composeIban, PAYMENT_ACCOUNT_RECORDED } from '@bijstand/sepa';

const BANKS = ['INGB', 'ABNA', 'RABO', 'SNSB', 'TRIO'] as const;
const NAMES = ['A. de Vries', 'B. Jansen', 'C. Bakker', 'D. Visser', 'E. Smit', 'F. Meijer', 'G. de Boer', 'H. Mulder'];

/**
 * The demo's payment accounts: one per member from the case's start, deterministic from the (synthetic) BSN, with
 * valid check digits, so that `./cli payments export` works on the demo's store. Fake accounts, never real ones.
 */
export function demoAccounts(opening: {
  householdId: string;
  startDate: string;
  members: readonly { bsn: string; role: string }[];
}): object[] {
  return opening.members.map((m) => {
    const n = Number(m.bsn);
    // Not the BSN itself: an account number must not reveal the person's number.
    const account = String((n * 7919 + 104_729) % 10_000_000_000).padStart(10, '0');
    return {
      type: PAYMENT_ACCOUNT_RECORDED,
      householdId: opening.householdId,
      bsn: m.bsn,
      iban: composeIban('NL', `${BANKS[n % BANKS.length]}${account}`),
      holder: NAMES[n % NAMES.length],
      from: opening.startDate,
    };
  });
}
