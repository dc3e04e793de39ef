import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EventStore } from '@bijstand/event-store';
import { ConfigurationError } from './errors.js';
import { bsnPseudonym } from './ids.js';
import { pseudonymKeyFromEnv, type PseudonymKey } from './pseudonymKey.js';
import { householdStream } from './streams.js';

/**
 * One pseudonym key per store. Routing depends on the key (`member-<pseudonym>` holds who is a member of
 * which case): the same BSN under another key opens a second case and is paid twice. So a store records,
 * when it is made, a check value of its key — an HMAC of a fixed label, from which the key cannot be
 * found — and every process that opens it with a key compares before it reads or writes anything.
 */
export const STORE_KEY_STREAM = 'store-pseudonym-key';
export const STORE_KEY_RECORDED = 'PseudonymKeyRecorded';
const CHECK_LABEL = 'bijstand store pseudonym key check v1';

export interface StoreKeyRecorded {
  /** HMAC-SHA256(key, CHECK_LABEL), hex: equal keys give equal values; the value does not give the key. */
  check: string;
  /** Made with the public development key (--insecure-dev-key): its pseudonyms protect nothing. */
  insecure: boolean;
}

export class StoreKeyMismatchError extends ConfigurationError {
  constructor(message: string) {
    super(message);
    this.name = 'StoreKeyMismatchError';
  }
}

export function keyCheckValue(key: string): string {
  return createHmac('sha256', key).update(CHECK_LABEL).digest('hex');
}

function sameCheck(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The check value the store recorded, or undefined for a store made before stores recorded one. */
export async function recordedStoreKey(store: EventStore): Promise<StoreKeyRecorded | undefined> {
  const [first] = await store.readStream(STORE_KEY_STREAM);
  return first ? (first.data as StoreKeyRecorded) : undefined;
}

const MEMBER_PREFIX = 'member-';

/**
 * A store made before stores recorded their key: does `key` make the pseudonym of its first member stream?
 * That stream names a household whose CaseOpened lists the BSNs, one of which is the stream's. True when the
 * key is shown to be another; false when it matches or nothing tells (no member stream yet, no case).
 */
async function madeWithAnotherKey(store: EventStore, key: string): Promise<boolean> {
  const [first] = await store.listStreams(MEMBER_PREFIX);
  if (!first) return false;
  const [membership] = await store.readStream(first);
  const householdId = (membership?.data as { householdId?: unknown } | undefined)?.householdId;
  if (typeof householdId !== 'string') return false;
  const bsns = (await store.readStream(householdStream(householdId)))
    .filter((e) => e.type === 'CaseOpened')
    .flatMap((e) => ((e.data as { members?: Array<{ bsn?: unknown }> }).members ?? []).map((m) => m.bsn))
    .filter((bsn): bsn is string => typeof bsn === 'string');
  if (bsns.length === 0) return false;
  return !bsns.some((bsn) => `${MEMBER_PREFIX}${bsnPseudonym(bsn, key)}` === first);
}

export interface StoreKeyOptions {
  /** May the process record the check value when the store has none (it may write). */
  record: boolean;
  /** When it is recorded (the caller's clock). */
  at: string;
}

/**
 * Compares `key` with the one the store was made with and refuses another (a StoreKeyMismatchError naming
 * the problem, never the key). A store without a check value (made before stores recorded one) is checked
 * against its first member stream, then gets `key`'s when `record` allows: the first process that may write
 * claims it, and the stream's `no-stream` revision lets only one of two racing processes do so (the other
 * then compares with the winner's).
 */
export async function verifyStoreKey(
  store: EventStore,
  key: PseudonymKey,
  options: StoreKeyOptions,
): Promise<'recorded' | 'matches' | 'not-recorded'> {
  const check = keyCheckValue(key.key);
  let recorded = await recordedStoreKey(store);
  if (!recorded) {
    if (await madeWithAnotherKey(store, key.key))
      throw new StoreKeyMismatchError(
        `${store.name}: BSN_PSEUDONYM_KEY is not the key this store's member streams were made with; the same BSN would get a second pseudonym and a second case, so nothing was read or written`,
      );
    if (!options.record) return 'not-recorded';
    const data: StoreKeyRecorded = { check, insecure: key.insecure };
    try {
      await store.append(
        STORE_KEY_STREAM,
        [
          {
            eventId: `store-key-${check.slice(0, 16)}`,
            type: STORE_KEY_RECORDED,
            schemaVersion: 1,
            recordedAt: options.at,
            data,
          },
        ],
        { expectedRevision: 'no-stream' },
      );
      return 'recorded';
    } catch (err) {
      recorded = await recordedStoreKey(store);
      if (!recorded) throw err;
    }
  }
  if (sameCheck(recorded.check, check)) return 'matches';
  if (key.insecure)
    throw new StoreKeyMismatchError(
      `${store.name}: this store was made with a secret BSN_PSEUDONYM_KEY; the public development key (--insecure-dev-key) is refused on it, nothing was read or written`,
    );
  if (recorded.insecure)
    throw new StoreKeyMismatchError(
      `${store.name}: this store was made with the public development key (--insecure-dev-key, synthetic data only); BSN_PSEUDONYM_KEY is not that key, nothing was read or written`,
    );
  throw new StoreKeyMismatchError(
    `${store.name}: BSN_PSEUDONYM_KEY is not the key this store was made with (its check value differs); the same BSN would get a second pseudonym and a second case, so nothing was read or written`,
  );
}

/**
 * The guard every process runs right after opening a store: with a key in the environment (or
 * --insecure-dev-key) it is compared with the store's, and recorded when the process may write and the
 * store has none. Without a key nothing is compared: such a process makes no pseudonyms (a command that
 * needs one refuses when it resolves the key).
 */
export async function guardStoreKey(
  store: EventStore,
  env: NodeJS.ProcessEnv,
  options: StoreKeyOptions,
): Promise<void> {
  if (!env.BSN_PSEUDONYM_KEY) return;
  await verifyStoreKey(store, pseudonymKeyFromEnv(env), options);
}
