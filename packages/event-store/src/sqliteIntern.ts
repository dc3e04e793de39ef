import type { Statement } from 'better-sqlite3';

/** Beyond this many texts the cache starts over: metadata that is unique per event must not grow it without end. */
const MAX_CACHED = 4096;

/**
 * The id of a text in an interning table (event_types, event_metadata), inserting it when new. Ids
 * are cached per connection: a committed row is never changed nor deleted, so its id stays right.
 * An id inserted by a transaction that is then rolled back is gone, though: whoever rolls back calls
 * forget().
 */
export class InternedTexts {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly find: Statement<[string], number>,
    private readonly insert: Statement<[string]>,
  ) {}

  /** Inside a write transaction (the lookup and the insert must not be split by another writer). */
  idOf(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.find.get(text) ?? Number(this.insert.run(text).lastInsertRowid);
      if (this.ids.size >= MAX_CACHED) this.ids.clear();
      this.ids.set(text, id);
    }
    return id;
  }

  forget(): void {
    this.ids.clear();
  }
}
