import { bsnPseudonym, sha256Hex } from './ids.js';

export const HOUSEHOLD_STREAM_PREFIX = 'household-';
export const REJECTED_STREAM = 'ingest-rejected';
/** What the backoffice did with a rejected message (retried, with the outcome; dismissed): who, why and when. */
export const REJECTED_HANDLED_STREAM = 'ingest-rejected-handled';
/** What ingest hands to the consultant: identity conflicts, versions without their initial, messages parked too long. */
export const INGEST_ALERTS_STREAM = 'ingest-alerts';
export const ALERTS_STREAM = 'alerts';
/** One event per nightly run date: its instant and rules version (replay re-runs these nights). */
export const NIGHTLY_RUNS_STREAM = 'nightly-runs';
/** One event per finished night: its figures and the households it could not settle, each with a short reason. */
export const NIGHTLY_RUN_RESULTS_STREAM = 'nightly-run-results';
/** One event per rules version: the parameter tables and policy behind it (replay under the rules of then). */
export const RULES_VERSIONS_STREAM = 'rules-versions';
/** Who accepted which rules version, when and why; and the changes a night held back until someone does. */
export const RULES_ACCEPTANCES_STREAM = 'rules-acceptances';

export const householdStream = (householdId: string) => `${HOUSEHOLD_STREAM_PREFIX}${householdId}`;
export const householdIdOfStream = (stream: string) => stream.slice(HOUSEHOLD_STREAM_PREFIX.length);
/** bsn → household memberships with their periods, by pseudonym: routes statements to their household. */
export const memberStream = (bsn: string) => `member-${bsnPseudonym(bsn)}`;
export const PARKED_STREAM_PREFIX = 'parked-';
/** Statements whose BSN belongs to no case yet wait here until a case with that member opens. */
export const parkedStream = (bsn: string) => `${PARKED_STREAM_PREFIX}${bsnPseudonym(bsn)}`;
export const PARKED_CASE_STREAM_PREFIX = 'parked-case-';
/** Case events that arrived before their CaseOpened wait here until it arrives (a pseudonym is hex: no clash with parked-). */
export const parkedCaseStream = (householdId: string) => `${PARKED_CASE_STREAM_PREFIX}${householdId}`;
/**
 * The key of a messageId's claim (the content hash it was first received with; the store's message
 * claims): a pseudonym, since a messageId may hold anything, a BSN included.
 */
export const messageClaimKey = (messageId: string) => sha256Hex(messageId).slice(0, 32);
/** Stores written before issue #26 kept each claim as a stream of this prefix and the claim key. */
export const LEGACY_MESSAGE_ID_STREAM_PREFIX = 'message-id-';
/** The payment accounts (IBAN, holder, from) of a household's members, as the benefit administration records them. */
export const PAYMENT_ACCOUNTS_STREAM_PREFIX = 'payment-accounts-';
export const paymentAccountsStream = (householdId: string) => `${PAYMENT_ACCOUNTS_STREAM_PREFIX}${householdId}`;
/**
 * One municipality's payment batches (a single-municipality deployment: `default`), appended with the
 * expected revision: the stream's order is the one order in which payments are taken into batches.
 */
export const paymentBatchesStream = (municipality: string | null) => `payment-batches-${municipality ?? 'default'}`;
/** What banks said about transfers (pain.002 rejections, camt.054 returns), every municipality's. */
export const PAYMENT_OUTCOMES_STREAM = 'payment-outcomes';
