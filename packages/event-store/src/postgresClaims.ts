import type pg from 'pg';
import { bytesOfHex, checkClaimKeys, checkClaims, hexOfBytes } from './claimRules.js';
import type { ListClaimsOptions, MessageClaim } from './port.js';
import { SQL } from './postgresSchema.js';

/**
 * The PostgreSQL store's message claims (migration 4's message_claims table): the statements' parameters
 * and rows. The store runs them on the connection it would use for any read or write.
 */

/** Runs one statement: on the current connection (the group's, if one is open) or on any pooled one. */
export type Run = <R extends pg.QueryResultRow>(text: string, values: unknown[]) => Promise<pg.QueryResult<R>>;

/** One query for all the keys. */
export async function readClaimsWith(run: Run, keys: readonly string[]): Promise<Map<string, string>> {
  checkClaimKeys(keys);
  const found = new Map<string, string>();
  if (keys.length === 0) return found;
  const { rows } = await run<{ key: Buffer; hash: Buffer }>(SQL.readClaims, [keys.map(bytesOfHex)]);
  for (const row of rows) found.set(hexOfBytes(row.key), hexOfBytes(row.hash));
  return found;
}

export async function listClaimsWith(run: Run, options: ListClaimsOptions): Promise<MessageClaim[]> {
  if (options.afterKey !== undefined) checkClaimKeys([options.afterKey]);
  if (options.maxCount <= 0) return [];
  const after = options.afterKey === undefined ? Buffer.alloc(0) : bytesOfHex(options.afterKey);
  const { rows } = await run<{ key: Buffer; hash: Buffer; recorded_ms: string }>(SQL.listClaims, [
    after,
    Math.floor(options.maxCount),
  ]);
  return rows.map((r) => ({
    key: hexOfBytes(r.key),
    hash: hexOfBytes(r.hash),
    recordedAt: new Date(Number(r.recorded_ms)).toISOString(),
  }));
}

/** insertClaims' parameters (checked first: a bad claim sends nothing). */
export function claimColumnsOf(claims: readonly MessageClaim[]): unknown[] {
  const instants = checkClaims(claims);
  return [claims.map((c) => bytesOfHex(c.key)), claims.map((c) => bytesOfHex(c.hash)), instants];
}

/** The first claim of the batch whose key insertClaims did not return: claimed already, or twice in the batch. */
export function firstNotInserted(claims: readonly MessageClaim[], inserted: readonly { key: Buffer }[]): string {
  const keys = new Set(inserted.map((r) => hexOfBytes(r.key)));
  const seen = new Set<string>();
  for (const c of claims) {
    if (!keys.has(c.key) || seen.has(c.key)) return c.key;
    seen.add(c.key);
  }
  return claims[0]!.key;
}
