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
 * writeClaims' claims that are new, as stored: the first of each key not claimed yet (a later one of a key
 * is dropped), its recordedAt in canonical form. `claimed`: whether the store holds the key.
 */
export function newClaimsOnly(claims: readonly MessageClaim[], claimed: (key: string) => boolean): MessageClaim[] {
  const instants = checkClaims(claims);
  const inBatch = new Set<string>();
  return claims.flatMap((c, i) => {
    if (inBatch.has(c.key) || claimed(c.key)) return [];
    inBatch.add(c.key);
    return [{ key: c.key, hash: c.hash, recordedAt: new Date(instants[i]!).toISOString() }];
  });
}

/** appendMany's claims, as stored: each key must be new to the store and to the batch, else ClaimTakenError. */
export function newClaimsOrThrow(claims: readonly MessageClaim[], claimed: (key: string) => boolean): MessageClaim[] {
  const fresh = newClaimsOnly(claims, claimed);
  // `fresh` keeps the batch's order: the first claim where the two part is the first one dropped.
  const dropped = claims.find((c, i) => fresh[i]?.key !== c.key);
  if (dropped) throw new ClaimTakenError(dropped.key);
  return fresh;
}

/** The hex of a key or hash as bytes, for the adapters that store them binary. */
export const bytesOfHex = (hex: string): Buffer => Buffer.from(hex, 'hex');
export const hexOfBytes = (bytes: Buffer | Uint8Array): string => Buffer.from(bytes).toString('hex');
