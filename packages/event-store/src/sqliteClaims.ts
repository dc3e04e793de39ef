import type Database from 'better-sqlite3';
import { bytesOfHex, checkClaimKeys, checkClaims, hexOfBytes } from './claimRules.js';
import { ClaimTakenError, type ListClaimsOptions, type MessageClaim } from './port.js';
import { prepareClaimReads, type ClaimReads, type WriteStatements } from './sqliteSchema.js';

/**
 * The SQLite store's message claims (format 3's message_claims table). Reads answer nothing on a file
 * of an older format opened read-only (it has no claims table, and no claims).
 */
export class SqliteClaims {
  private readonly reads: ClaimReads | undefined;

  constructor(
    private readonly db: Database.Database,
    hasTable: boolean,
    private readonly writes: WriteStatements | undefined,
  ) {
    this.reads = hasTable ? prepareClaimReads(db) : undefined;
  }

  read(keys: readonly string[]): Map<string, string> {
    checkClaimKeys(keys);
    const found = new Map<string, string>();
    if (!this.reads) return found;
    for (const key of keys) {
      const hash = this.reads.readClaim.get(bytesOfHex(key));
      if (hash !== undefined) found.set(key, hexOfBytes(hash));
    }
    return found;
  }

  list(options: ListClaimsOptions): MessageClaim[] {
    if (options.afterKey !== undefined) checkClaimKeys([options.afterKey]);
    if (!this.reads || options.maxCount <= 0) return [];
    const after = options.afterKey === undefined ? Buffer.alloc(0) : bytesOfHex(options.afterKey);
    return this.reads.listClaims.all(after, Math.floor(options.maxCount)).map((row) => ({
      key: hexOfBytes(row.key),
      hash: hexOfBytes(row.hash),
      recordedAt: new Date(row.recorded_ms).toISOString(),
    }));
  }

  /**
   * Inside the caller's transaction. `strict` (appendMany): a key claimed already, in the store or
   * earlier in the batch, throws ClaimTakenError, which rolls the transaction back. Otherwise
   * (writeClaims) such a claim is skipped and the first hash stays.
   */
  insert(claims: readonly MessageClaim[], strict: boolean): void {
    const instants = checkClaims(claims);
    for (const [i, c] of claims.entries()) {
      const inserted = this.writes!.insertClaim.run(bytesOfHex(c.key), bytesOfHex(c.hash), instants[i]!);
      if (strict && inserted.changes === 0) throw new ClaimTakenError(c.key);
    }
  }
}
