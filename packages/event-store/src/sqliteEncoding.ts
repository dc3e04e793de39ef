/**
 * The value encodings of SQLite format 2 (sqliteSchema.ts): what is stored instead of a value that
 * can be rebuilt, and how it is rebuilt. Each is exact: decoding gives back the very text appended.
 * They are part of the file format: changing one means a new format and a migration.
 */

/**
 * The recordedAt that is not stored because it can be rebuilt from recorded_ms: the ISO form of the
 * instant, in whole seconds when it has no milliseconds (`2027-01-01T02:00:00Z`, what every writer in
 * this repository gives), else with them (`2027-01-01T02:00:00.250Z`).
 */
export function canonicalRecordedAt(recordedMs: number): string {
  // Events come in runs of one instant (all events of a night share it): the last one is kept.
  if (recordedMs !== lastMs) {
    const iso = new Date(recordedMs).toISOString();
    lastText = iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
    lastMs = recordedMs;
  }
  return lastText;
}
let lastMs = Number.NaN;
let lastText = '';

/** What to store for recordedAt: null when it is the canonical form of its instant, else the text as given. */
export function storedRecordedAt(recordedAt: string, recordedMs: number): string | null {
  return recordedAt === canonicalRecordedAt(recordedMs) ? null : recordedAt;
}

/** The recordedAt appended, from what was stored. */
export function recordedAtOf(stored: string | null, recordedMs: number): string {
  return stored ?? canonicalRecordedAt(recordedMs);
}

/** The metadata of an event with none (or an empty object) is not interned: it is stored as NULL. */
export const EMPTY_METADATA = '{}';

/**
 * The idempotency key of an event id: a 47-bit hash of its UTF-16 code units (cyrb53, cut to 47 bits
 * so that SQLite stores it in 6 bytes, and a JS number holds it exactly without BigInt).
 *
 * Not unique: two ids may share a key, so a lookup by (stream_id, event_key) compares the event_id
 * text of the rows it finds. With 10,000 events in one stream, the chance that any two of its ids
 * share a key is about 4e-7, so the comparison almost never looks at a second row.
 */
export function eventKeyOf(eventId: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < eventId.length; i++) {
    const unit = eventId.charCodeAt(i);
    h1 = Math.imul(h1 ^ unit, 2654435761);
    h2 = Math.imul(h2 ^ unit, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 & 0x7fff) * 0x1_0000_0000 + (h1 >>> 0);
}
