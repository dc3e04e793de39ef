import { ConfigurationError } from './errors.js';

/**
 * The key of the BSN pseudonyms in stream names (`member-…`, `parked-…`). A BSN has only ~10^8 values,
 * so a pseudonym protects only while its key is secret and long: with a known or short key every
 * pseudonym is reversed by trying all BSNs in minutes. There is therefore no default key:
 *
 * - `BSN_PSEUDONYM_KEY` must hold at least 32 bytes of key material, written as hex (64+ characters)
 *   or base64/base64url (44+ characters); e.g. `openssl rand -hex 32`.
 * - `BSN_PSEUDONYM_KEY=insecure-dev-key` (the CLI's `--insecure-dev-key` sets it) opts in to the
 *   public development key, for synthetic data only (the demo): its pseudonyms are not protected.
 * - Nothing else gives the development key: not NODE_ENV (tests set a key, vitest.config.ts), not a default.
 *
 * The key text itself (not its decoded bytes) keys the HMAC, so a deployment's pseudonyms stay as they were.
 */
export const INSECURE_DEV_KEY_OPT_IN = 'insecure-dev-key';
const DEVELOPMENT_KEY = 'development-only-pseudonym-key';
export const MIN_PSEUDONYM_KEY_BYTES = 32;

export class PseudonymKeyError extends ConfigurationError {
  constructor(message: string) {
    super(message);
    this.name = 'PseudonymKeyError';
  }
}

export interface PseudonymKey {
  key: string;
  /** The public development key: pseudonyms made with it can be reversed by anyone. */
  insecure: boolean;
}

/**
 * A random 32-byte key has about 30 different byte values; a key of fewer than 8 is a placeholder (all
 * zeros, a repeated pattern) that anyone can guess.
 */
const MIN_DISTINCT_KEY_BYTES = 8;

function distinctBytes(text: string): number {
  const bytes = /^[0-9a-f]+$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return new Set(bytes).size;
}

/** Bytes of key material in `text` read as hex or as base64/base64url; 0 when it is neither. */
function keyBytes(text: string): number {
  if (/^[0-9a-f]+$/i.test(text) && text.length % 2 === 0) return text.length / 2;
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) || /^[A-Za-z0-9_-]+={0,2}$/.test(text))
    return Math.floor((text.replace(/=+$/, '').length * 3) / 4);
  return 0;
}

/** The key the environment names, or a PseudonymKeyError saying what to set. Pure: reads only `env`. */
export function pseudonymKeyFromEnv(env: NodeJS.ProcessEnv = process.env): PseudonymKey {
  const value = env.BSN_PSEUDONYM_KEY;
  if (value === undefined || value === '') {
    throw new PseudonymKeyError(
      'BSN_PSEUDONYM_KEY is not set: BSN pseudonyms in stream names need a secret key of at least 32 bytes (e.g. `openssl rand -hex 32`); for synthetic data only, --insecure-dev-key (or BSN_PSEUDONYM_KEY=insecure-dev-key) uses the public development key',
    );
  }
  if (value === INSECURE_DEV_KEY_OPT_IN) return { key: DEVELOPMENT_KEY, insecure: true };
  const bytes = keyBytes(value);
  if (bytes === 0)
    throw new PseudonymKeyError(`BSN_PSEUDONYM_KEY: must be hex or base64 (${value.length} characters given, neither)`);
  if (bytes < MIN_PSEUDONYM_KEY_BYTES)
    throw new PseudonymKeyError(
      `BSN_PSEUDONYM_KEY: must hold at least ${MIN_PSEUDONYM_KEY_BYTES} bytes (64 hex or 44 base64 characters); it holds ${bytes}`,
    );
  if (distinctBytes(value) < MIN_DISTINCT_KEY_BYTES)
    throw new PseudonymKeyError(
      `BSN_PSEUDONYM_KEY: is not random (fewer than ${MIN_DISTINCT_KEY_BYTES} different byte values, e.g. all zeros); use \`openssl rand -hex 32\``,
    );
  return { key: value, insecure: false };
}

let resolved: { env: string | undefined; key: PseudonymKey } | undefined;

/** The key of this process, resolved from process.env when first needed (and again when it changes). */
export function currentPseudonymKey(): PseudonymKey {
  const env = process.env.BSN_PSEUDONYM_KEY;
  if (!resolved || resolved.env !== env) resolved = { env, key: pseudonymKeyFromEnv(process.env) };
  return resolved.key;
}
