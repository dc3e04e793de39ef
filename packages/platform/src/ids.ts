import { createHash, createHmac } from 'node:crypto';
import { currentPseudonymKey } from './pseudonymKey.js';

/**
 * A BSN never appears in clear text outside the event payloads: stream names and logs use a keyed
 * pseudonym. The key must be stable for a deployment (routing depends on it) and secret: set
 * BSN_PSEUDONYM_KEY (pseudonymKey.ts; there is no default key), one per store (storeKey.ts).
 */
export function bsnPseudonym(bsn: string, key: string = currentPseudonymKey().key): string {
  return createHmac('sha256', key).update(bsn).digest('hex').slice(0, 20);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Canonical JSON: object keys sorted, so that equal content always gives equal bytes and hashes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
