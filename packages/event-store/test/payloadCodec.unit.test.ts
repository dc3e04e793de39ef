import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CODEC_DEFLATE_DICTIONARY_1,
  DICTIONARY_1,
  PACK_FROM_LENGTH,
  packPayload,
  unpackPayload,
  UnknownPayloadCodecError,
} from '../src/payloadCodec.js';
import { bigDecision, exampleEvents } from './payloads.js';

describe('payload codec', () => {
  it('dictionary 1 is frozen: its bytes are the ones every packed row was written with', () => {
    expect(DICTIONARY_1.length).toBe(21018);
    expect(createHash('sha256').update(DICTIONARY_1).digest('hex')).toBe(
      '678679f1d04109681b512665b27227177c7b466131c176b134117b64a3621e43',
    );
  });

  it('reads bytes packed by this version (a stored row from before any later change to the code)', () => {
    const stored = Buffer.from(
      '01c376201fe6117cc8418a1e96a058c9cc4ecd513036d45128294f4d85a4411dc8807b4a6a6a8e421eb8c10a760f24c73c6a5aa3006a1218ea981a283c6a98a210a3940e3a46ad28333d35b52825460969596db4a18e918e716c2d00',
      'hex',
    );
    expect(unpackPayload(stored)).toBe(
      '{"month":"2027-03","amount":"258.60","legalBasis":"Participatiewet artikel 31, tweede lid, onderdeel n","note":"één € 1.401,50 — \\"gecorrigeerd\\"","values":[1,2,3]}',
    );
  });

  it('a short payload stays the text itself; from PACK_FROM_LENGTH on it is packed, tagged 1, smaller, and unpacks to the same text', () => {
    const short = JSON.stringify({ amount: '0.00', reason: 'x'.repeat(PACK_FROM_LENGTH - 30) });
    expect(short.length).toBe(PACK_FROM_LENGTH - 1);
    expect(packPayload(short)).toBe(short);
    const long = JSON.stringify({ amount: '0.00', reason: 'x'.repeat(PACK_FROM_LENGTH - 29) });
    const packed = packPayload(long);
    expect(Buffer.isBuffer(packed)).toBe(true);
    expect((packed as Buffer)[0]).toBe(CODEC_DEFLATE_DICTIONARY_1);
    expect(packed.length).toBeLessThan(long.length / 3);
    expect(unpackPayload(packed)).toBe(long);
  });

  it('every worked-example payload and a 100 KB decision round-trip exactly', () => {
    const texts = [...exampleEvents().map((e) => JSON.stringify(e.event.data)), JSON.stringify(bigDecision().data)];
    expect(texts.at(-1)!.length).toBeGreaterThan(100_000);
    for (const text of texts) expect(unpackPayload(packPayload(text))).toBe(text);
  });

  it('text that UTF-8 cannot carry (a lone surrogate) is kept as text, not packed into something else', () => {
    const text = `"${'\uD800'.repeat(PACK_FROM_LENGTH)}"`;
    expect(packPayload(text)).toBe(text);
  });

  it('an unknown codec tag or empty bytes are refused, never guessed at', () => {
    expect(() => unpackPayload(Buffer.from([2, 1, 2, 3]))).toThrow(new UnknownPayloadCodecError(2));
    expect(() => unpackPayload(Buffer.from([2]))).toThrow(
      'stored payload: unknown codec tag 2 (written by a newer version?)',
    );
    expect(() => unpackPayload(Buffer.alloc(0))).toThrow('stored payload: empty bytes, no codec tag');
  });
});
