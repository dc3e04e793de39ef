import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DICTIONARY_1_TEXT } from './payloadDictionary.js';

/**
 * How the SQLite and PostgreSQL adapters keep a payload (an event's data as JSON text) on disk.
 *
 * A stored payload is either
 * - text: the JSON exactly as appended (every row written before this codec, and small payloads), or
 * - bytes: a one-byte codec tag, then the encoded UTF-8 of the JSON text.
 *
 * Tag 1: raw deflate (RFC 1951) with the preset dictionary DICTIONARY_1 (payloadDictionary.ts).
 * Each payload is compressed on its own (a row reads without its neighbours); the dictionary gives it
 * the keys and legal texts every decision repeats. Tags are never reused nor their meaning changed:
 * an unknown tag is an error, never guessed at.
 *
 * Exact by construction and checked: a payload is stored packed only if unpacking the packed bytes
 * gives back the very same text, else it is stored as text.
 */

export const CODEC_DEFLATE_DICTIONARY_1 = 1;

/** UTF-8 of DICTIONARY_1_TEXT: the bytes codec 1 is defined with. */
export const DICTIONARY_1: Buffer = Buffer.from(DICTIONARY_1_TEXT, 'utf8');

/** Payloads shorter than this (UTF-16 code units) stay text: compressing them would gain a few bytes at most. */
export const PACK_FROM_LENGTH = 160;

const DEFLATE_OPTIONS = { dictionary: DICTIONARY_1, level: 6, memLevel: 9 } as const;

/** A payload as stored: JSON text, or a tagged encoding of it. */
export type StoredPayload = string | Buffer;

export class UnknownPayloadCodecError extends Error {
  constructor(readonly tag: number | undefined) {
    super(
      tag === undefined
        ? 'stored payload: empty bytes, no codec tag'
        : `stored payload: unknown codec tag ${tag} (written by a newer version?)`,
    );
    this.name = 'UnknownPayloadCodecError';
  }
}

/** The payload to store for `text`: the text itself, or codec 1's bytes when they are smaller. */
export function packPayload(text: string): StoredPayload {
  if (text.length < PACK_FROM_LENGTH) return text;
  const utf8 = Buffer.from(text, 'utf8');
  const deflated = deflateRawSync(utf8, DEFLATE_OPTIONS);
  if (deflated.length + 1 >= utf8.length) return text;
  const packed = Buffer.allocUnsafe(deflated.length + 1);
  packed[0] = CODEC_DEFLATE_DICTIONARY_1;
  deflated.copy(packed, 1);
  // Text that is not well-formed UTF-16 (a lone surrogate) would not survive UTF-8: keep it as given.
  return unpackPayload(packed) === text ? packed : text;
}

/** The JSON text of a stored payload, exactly as it was appended. */
export function unpackPayload(stored: StoredPayload): string {
  if (typeof stored === 'string') return stored;
  const tag = stored[0];
  if (tag !== CODEC_DEFLATE_DICTIONARY_1) throw new UnknownPayloadCodecError(tag);
  return inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY_1 }).toString('utf8');
}
