import { maskBsnRuns, sha256Hex } from '@bijstand/platform';

/**
 * A messageId names one statement for good (issue #12, 6): the same id again with the same content
 * is a re-delivery; with other content (another wage, another BSN) it is a conflict, rejected with
 * both hashes so that someone can find the two versions.
 */

/** The hash of a statement's content as validated (key order and defaults do not matter). */
export function contentHash(statement: unknown): string {
  return sha256Hex(canonicalText(statement));
}

interface Shape {
  /** Object.keys of the objects of this shape, in their order. */
  keys: string[];
  /** The same keys sorted, each with its JSON text and colon. */
  sorted: { key: string; prefix: string }[];
}

/** The shapes seen (a statement has a handful), bounded: an input with ever new keys is serialized without it. */
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 512;

function shapeOf(keys: string[]): Shape {
  const id = keys.join('\u0000');
  const known = shapes.get(id);
  // The same joined text from other keys (a key holding U+0000) is told apart by comparing the keys.
  if (known && known.keys.length === keys.length && known.keys.every((k, i) => k === keys[i])) return known;
  const shape = { keys, sorted: [...keys].sort().map((key) => ({ key, prefix: `${JSON.stringify(key)}:` })) };
  if (!known && shapes.size < MAX_SHAPES) shapes.set(id, shape);
  return shape;
}

/**
 * platform's canonicalJson, character for character (test/contentHash.unit.test.ts holds them
 * together), at about half its CPU per statement: each shape's keys are sorted and quoted once.
 * A stored hash is compared with this one on every re-delivery, so the text must never change.
 */
function canonicalText(value: unknown): string {
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + (canonicalText(value[i]) ?? '');
    return `${text}]`;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  let text = '{';
  let first = true;
  for (const { key, prefix } of shapeOf(Object.keys(record)).sorted) {
    const v = record[key];
    if (v === undefined) continue;
    text += `${first ? '' : ','}${prefix}${canonicalText(v)}`;
    first = false;
  }
  return `${text}}`;
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
