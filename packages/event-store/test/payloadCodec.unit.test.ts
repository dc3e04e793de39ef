import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CODEC_DEFLATE_DECISIONS_3,
  CODEC_DEFLATE_DICTIONARY_1,
  CODEC_DEFLATE_SMALL_2,
  DICTIONARY_1,
  DICTIONARY_2,
  DICTIONARY_3,
  LARGE_FROM_LENGTH,
  PACK_FROM_LENGTH,
  packPayload,
  SMALL_PACK_FROM_LENGTH,
  unpackPayload,
  UnknownPayloadCodecError,
} from '../src/payloadCodec.js';
import { bigDecision, exampleEvents } from './payloads.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const tagOf = (stored: string | Buffer) => (typeof stored === 'string' ? 'text' : stored[0]);

/** Codec 1 as before codecs 2 and 3 (the off switch): what every store holds from before them. */
const withCodec1Only = <T>(f: () => T): T => {
  vi.stubEnv('PAYLOAD_CODEC', '1');
  try {
    return f();
  } finally {
    vi.unstubAllEnvs();
  }
};

/** A decision-like text above LARGE_FROM_LENGTH with non-ASCII text, as in the frozen codec 3 row below. */
const largeText = () =>
  JSON.stringify({
    month: '2027-03',
    runDate: '2027-04-01',
    note: 'één € 1.401,50 — "gecorrigeerd"',
    explanation: {
      steps: Array.from({ length: 12 }, (_, i) => ({
        rule: 'normOfMonth',
        legalRef: { law: 'Participatiewet', bwbId: 'BWBR0015703', article: '21', label: 'bijstandsnorm' },
        inputs: { month: `2027-${String(i + 1).padStart(2, '0')}` },
        result: { norm: '1419.46' },
      })),
    },
  });

