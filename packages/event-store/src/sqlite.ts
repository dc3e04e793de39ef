import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppendRequest, AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, Subscription, SubscriptionOptions } from './port.js';
import { checkExpected, dedupe } from './memory.js';
import { runCatchUpSubscription } from './subscription.js';

interface Row {
  position: number;
  stream_name: string;
  stream_revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  recorded_at: string;
  recorded_ms: number;
  data: string;
  metadata: string;
}

const toRecorded = (r: Row): RecordedEvent => ({
  eventId: r.event_id,
  type: r.type,
  schemaVersion: r.schema_version,
  recordedAt: r.recorded_at,
  data: JSON.parse(r.data),
  metadata: JSON.parse(r.metadata),
  streamName: r.stream_name,
  streamRevision: r.stream_revision,
  globalPosition: r.position,
});

/**
 * The embedded default: one SQLite file (WAL), events in commit order by an autoincrement position,
 * unique (stream, revision) for optimistic concurrency and unique (stream, eventId) for idempotency.
 * better-sqlite3 is synchronous; the port is async for the networked adapters.
 */
export class SqliteEventStore implements EventStore {
  readonly name: string;
  private readonly db: Database.Database;
  private readonly stmt: Record<string, Database.Statement>;
  private readonly appendTx: (requests: AppendRequest[]) => AppendResult[];

  constructor(path: string) {
    this.name = `sqlite:${path}`;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_name TEXT NOT NULL,
        stream_revision INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_ms INTEGER NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        UNIQUE (stream_name, stream_revision),
        UNIQUE (stream_name, event_id)
      );
      CREATE TABLE IF NOT EXISTS streams (
        stream_name TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        first_position INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS streams_by_first_position ON streams (first_position);
      CREATE TABLE IF NOT EXISTS checkpoints (subscription_id TEXT PRIMARY KEY, position INTEGER NOT NULL);
    `);
    this.stmt = {
      revision: this.db.prepare('SELECT revision FROM streams WHERE stream_name = ?'),
      hasEvent: this.db.prepare('SELECT 1 FROM events WHERE stream_name = ? AND event_id = ?'),
      insert: this.db.prepare(
        'INSERT INTO events (stream_name, stream_revision, event_id, type, schema_version, recorded_at, recorded_ms, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertStream: this.db.prepare(
        'INSERT INTO streams (stream_name, revision, first_position) VALUES (?, ?, ?) ON CONFLICT(stream_name) DO UPDATE SET revision = excluded.revision',
      ),
      readStream: this.db.prepare('SELECT * FROM events WHERE stream_name = ? AND stream_revision >= ? ORDER BY stream_revision'),
      readStreamAsOf: this.db.prepare('SELECT * FROM events WHERE stream_name = ? AND stream_revision >= ? AND recorded_ms <= ? ORDER BY stream_revision'),
      readAll: this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      listStreams: this.db.prepare("SELECT stream_name FROM streams WHERE stream_name >= ? AND stream_name < ? ORDER BY first_position"),
      loadCheckpoint: this.db.prepare('SELECT position FROM checkpoints WHERE subscription_id = ?'),
      storeCheckpoint: this.db.prepare('INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?) ON CONFLICT(subscription_id) DO UPDATE SET position = excluded.position'),
    };
    this.appendTx = this.db.transaction((requests: AppendRequest[]) => requests.map((r) => this.appendOne(r.streamName, r.events, r.expectedRevision ?? 'any')));
  }

  private appendOne(streamName: string, events: NewEvent[], expected: ExpectedRevision): AppendResult {
    const current = (this.stmt.revision!.get(streamName) as { revision: number } | undefined)?.revision ?? -1;
    const fresh = dedupe(
      events,
      new Set(events.filter((e) => this.stmt.hasEvent!.get(streamName, e.eventId) !== undefined).map((e) => e.eventId)),
    );
    if (fresh.length === 0) return { nextExpectedRevision: current, lastGlobalPosition: null, appended: 0 };
    checkExpected(streamName, expected, current);
    let revision = current;
    let last = 0;
    for (const e of fresh) {
      revision++;
      const info = this.stmt.insert!.run(streamName, revision, e.eventId, e.type, e.schemaVersion, e.recordedAt, Date.parse(e.recordedAt), JSON.stringify(e.data), JSON.stringify(e.metadata ?? {}));
      last = Number(info.lastInsertRowid);
      if (revision === current + 1 && current === -1) this.stmt.upsertStream!.run(streamName, revision, last);
    }
    this.stmt.upsertStream!.run(streamName, revision, last);
    return { nextExpectedRevision: revision, lastGlobalPosition: last, appended: fresh.length };
  }

  async append(streamName: string, events: NewEvent[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    return this.appendTx([{ streamName, events, expectedRevision: options.expectedRevision ?? 'any' }])[0]!;
  }

  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    return this.appendTx(requests);
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = options.asOf
      ? (this.stmt.readStreamAsOf!.all(streamName, options.fromRevision ?? 0, Date.parse(options.asOf)) as Row[])
      : (this.stmt.readStream!.all(streamName, options.fromRevision ?? 0) as Row[]);
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return (this.stmt.readAll!.all(options.fromPosition ?? 0, options.maxCount ?? -1) as Row[]).map(toRecorded);
  }

  async listStreams(prefix: string): Promise<string[]> {
    // Range scan: every name that starts with prefix sorts in [prefix, prefix + U+FFFF).
    return (this.stmt.listStreams!.all(prefix, `${prefix}\uffff`) as Array<{ stream_name: string }>).map((r) => r.stream_name);
  }

  async loadCheckpoint(subscriptionId: string): Promise<number | null> {
    return (this.stmt.loadCheckpoint!.get(subscriptionId) as { position: number } | undefined)?.position ?? null;
  }

  async storeCheckpoint(subscriptionId: string, position: number): Promise<void> {
    this.stmt.storeCheckpoint!.run(subscriptionId, position);
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    // Other processes may append to the same file, so this adapter polls.
    return runCatchUpSubscription(this, options);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
