import { randomBytes } from 'node:crypto';

/** A what-if as it was computed, kept for its PDF: in memory only, never in the store. */
export interface WhatIfDraft {
  user: string;
  householdId: string;
  asOfDate: string;
  text: string;
}

/**
 * The what-ifs a page shows, for the "Download als PDF" button on that page. The NDJSON cannot travel in the page:
 * every page passes maskBsnRuns, which would mask the members' BSNs in it. So the page carries a random key; the
 * text stays here (at most `max` drafts, each for `ttlMs`), for the user who made it.
 */
export class WhatIfDrafts {
  private readonly drafts = new Map<string, WhatIfDraft & { until: number }>();

  constructor(
    private readonly clock: () => number,
    private readonly max = 100,
    private readonly ttlMs = 30 * 60_000,
  ) {}

  keep(draft: WhatIfDraft): string {
    const now = this.clock();
    for (const [k, d] of this.drafts) if (d.until <= now) this.drafts.delete(k);
    // The oldest goes first when full (a Map iterates in insertion order).
    while (this.drafts.size >= this.max) this.drafts.delete(this.drafts.keys().next().value!);
    const key = randomBytes(18).toString('base64url');
    this.drafts.set(key, { ...draft, until: now + this.ttlMs });
    return key;
  }

  /** The draft under `key` when `user` made it for this household and it has not expired. */
  find(key: string, user: string, householdId: string): WhatIfDraft | undefined {
    const d = this.drafts.get(key);
    if (!d || d.until <= this.clock() || d.user !== user || d.householdId !== householdId) return undefined;
    return d;
  }
}