describe('payload codec', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('dictionaries 1, 2 and 3 are frozen: their bytes are the ones every packed row was written with', () => {
    expect(DICTIONARY_1.length).toBe(21018);
    expect(sha256(DICTIONARY_1)).toBe('678679f1d04109681b512665b27227177c7b466131c176b134117b64a3621e43');
    expect(DICTIONARY_2.length).toBe(2036);
    expect(sha256(DICTIONARY_2)).toBe('338b39d49767f3810cee72463f768588417e3c53a7e9c1d3f157d06fb1ae8c5a');
    expect(DICTIONARY_3.length).toBe(25667);
    expect(sha256(DICTIONARY_3)).toBe('14938cb255222b94699f5c4a1360f7ce64616e9bb183994317f7777eee6e8132');
  });

  it('reads rows packed with codec 2 and codec 3 by this version', () => {
    const small = Buffer.from(
      '02432fa3ccc8ad2b750d4df5ccc0e92c1f1ce787571e5e99a7f0a8698d82a19e8981a18ea981c2a386290a314ae920771665a6a7a616a5c42829d50200',
      'hex',
    );
    expect(unpackPayload(small)).toBe(
      '{"month":"2027-06","year":"2027","reason":"no-claim-offset","shortfall":"-15.61","note":"één € 1.401,50 — \\"gecorrigeerd\\""}',
    );
    const large = Buffer.from(
      '03c336ca81be09c6041213a0dd4f4a564a87571e5e99a7f0a8698d02a8ea36d431355078d430452146293d3539bfa828333d35b528254669a89c456b8eb11e18ed4cd3c138166534e45c6c3ce45c6c32e45c6c3ae45c6c36e45c6c3ee45c6c31e45c6c39d45c6c6830e45c3ce4ea3c4342751eb0310300',
      'hex',
    );
    expect(unpackPayload(large)).toBe(largeText());
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

  it('short payloads stay text; from SMALL_PACK_FROM_LENGTH on codec 2 packs, from LARGE_FROM_LENGTH codec 3', () => {
    const text = (length: number) => {
      const t = JSON.stringify({ amount: '0.00', reason: 'x'.repeat(length - 29) });
      expect(t.length).toBe(length);
      return t;
    };
    expect(packPayload(text(SMALL_PACK_FROM_LENGTH - 1))).toBe(text(SMALL_PACK_FROM_LENGTH - 1));
    for (const [length, tag] of [
      [SMALL_PACK_FROM_LENGTH, CODEC_DEFLATE_SMALL_2],
      [LARGE_FROM_LENGTH - 1, CODEC_DEFLATE_SMALL_2],
      [LARGE_FROM_LENGTH, CODEC_DEFLATE_DECISIONS_3],
    ] as const) {
      const packed = packPayload(text(length));
      expect(tagOf(packed)).toBe(tag);
      expect(packed.length).toBeLessThan(length / 2);
      expect(unpackPayload(packed)).toBe(text(length));
    }
  });

  it("a night's short outcome packs to a few bytes; a message-id claim (a hash in hex) stays text", () => {
    const notDrawn = '{"month":"2027-06","year":"2027","reason":"no-claim-offset","shortfall":"-15.61"}';
    const packed = packPayload(notDrawn);
    expect(tagOf(packed)).toBe(CODEC_DEFLATE_SMALL_2);
    expect(packed.length).toBe(17);
    expect(unpackPayload(packed)).toBe(notDrawn);
    const claim = `{"hash":"${'46563a45f1d216616c6fc3da9a723df6af837c21d763bd9e64ed8b29ef5aa136'}"}`;
    expect(packPayload(claim)).toBe(claim);
  });

  it('PAYLOAD_CODEC=1 (the off switch) packs with codec 1 from PACK_FROM_LENGTH on, as before; both read back', () => {
    const short = JSON.stringify({ amount: '0.00', reason: 'x'.repeat(PACK_FROM_LENGTH - 30) });
    expect(short.length).toBe(PACK_FROM_LENGTH - 1);
    expect(withCodec1Only(() => packPayload(short))).toBe(short);
    const long = JSON.stringify({ amount: '0.00', reason: 'x'.repeat(PACK_FROM_LENGTH - 29) });
    const old = withCodec1Only(() => packPayload(long));
    expect(tagOf(old)).toBe(CODEC_DEFLATE_DICTIONARY_1);
    expect(old.length).toBeLessThan(long.length / 3);
    const now = packPayload(long);
    expect(tagOf(now)).toBe(CODEC_DEFLATE_SMALL_2);
    expect(unpackPayload(old)).toBe(long);
    expect(unpackPayload(now)).toBe(long);
  });

  it('every worked-example payload and a 100 KB decision round-trip exactly', () => {
    const texts = [...exampleEvents().map((e) => JSON.stringify(e.event.data)), JSON.stringify(bigDecision().data)];
    expect(texts.at(-1)!.length).toBeGreaterThan(100_000);
    const tags = new Set<number | string | undefined>();
    for (const text of texts) {
      const packed = packPayload(text);
      tags.add(tagOf(packed));
      expect(unpackPayload(packed)).toBe(text);
      expect(unpackPayload(withCodec1Only(() => packPayload(text)))).toBe(text);
    }
    expect([...tags].sort()).toEqual([CODEC_DEFLATE_SMALL_2, CODEC_DEFLATE_DECISIONS_3]);
  });

  it('text that UTF-8 cannot carry (a lone surrogate) is kept as text, not packed into something else', () => {
    for (const length of [SMALL_PACK_FROM_LENGTH, LARGE_FROM_LENGTH]) {
      const text = `"${'\uD800'.repeat(length)}"`;
      expect(packPayload(text)).toBe(text);
      // (JSON.stringify would escape it; a payload text given to the store need not come from it.)
      const oneLone = `{"reason":"${'x'.repeat(length)}\uDC00 ${'y'.repeat(length)}"}`;
      expect(packPayload(oneLone)).toBe(oneLone);
      // A surrogate pair (here 😀) is well-formed: packed, and read back exactly.
      const paired = JSON.stringify({ reason: `${'x'.repeat(length)}\uD83D\uDE00 ${'y'.repeat(length)}` });
      const packed = packPayload(paired);
      expect(Buffer.isBuffer(packed)).toBe(true);
      expect(unpackPayload(packed)).toBe(paired);
    }
  });

  it('an unknown codec tag or empty bytes are refused, never guessed at', () => {
    expect(() => unpackPayload(Buffer.from([4, 1, 2, 3]))).toThrow(new UnknownPayloadCodecError(4));
    expect(() => unpackPayload(Buffer.from([0]))).toThrow(
      'stored payload: unknown codec tag 0 (written by a newer version?)',
    );
    expect(() => unpackPayload(Buffer.alloc(0))).toThrow('stored payload: empty bytes, no codec tag');
  });
});
