import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import {
  bsnPseudonym,
  createLogger,
  maskBsnRuns,
  maskIban,
  memberStream,
  pseudonymKeyFromEnv,
  PseudonymKeyError,
  ConfigurationError,
} from '../src/index.js';

const HEX_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';

describe('BSN pseudonym key: none by default outside tests (issue #12, finding 5)', () => {
  it('without BSN_PSEUDONYM_KEY outside tests there is no key, only an error saying what to set', () => {
    for (const env of [{}, { NODE_ENV: 'production' }, { NODE_ENV: 'test' }, { BSN_PSEUDONYM_KEY: '' }]) {
      expect(() => pseudonymKeyFromEnv(env)).toThrow(PseudonymKeyError);
      expect(() => pseudonymKeyFromEnv(env)).toThrow(
        /^BSN_PSEUDONYM_KEY is not set: .*at least 32 bytes.*--insecure-dev-key/,
      );
    }
    expect(new PseudonymKeyError('x')).toBeInstanceOf(ConfigurationError);
  });

  it('a key shorter than 32 bytes, or neither hex nor base64, is refused with its length', () => {
    expect(() => pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: 'ab'.repeat(31) })).toThrow(
      'BSN_PSEUDONYM_KEY: must hold at least 32 bytes (64 hex or 44 base64 characters); it holds 31',
    );
    expect(() => pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: 'secret' })).toThrow('it holds 4');
    const spaced = 'my secret key with spaces and so on, long enough?';
    expect(() => pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: spaced })).toThrow(
      `BSN_PSEUDONYM_KEY: must be hex or base64 (${spaced.length} characters given, neither)`,
    );
  });

  it('accepts 32 bytes as hex or base64; the development key only by the explicit opt-in, never by NODE_ENV', () => {
    expect(pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: HEX_KEY })).toEqual({ key: HEX_KEY, insecure: false });
    const b64 = Buffer.from(HEX_KEY, 'hex').toString('base64');
    expect(pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: b64 })).toEqual({ key: b64, insecure: false });
    const dev = pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: 'insecure-dev-key' });
    expect(dev.insecure).toBe(true);
    expect(() => pseudonymKeyFromEnv({ NODE_ENV: 'test' })).toThrow(PseudonymKeyError);
    expect(pseudonymKeyFromEnv({ NODE_ENV: 'test', BSN_PSEUDONYM_KEY: HEX_KEY })).toEqual({
      key: HEX_KEY,
      insecure: false,
    });
  });

  it('a placeholder key (all zeros, a repeated byte) is refused however long (issue #21)', () => {
    for (const key of ['0'.repeat(64), 'a1'.repeat(32), Buffer.alloc(32, 7).toString('base64'), '0123'.repeat(32)])
      expect(() => pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: key })).toThrow(
        'BSN_PSEUDONYM_KEY: is not random (fewer than 8 different byte values, e.g. all zeros)',
      );
  });

  it('a pseudonym under a deployment key is not the one under the public development key (the brute force needs the key)', () => {
    const bsn = '111222333';
    const dev = bsnPseudonym(bsn, pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: 'insecure-dev-key' }).key);
    // vitest.config.ts sets the tests' own key: the development key is not the default under tests.
    expect(memberStream(bsn)).toBe(`member-${bsnPseudonym(bsn, process.env.BSN_PSEUDONYM_KEY!)}`);
    expect(memberStream(bsn)).not.toBe(`member-${dev}`);
    expect(bsnPseudonym(bsn, HEX_KEY)).not.toBe(dev);
    expect(bsnPseudonym(bsn, HEX_KEY)).toMatch(/^[0-9a-f]{20}$/);
  });
});

describe('maskBsnRuns: every BSN-like run in free text', () => {
  it.each([
    ['householdId: H-123456782 is not this household (H-1)', 'householdId: H-*****6782 is not this household (H-1)'],
    ['members.111222333: Unrecognized key', 'members.*****2333: Unrecognized key'],
    ['abc123456782def', 'abc*****6782def'],
    ['1234.56.782 and 123 456 782 and 123-456-782', '*****6782 and *****6782 and *****6782'],
    ['１２３４５６７８２', '*****６７８２'],
    ['H-123456782.5', 'H-*****6782.5'],
  ])('%s', (text, masked) => expect(maskBsnRuns(text)).toBe(masked));

  it.each(['1234567890', '12345678', '2027-03-01T09:00:00Z', '€ 1.234.567,89', 'engine-2+rules-0a1b2c3d4e5f'])(
    'leaves %s',
    (text) => expect(maskBsnRuns(text)).toBe(text),
  );
});

describe('IBANs are masked wherever BSNs are (maskBsnRuns masks both)', () => {
  it.each([
    ['NL91ABNA0417164300', 'NL** **** **** **43 00'],
    ['rekening NL91 ABNA 0417 1643 00 van A.', 'rekening NL** **** **** **43 00 van A.'],
    ['iban: "DE89370400440532013000",', 'iban: "DE** **** **** **** **30 00",'],
    ['<IBAN>NL20INGB0001234567</IBAN>', '<IBAN>NL** **** **** **45 67</IBAN>'],
  ])('%s', (text, masked) => expect(maskBsnRuns(text)).toBe(masked));

  it('shows the country and the last four characters only, in groups of four', () => {
    expect(maskIban('NL91ABNA0417164300')).toBe('NL** **** **** **43 00');
  });

  it.each(['B-202705-A1-31983c55065ac7b5', 'BIJ-GM0106-2027-05-25', 'GM0106', 'engine-2+rules-0a1b2c3d4e5f', 'NL12AB'])(
    'leaves %s',
    (text) => expect(maskBsnRuns(text)).toBe(text),
  );
});

describe('the logger masks BSN-like runs everywhere, errors included', () => {
  it("in fields, messages, format arguments, and an error's message and stack", () => {
    const lines: string[] = [];
    const logger = createLogger('t', {
      destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) as never,
    });
    logger.error({ err: new Error('household H-123456782 failed') }, 'x');
    logger.error(new Error('household H-223456782 failed'));
    logger.warn({ householdId: 'H-323456782', ids: ['423456782'] }, 'household %s', 'H-523456782');
    const text = lines.join('');
    expect(text).not.toMatch(/[1-5]23456782/);
    const [first, second, third] = lines.map((l) => JSON.parse(l));
    expect(first.err.message).toBe('household H-*****6782 failed');
    expect(first.err.stack).toMatch(/^Error: household H-\*{5}6782 failed\n/);
    expect(second.msg).toBe('household H-*****6782 failed');
    expect(third).toMatchObject({ householdId: 'H-*****6782', ids: ['*****6782'], msg: 'household H-*****6782' });
  });
});
