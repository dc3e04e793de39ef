import { instantOf } from './appendRules.js';
import { ClaimTakenError, type MessageClaim } from './port.js';

/**
 * The message-claim semantics every adapter shares (port.ts, MessageClaim): what a claim may hold, and
 * which claims of a batch are new. Checked before anything is written, so a bad claim writes nothing.
 */

const KEY = /^(?:[0-9a-f]{2}){1,32}$/;
const HASH = /^[0-9a-f]{64}$/;

/** Keys to read: each must be a key a claim could have (hex), else TypeError. */
export function checkClaimKeys(keys: readonly string[]): void {
  for (const key of keys)
    if (typeof key !== 'string' || !KEY.test(key))
      throw new TypeError(`message claim key ${JSON.stringify(key)}: 2 to 64 lowercase hex digits, an even number`);
}

/** Throws TypeError naming the claim's field when a claim cannot be stored; the instant of each, in ms. */
export function checkClaims(claims: readonly MessageClaim[]): number[] {
  return claims.map((c) => {
    checkClaimKeys([c.key]);
    if (typeof c.hash !== 'string' || !HASH.test(c.hash))
      throw new TypeError(`message claim ${c.key}: hash must be 64 lowercase hex digits`);
    return instantOf(c.recordedAt, `recordedAt of message claim ${c.key}`);
  });
}

/**
 * appendMany's claims: each key must be new to the store and to the batch, else ClaimTakenError.
 * `claimed`: whether the store holds the key (before the batch).
 */
export function checkNewClaims(claims: readonly MessageClaim[], claimed: (key: string) => boolean): void {
  checkClaims(claims);
  const inBatch = new Set<string>();
  for (const c of claims) {
    if (inBatch.has(c.key) || claimed(c.key)) throw new ClaimTakenError(c.key);
    inBatch.add(c.key);
  }
}

/** writeClaims' claims that are new: the first of each key not claimed yet (a later one of a key is dropped). */
export function newClaimsOnly(claims: readonly MessageClaim[], claimed: (key: string) => boolean): MessageClaim[] {
  checkClaims(claims);
  const inBatch = new Set<string>();
  return claims.filter((c) => {
    if (inBatch.has(c.key) || claimed(c.key)) return false;
    inBatch.add(c.key);
    return true;
  });
}

/** The hex of a key or hash as bytes, for the adapters that store them binary. */
export const bytesOfHex = (hex: string): Buffer => Buffer.from(hex, 'hex');
export const hexOfBytes = (bytes: Buffer | Uint8Array): string => Buffer.from(bytes).toString('hex');
