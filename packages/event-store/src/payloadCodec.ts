import { deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';
import { DICTIONARY_1_TEXT } from './payloadDictionary.js';
import { DICTIONARY_2_TEXT } from './payloadDictionary2.js';
import { DICTIONARY_3_TEXT } from './payloadDictionary3.js';

/**
 * How the SQLite and PostgreSQL adapters keep a payload (an event's data as JSON text) on disk.
 *
 * A stored payload is either
 * - text: the JSON exactly as appended (every row written before this codec, and small payloads), or
 * - bytes: a one-byte codec tag, then the encoded UTF-8 of the JSON text.
 *
 * Every codec is raw deflate (RFC 1951) with a preset dictionary; each payload is compressed on its
 * own (a row reads without its neighbours), the dictionary gives it the keys and legal texts that
 * every payload of its kind repeats. Deflate hashes the whole dictionary again for every payload, so
 * a dictionary's size is CPU per payload: hence one per size of payload.
 * - Tag 1: DICTIONARY_1 (payloadDictionary.ts, 21 KB, made from rules v1). Written only with
 *   PAYLOAD_CODEC=1 (the off switch: packing as before codecs 2 and 3); read forever.
 * - Tag 2: DICTIONARY_2 (payloadDictionary2.ts, 2 KB): payloads shorter than LARGE_FROM_LENGTH (an
 *   income statement, a case event, a night's buffer outcome or alert). 4 KB window.
 * - Tag 3: DICTIONARY_3 (payloadDictionary3.ts, 26 KB, made from rules v3 decisions): the rest (the
 *   decisions, snapshots).
 * Tags are never reused nor their meaning changed: an unknown tag is an error, never guessed at.
 *
 * Exact by construction: only well-formed text is packed (its UTF-8 decodes to the very same text;
 * a lone surrogate would not survive UTF-8, such text is stored as it is), and deflate is lossless.
 * Inflating every packed payload once more to compare cost 5-10 µs a payload; the tests hold each
 * codec to fixed stored rows and every worked example's payloads to a round trip instead.
 */

export const CODEC_DEFLATE_DICTIONARY_1 = 1;
export const CODEC_DEFLATE_SMALL_2 = 2;
export const CODEC_DEFLATE_DECISIONS_3 = 3;

/** UTF-8 of DICTIONARY_1_TEXT: the bytes codec 1 is defined with. */
export const DICTIONARY_1: Buffer = Buffer.from(DICTIONARY_1_TEXT, 'utf8');
/** UTF-8 of DICTIONARY_2_TEXT: the bytes codec 2 is defined with. */
export const DICTIONARY_2: Buffer = Buffer.from(DICTIONARY_2_TEXT, 'utf8');
/** UTF-8 of DICTIONARY_3_TEXT: the bytes codec 3 is defined with. */
export const DICTIONARY_3: Buffer = Buffer.from(DICTIONARY_3_TEXT, 'utf8');

/** Codec 1 only: payloads shorter than this (UTF-16 code units) stayed text. */
export const PACK_FROM_LENGTH = 160;
/**
 * Payloads shorter than this stay text. Codec 2's dictionary has the short outcomes of a night (a
 * BufferNotDrawn of ~80 characters packs to ~12 bytes), so it packs from far shorter texts than codec 1.
 */
export const SMALL_PACK_FROM_LENGTH = 48;
/** From this length on (UTF-16 code units) a payload is packed with codec 3, below it with codec 2. */
export const LARGE_FROM_LENGTH = 1536;
/**
 * A message-id claim (`{"hash":"<64 hex digits>"}`, one per statement at ingest) stays text: deflate
 * gains ~8 bytes on a SHA-256 in hex and would cost a deflate per statement.
 */
const HASH_CLAIM_PREFIX = '{"hash":"';

interface Codec {
  deflate: ZlibOptions;
  inflate: ZlibOptions;
}

/** The parameters each tag was defined with: the window holds the dictionary; inflate's is at least deflate's. */
const CODECS: ReadonlyMap<number, Codec> = new Map([
  [
    CODEC_DEFLATE_DICTIONARY_1,
    {
      deflate: { dictionary: DICTIONARY_1, level: 6, memLevel: 9 },
      inflate: { dictionary: DICTIONARY_1 },
    },
  ],
  [
    CODEC_DEFLATE_SMALL_2,
    {
      deflate: { dictionary: DICTIONARY_2, level: 6, memLevel: 5, windowBits: 12 },
      inflate: { dictionary: DICTIONARY_2, windowBits: 12 },
    },
  ],
  [
    CODEC_DEFLATE_DECISIONS_3,
    {
      deflate: { dictionary: DICTIONARY_3, level: 9, memLevel: 8 },
      inflate: { dictionary: DICTIONARY_3 },
    },
  ],
]);

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

/** The codec `text` is packed with, or null when it stays text. PAYLOAD_CODEC=1: codec 1 only, as before 2 and 3. */
function codecFor(text: string): number | null {
  if (process.env.PAYLOAD_CODEC === '1') return text.length < PACK_FROM_LENGTH ? null : CODEC_DEFLATE_DICTIONARY_1;
  if (text.length < SMALL_PACK_FROM_LENGTH || text.startsWith(HASH_CLAIM_PREFIX)) return null;
  return text.length < LARGE_FROM_LENGTH ? CODEC_DEFLATE_SMALL_2 : CODEC_DEFLATE_DECISIONS_3;
}

/** The payload to store for `text`: the text itself, or a codec's bytes when they are smaller. */
export function packPayload(text: string): StoredPayload {
  const tag = codecFor(text);
  if (tag === null || !isWellFormed(text)) return text;
  const utf8 = Buffer.from(text, 'utf8');
  const deflated = deflateRawSync(utf8, CODECS.get(tag)!.deflate);
  if (deflated.length + 1 >= utf8.length) return text;
  const packed = Buffer.allocUnsafe(deflated.length + 1);
  packed[0] = tag;
  deflated.copy(packed, 1);
  return packed;
}

/** No lone surrogate (String.prototype.isWellFormed, ES2024: in Node 20, not yet in this project's TypeScript lib). */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** The JSON text of a stored payload, exactly as it was appended. */
export function unpackPayload(stored: StoredPayload): string {
  if (typeof stored === 'string') return stored;
  const tag = stored[0];
  const codec = tag === undefined ? undefined : CODECS.get(tag);
  if (!codec) throw new UnknownPayloadCodecError(tag);
  return inflateRawSync(stored.subarray(1), codec.inflate).toString('utf8');
}
