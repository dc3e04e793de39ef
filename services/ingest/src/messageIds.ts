import { canonicalJson, maskBsnRuns, sha256Hex } from '@bijstand/platform';

/**
 * A messageId names one statement for good (issue #12, 6): the same id again with the same content
 * is a re-delivery; with other content (another wage, another BSN) it is a conflict, rejected with
 * both hashes so that someone can find the two versions.
 */

export const MESSAGE_ID_CLAIMED = 'MessageIdClaimed';

/** The hash of a statement's content as validated (key order and defaults do not matter). */
export function contentHash(statement: unknown): string {
  return sha256Hex(canonicalJson(statement));
}

/** The first 12 hex digits in groups of four: a run of nine digits would read as a BSN and be masked. */
const short = (hash: string) => hash.slice(0, 12).replace(/(.{4})(?=.)/g, '$1-');

/**
 * Null: the same content (a re-delivery, or the first time); else the reason of the conflict, masked
 * already: the messageId (input) has its BSN-like runs masked, the hashes (ours, hex) are shown as they
 * are, since a hash prefix with nine digits in a row is no BSN and masking it would lose the version.
 */
export function redeliveryConflict(messageId: string, firstHash: string, nowHash: string): string | null {
  if (firstHash === nowHash) return null;
  return `conflicting-redelivery: messageId ${maskBsnRuns(messageId)} was first received with content sha256 ${short(firstHash)}…, now ${short(nowHash)}…`;
}
