import { createRequire } from 'node:module';
import type pg from 'pg';
import { instantOf, planAppends } from './appendRules.js';
import {
  ClaimTakenError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ListClaimsOptions,
  type MessageClaim,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type RecordedEventText,
  type StreamRead,
  type StateSnapshot,
  type Subscription,
  type SubscriptionOptions,
} from './port.js';
import { claimColumnsOf, firstNotInserted, listClaimsWith, readClaimsWith, type Run } from './postgresClaims.js';
import {
  AppendState,
  headersOf,
  latestPerStream,
  layOut,
  toColumns,
  toRecordedEvent,
  toRecordedEventText,
  toSnapshot,
} from './postgresRows.js';
import {
  COMMIT_ORDER_LOCK,
  LOCK_NAMESPACE,
  likePrefix,
  MIGRATIONS,
  MIGRATIONS_LOCK,
  SQL,
  type AppendStateRow,
  type EventRow,
  type SnapshotRow,
} from './postgresSchema.js';
import { runCatchUpSubscription, stopAll, trackUntilStopped } from './subscription.js';
import { EventStoreNotFoundError } from './sqliteErrors.js';
import { locationOf, ServiceUnavailableError } from './unavailable.js';

/**
 * How long a new connection may take, handshake included, and how long a query may wait for a pooled
 * one: a server that is down, firewalled or hung is an error within seconds, not a night that waits forever.
 * The default; EVENTSTORE_CONNECT_TIMEOUT_MS sets another (eventStoreConfigFromEnv passes it as connectTimeoutMs).
 */
const CONNECT_TIMEOUT_MS = 15_000;

/** node-pg, loaded by the first PostgreSQL store (CommonJS, one instance): a process on SQLite never loads it. */
let pgModule: typeof pg | undefined;
const loadPg = (): typeof pg => (pgModule ??= createRequire(import.meta.url)('pg') as typeof pg);

/**
 * The adapter's statements by name, so that each connection parses and plans one once (node-pg
 * prepares a named statement per connection): planning a join costs more than running it for one
 * household. listStreams stays unnamed: a generic plan cannot use the index for LIKE $1. So do the
 * reads of many streams, snapshots or claims at once (an array parameter): a generic plan made while
 * the tables were small (a new store, a connection opened early in a bulk ingest) stays in use as they
 * grow. Measured 2026-12-07 on 3,000 households' case events: 0.73 ms a readStreams of 3 streams with
 * the plan cached while the store was empty, 0.42 ms planned on the full tables, 0.45 ms unnamed.
 */
const PREPARED = new Map<string, string>(
  (
    [
      'appendState',
      'insertEvents',
      'readStream',
      'readAll',
      'readSnapshot',
      'writeSnapshots',
      'loadCheckpoint',
      'storeCheckpoint',
      'insertClaims',
    ] as const
  ).map((key) => [SQL[key], `eventstore_${key}`]),
);
const statement = (text: string, values: unknown[]): pg.QueryConfig => {
  const name = PREPARED.get(text);
  return name ? { name, text, values } : { text, values };
};

export interface PostgresEventStoreOptions {
  /** `postgres://user:password@host:port/database` (or `postgresql://…`). */
  connectionString: string;
  /** Connections kept by this store (default 10). */
  poolSize?: number;
  /**
   * `create` (default): a database without the store's tables gets them (ingest, the worker, the demo,
   * store copy). `existing`, `read-only`: such a database is an error (EventStoreNotFoundError), never
   * a new empty store in whatever database the URL names.
   */
  mode?: 'create' | 'existing' | 'read-only';
  /** A new connection's time limit, handshake included (default 15 s). */
  connectTimeoutMs?: number;
}

/** The open groupCommits transaction: one connection, its statements one after another. */
interface Group {
  depth: number;
  client: Promise<pg.PoolClient>;
  /** The tail of the group's statements: each waits for the one before it. */
  queue: Promise<unknown>;
  holdsCommitOrderLock: boolean;
  appended: boolean;
}

