import { validate, type Validation } from '@bijstand/domain';
import { canonicalJson, paymentAccountsStream, sha256Hex } from '@bijstand/platform';
import { PAYMENT_ACCOUNT_RECORDED, paymentAccountRecordedSchema, type PaymentAccountRecorded } from '@bijstand/sepa';
import type { IngestDeps, IngestOutcome, InboundMessage } from './inbound.js';
import { reject } from './rejection.js';

/** A case event that is no household fact but where its money goes: routed apart from the other case events. */
export function isPaymentAccountPayload(raw: unknown): boolean {
  return !!raw && typeof raw === 'object' && (raw as { type?: unknown }).type === PAYMENT_ACCOUNT_RECORDED;
}

export function validatePaymentAccount(raw: unknown): Validation<PaymentAccountRecorded> {
  return validate(paymentAccountRecordedSchema, raw);
}

/**
 * Stores a member's payment account in the household's account stream (not the household stream: no decision
 * of a night depends on it, and the case file and replay need not carry an IBAN). For one of the members of the
 * opened case (casePath parks an account that arrives before its CaseOpened); the content is the identity, so a
 * re-delivery is a duplicate. The log never names the IBAN.
 */
export async function recordPaymentAccount(
  deps: IngestDeps,
  account: PaymentAccountRecorded,
  message: InboundMessage,
): Promise<IngestOutcome> {
  const { state } = await deps.households.load(deps.store, account.householdId);
  if (!state.members.some((m) => m.bsn === account.bsn))
    return reject(
      deps,
      message,
      `bsn: not a member of household ${account.householdId} (Pw art. 45: paid to a member)`,
    );
  const result = await deps.store.append(paymentAccountsStream(account.householdId), [
    {
      eventId: `account:${sha256Hex(canonicalJson(account)).slice(0, 32)}`,
      type: PAYMENT_ACCOUNT_RECORDED,
      schemaVersion: 1,
      recordedAt: message.recordedAt,
      data: { ...account, recordedAt: message.recordedAt },
    },
  ]);
  if (result.appended === 0) return { status: 'duplicate', householdId: account.householdId };
  deps.logger.info({ householdId: account.householdId, from: account.from }, 'payment account recorded');
  return { status: 'recorded', householdId: account.householdId, appended: result.appended };
}