const TAKE_COMMIT_ORDER_LOCK = `SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${COMMIT_ORDER_LOCK})`;

/** Where the store is, without user or password (the store's name ends up in logs). */
function describeLocation(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `postgres:${url.host}${url.pathname}`;
  } catch {
    return 'postgres';
  }
}

/** A store's database holds its migrations table; one without it holds no store. */
async function mustHoldStore(pool: pg.Pool, name: string): Promise<void> {
  const { rows } = await pool.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (!rows[0]?.present)
    throw new EventStoreNotFoundError(
      name,
      'the database has no event store tables; only ingest, worker, demo and store copy create them',
    );
}

/** The network or a timeout, not the server's answer: nothing reached PostgreSQL or nothing came back. */
function isConnectionFailure(err: unknown): boolean {
  if (err instanceof loadPg().DatabaseError || !(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && /^E[A-Z_]+$/.test(code)) return true; // ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ECONNRESET, …
  return /timeout|terminated|Connection/i.test(err.message);
}

/** Applies the migrations not yet applied, one migrator at a time (others wait on the lock, then find nothing to do). */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${MIGRATIONS_LOCK})`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = await client.query<{ version: number }>(
      'SELECT coalesce(max(version), 0) AS version FROM schema_migrations',
    );
    for (let version = applied.rows[0]!.version + 1; version <= MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

async function readAllWith(run: Run, options: ReadAllOptions): Promise<RecordedEvent[]> {
  const fromPosition = Math.max(0, Math.floor(options.fromPosition ?? 0));
  const maxCount = options.maxCount !== undefined ? Math.max(0, Math.floor(options.maxCount)) : null;
  const { rows } = await run<EventRow>(SQL.readAll, [fromPosition, maxCount]);
  return rows.map(toRecordedEvent);
}

async function loadCheckpointWith(run: Run, subscriptionId: string): Promise<number | null> {
  const { rows } = await run<{ position: string }>(SQL.loadCheckpoint, [subscriptionId]);
  return rows[0] ? Number(rows[0].position) : null;
}

/**
 * PostgreSQL adapter on node-postgres, for several worker processes on several machines sharing one
 * store.
 *
 * Global order: every appending transaction takes one transaction-level advisory lock before it reads
 * the streams' revisions and holds it until it commits, and assigns positions after the highest
 * committed one. Appends therefore commit one after another in position order, and PostgreSQL makes
 * a commit visible before it releases the transaction's locks: a reader that sees a position has
 * already been able to see every lower one, so a catch-up subscription never skips an event that
 * commits late. Revision checks and duplicate lookups happen under the same lock, so they need no
 * retry loop. The price, one appender at a time, is what SQLite pays too; groupCommits amortizes it.
 */
export class PostgresEventStore implements EventStore {
  readonly name: string;
  readonly reads = 'network' as const;
  private readonly pool: pg.Pool;
  private group: Group | null = null;
  private readonly appendListeners = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private closing: Promise<void> | undefined;

  /** Connects and migrates the schema (idempotent; concurrent openers wait for one another). */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      if ((options.mode ?? 'create') !== 'create') await mustHoldStore(store.pool, store.name);
      await migrate(store.pool);
    } catch (err) {
      await store.pool.end();
      // An error of the server (SQLSTATE: a password, a permission) says what it is; the network or a
      // timeout names the service and where, never the password.
      if (!isConnectionFailure(err)) throw err;
      throw new ServiceUnavailableError(
        'PostgreSQL',
        locationOf(options.connectionString),
        (err as Error).message || String(err),
      );
    }
    return store;
  }

  private constructor(options: PostgresEventStoreOptions) {
    this.name = describeLocation(options.connectionString);
    this.pool = new (loadPg().Pool)({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      // A peer that vanished mid-query (no FIN) is found by TCP keepalive, not by waiting forever.
      keepAlive: true,
    });
    // An idle connection that breaks (server restart) is dropped by the pool; without a listener
    // the error would end the process. The next query opens a new connection.
    this.pool.on('error', () => {});
  }

  async append(
    streamName: string,
    events: NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([
      { streamName, events, expectedRevision: options.expectedRevision ?? 'any' },
    ]);
    return result!;
  }

  /** All requests and claims in one transaction: all or nothing. */
  async appendMany(requests: AppendRequest[], claims: readonly MessageClaim[] = []): Promise<AppendResult[]> {
    const claimColumns = claimColumnsOf(claims);
    return this.inAppendTransaction(async (client) => {
      if (claims.length > 0) {
        const { rows } = await client.query<{ key: Buffer }>(statement(SQL.insertClaims, claimColumns));
        if (rows.length < claims.length) throw new ClaimTakenError(firstNotInserted(claims, rows));
      }
      const state = await this.appendState(client, requests);
      const plans = planAppends(requests, (streamName) => ({
        revision: state.revisionOf(streamName),
        hasEventId: (id) => state.holds(streamName, id),
      }));
      const { columns: c, streams, newHeaders: h, results } = layOut(plans, state);
      if (c.positions.length > 0) {
        await client.query(
          statement(SQL.insertEvents, [
            c.positions,
            c.recordedMs,
            c.streamIds,
            c.revisions,
            c.headerIds,
            c.eventIds,
            c.recordedAts,
            c.data,
            c.dataPacked,
            h.ids,
            h.types,
            h.schemaVersions,
            h.metadata,
            [...streams.values()].map((s) => s.id),
            [...streams.keys()],
            [...streams.values()].map((s) => s.revision),
          ]),
        );
      }
      return results;
    });
  }

  private async appendState(client: pg.PoolClient, requests: AppendRequest[]): Promise<AppendState> {
    const names = [...new Set(requests.map((r) => r.streamName))];
    const pairs = requests.flatMap((r) => r.events.map((e) => [r.streamName, e.eventId] as const));
    const headers = headersOf(requests);
    const { rows } = await client.query<AppendStateRow>(
      statement(SQL.appendState, [
        names,
        pairs.map(([stream]) => stream),
        pairs.map(([, id]) => id),
        headers.types,
        headers.schemaVersions,
        headers.metadata,
      ]),
    );
    return new AppendState(rows[0]!);
  }

  /**
   * Runs `work` in a transaction holding the commit-order lock: its own (BEGIN … COMMIT), or, inside
   * groupCommits, a savepoint of the group's. Subscriptions are woken once what was appended is committed.
   */
  private async inAppendTransaction(work: (client: pg.PoolClient) => Promise<AppendResult[]>): Promise<AppendResult[]> {
    const appendedAny = (results: AppendResult[]) => results.some((r) => r.appended > 0);
    const group = this.group;
    if (group) {
      return this.inGroupSavepoint(
        group,
        async (client) => {
          const results = await work(client);
          if (appendedAny(results)) group.appended = true;
          return results;
        },
        { takeCommitOrderLock: true },
      );
    }
    const client = await this.pool.connect();
    let broken: Error | undefined;
    let results: AppendResult[];
    try {
      await client.query(`BEGIN; ${TAKE_COMMIT_ORDER_LOCK}`);
      results = await work(client);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
      throw err;
    } finally {
      client.release(broken); // a connection that cannot roll back is not given to the next caller
    }
    if (appendedAny(results)) this.notifyAppended();
    return results;
  }

  /** Queues `work` on the group's connection, after every statement queued before it. */
  private inGroup<T>(group: Group, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const run = group.queue.then(async () => work(await group.client));
    group.queue = run.catch(() => {});
    return run;
  }

  /**
   * The same in a savepoint: a write that fails inside a group rolls back to it, leaves the group's
   * transaction usable and so keeps what the group wrote before, as it would be kept without the group.
   */
  private inGroupSavepoint<T>(
    group: Group,
    work: (client: pg.PoolClient) => Promise<T>,
    options: { takeCommitOrderLock?: boolean } = {},
  ): Promise<T> {
    return this.inGroup(group, async (client) => {
      // The commit-order lock (once per group) is taken before the savepoint, in the same round trip:
      // taken inside it, a write rolled back to it would release the lock with it.
      const takeLock = options.takeCommitOrderLock === true && !group.holdsCommitOrderLock;
      await client.query(takeLock ? `${TAKE_COMMIT_ORDER_LOCK}; SAVEPOINT write` : 'SAVEPOINT write');
      if (takeLock) group.holdsCommitOrderLock = true;
      try {
        const result = await work(client);
        // Released at once: reads while a write's subtransaction stays open were measured 3× slower.
        await client.query('RELEASE SAVEPOINT write');
        return result;
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT write');
        throw err;
      }
    });
  }

  /** A single-statement write: in a savepoint of the open group, else on any pooled connection. */
  private write(text: string, values: unknown[]): Promise<unknown> {
    const group = this.group;
    return group
      ? this.inGroupSavepoint(group, (client) => client.query(statement(text, values)))
      : this.pool.query(statement(text, values));
  }

  /**
   * A read: on the group's connection while a group is open (it sees the group's writes), else on any
   * pooled one. Reads take no savepoint; their parameters are made valid before they are sent, so that
   * only a broken connection, which ends the group anyway, can make one fail.
   */
  private query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const group = this.group;
    return group
      ? this.inGroup(group, (client) => client.query<R>(statement(text, values)))
      : this.pool.query<R>(statement(text, values));
  }

  private readonly onCurrent: Run = (text, values) => this.query(text, values);
  private readonly onPool: Run = (text, values) => this.pool.query(statement(text, values));

  private notifyAppended(): void {
    for (const listener of this.appendListeners) listener();
  }

  /**
   * One transaction for everything this store does while `work` runs: another connection sees none
   * of it until the last of the nested or overlapping calls ends and commits. Holds the commit-order
   * lock from the first append on, so other writers wait meanwhile. What was appended before an
   * error inside `work` is committed all the same (each append is a savepoint), as it would be
   * without the group.
   */
  async groupCommits<T>(work: () => Promise<T>): Promise<T> {
    const group = (this.group ??= this.openGroup());
    group.depth++;
    try {
      await group.client;
      return await work();
    } finally {
      if (--group.depth === 0) {
        this.group = null;
        await this.commitGroup(group);
      }
    }
  }

  private openGroup(): Group {
    const client = (async () => {
      const connection = await this.pool.connect();
      try {
        await connection.query('BEGIN');
        return connection;
      } catch (err) {
        connection.release(err instanceof Error ? err : true);
        throw err;
      }
    })();
    client.catch(() => {}); // reported to every groupCommits caller that awaits it
    return { depth: 0, client, queue: Promise.resolve(), holdsCommitOrderLock: false, appended: false };
  }

  private async commitGroup(group: Group): Promise<void> {
    let connection: pg.PoolClient;
    try {
      connection = await group.client;
    } catch {
      return; // never began: nothing to commit, and the callers were told why
    }
    try {
      const committed = await this.inGroup(group, (client) => client.query('COMMIT'));
      // A statement that failed outside a savepoint aborted the transaction; COMMIT then rolls back.
      if (committed.command !== 'COMMIT') throw new Error('groupCommits: the transaction was aborted and rolled back');
      connection.release();
    } catch (err) {
      connection.release(err instanceof Error ? err : true);
      throw err;
    }
    if (group.appended) this.notifyAppended();
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return (await this.rowsOfStream(streamName, options)).map(toRecordedEvent);
  }

  /** One query for all the streams (a statement per stream would be a round trip each). */
  async readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]> {
    const out: RecordedEvent[][] = reads.map(() => []);
    if (reads.length === 0) return out;
    const { rows } = await this.query<EventRow & { i: string }>(SQL.readStreams, [
      reads.map((r) => r.streamName),
      reads.map((r) => Math.max(0, Math.trunc(r.fromRevision ?? 0))),
    ]);
    for (const row of rows) out[Number(row.i) - 1]!.push(toRecordedEvent(row));
    return out;
  }

  async readStreamText(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEventText[]> {
    return (await this.rowsOfStream(streamName, options)).map(toRecordedEventText);
  }

  private async rowsOfStream(streamName: string, options: ReadStreamOptions): Promise<EventRow[]> {
    const asOfMs = options.asOf !== undefined ? instantOf(options.asOf, 'asOf') : null;
    const { rows } = await this.query<EventRow>(SQL.readStream, [
      streamName,
      Math.max(0, Math.trunc(options.fromRevision ?? 0)),
      asOfMs,
    ]);
    return rows;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return readAllWith(this.onCurrent, options);
  }

  async listStreams(prefix: string): Promise<string[]> {
    const { rows } = await this.query<{ stream_name: string }>(SQL.listStreams, [likePrefix(prefix)]);
    return rows.map((r) => r.stream_name);
  }

  async loadCheckpoint(subscriptionId: string): Promise<number | null> {
    return loadCheckpointWith(this.onCurrent, subscriptionId);
  }

  async storeCheckpoint(subscriptionId: string, position: number): Promise<void> {
    await this.write(SQL.storeCheckpoint, [subscriptionId, position]);
  }

  async readSnapshot(streamName: string): Promise<StateSnapshot | null> {
    const { rows } = await this.query<SnapshotRow>(SQL.readSnapshot, [streamName]);
    const row = rows[0];
    return row ? toSnapshot(streamName, row) : null;
  }

  /** One query for all the streams. */
  async readSnapshots(streamNames: readonly string[]): Promise<(StateSnapshot | null)[]> {
    const out: (StateSnapshot | null)[] = streamNames.map(() => null);
    if (streamNames.length === 0) return out;
    const { rows } = await this.query<SnapshotRow & { i: string }>(SQL.readSnapshots, [streamNames]);
    for (const row of rows) out[Number(row.i) - 1] = toSnapshot(streamNames[Number(row.i) - 1]!, row);
    return out;
  }

  /** One statement, so all or nothing without a transaction of its own. */
  async writeSnapshots(snapshots: StateSnapshot[]): Promise<void> {
    const latest = latestPerStream(snapshots);
    if (latest.length === 0) return;
    const payloads = latest.map((s) => toColumns(JSON.stringify(s.data)));
    await this.write(SQL.writeSnapshots, [
      latest.map((s) => s.streamName),
      latest.map((s) => s.revision),
      latest.map((s) => s.format),
      payloads.map(([data]) => data),
      payloads.map(([, packed]) => packed),
    ]);
  }

  /** One query for all the keys. */
  readClaims(keys: readonly string[]): Promise<Map<string, string>> {
    return readClaimsWith(this.onCurrent, keys);
  }

  /** One statement, so all or nothing without a transaction of its own. */
  async writeClaims(claims: readonly MessageClaim[]): Promise<void> {
    if (claims.length > 0) await this.write(SQL.insertClaims, claimColumnsOf(claims));
  }

  listClaims(options: ListClaimsOptions): Promise<MessageClaim[]> {
    return listClaimsWith(this.onCurrent, options);
  }

  /**
   * Subscriptions read and store checkpoints on pooled connections, never inside an open group:
   * handlers see committed events only. Woken by this store's commits, polling for other processes'.
   */
  subscribeToAll(options: SubscriptionOptions): Subscription {
    const committed = {
      readAll: (o: ReadAllOptions) => readAllWith(this.onPool, o),
      loadCheckpoint: (id: string) => loadCheckpointWith(this.onPool, id),
      storeCheckpoint: async (id: string, position: number) =>
        void (await this.onPool(SQL.storeCheckpoint, [id, position])),
    };
    const subscription = runCatchUpSubscription(committed, options, (wake) => {
      this.appendListeners.add(wake);
      return () => this.appendListeners.delete(wake);
    });
    return trackUntilStopped(this.subscriptions, subscription);
  }

  async close(): Promise<void> {
    this.closing ??= (async () => {
      await stopAll(this.subscriptions);
      await this.pool.end();
    })();
    return this.closing;
  }
}
