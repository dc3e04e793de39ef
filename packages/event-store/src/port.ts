/**
 * The event-store port. Every adapter (in-memory, SQLite, EventStoreDB) implements it and passes the
 * one contract suite in test/contract.ts.
 */

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  [key: string]: unknown;
}

/** An event to append. `recordedAt` is given by the caller, so that a virtual clock and replay work. */
export interface NewEvent<Data = unknown> {
  /** Deterministic for ingested messages: appending an eventId the stream already holds is a no-op. */
  eventId: string;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  data: Data;
  metadata?: EventMetadata;
}

/** A recorded event whose data is left as the JSON text it was appended as (not parsed). */
export interface RecordedEventText extends Omit<RecordedEvent, 'data'> {
  dataText: string;
}

export interface RecordedEvent<Data = unknown> extends NewEvent<Data> {
  streamName: string;
  /** 0-based position of the event in its stream. */
  streamRevision: number;
  /** Position in the store-wide commit order; strictly increasing, not necessarily contiguous. */
  globalPosition: number;
}

/** `no-stream`: the stream must not exist; a number: the revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no-stream' | 'stream-exists' | number;

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface AppendResult {
  /** Revision of the stream's last event after the append (-1 when the stream is still empty). */
  nextExpectedRevision: number;
  /** Global position of the last event appended; null when every event was a duplicate. */
  lastGlobalPosition: number | null;
  /** How many events were new (duplicates by eventId are skipped). */
  appended: number;
}

export interface AppendRequest {
  streamName: string;
  events: NewEvent[];
  expectedRevision?: ExpectedRevision;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  /** Only events with recordedAt ≤ asOf: the stream as it stood at that instant (replay, bezwaar). */
  asOf?: string;
}

/** One stream of a readStreams call: from `fromRevision` on (default: its first event). */
export interface StreamRead {
  streamName: string;
  fromRevision?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with globalPosition > fromPosition. Default: from the start. */
  fromPosition?: number;
  maxCount?: number;
}

export interface CheckpointStore {
  loadCheckpoint(subscriptionId: string): Promise<number | null>;
  storeCheckpoint(subscriptionId: string, position: number): Promise<void>;
}

/**
 * The state folded from a stream up to a revision, kept so that a reader can start there instead of
 * at the stream's first event. A cache, never a source of truth: the events stay, and a reader that
 * does not know the format folds the stream instead.
 */
export interface StateSnapshot {
  streamName: string;
  /** Revision of the stream's last event folded into the state. */
  revision: number;
  /** Who made it and how (e.g. state format and engine version). */
  format: string;
  data: unknown;
}

export interface SnapshotStore {
  /** The latest snapshot of the stream, or null. */
  readSnapshot(streamName: string): Promise<StateSnapshot | null>;
  /** readSnapshot of each stream, in the order asked: one query where the adapter can (PostgreSQL). */
  readSnapshots(streamNames: readonly string[]): Promise<(StateSnapshot | null)[]>;
  /** Keeps one snapshot per stream: the one of the highest revision (an older one never replaces it). */
  writeSnapshots(snapshots: StateSnapshot[]): Promise<void>;
}

/**
 * What ingest keeps of a message id: the hash of the content it first arrived with, so that a
 * re-delivery (the same content) is told from a conflict (other content under the same id). An
 * idempotency record, not an event: no decision is made from it and no explanation cites it, so it
 * lives in a narrow table of its own (one row, no stream) and is never replayed.
 */
export interface MessageClaim {
  /** A pseudonym of the message id (hex, 2–64 digits): the id itself may hold a BSN. */
  key: string;
  /** The content's sha256, 64 hex digits. */
  hash: string;
  /** When it was first claimed: an ISO instant; read back in its canonical form (`Date#toISOString`). */
  recordedAt: string;
}

/** A page of listClaims: the claims in key order after `afterKey` (exclusive), at most `maxCount`. */
export interface ListClaimsOptions {
  afterKey?: string;
  maxCount: number;
}

/** An appendMany whose claims include a key claimed already: nothing of the batch was written. */
export class ClaimTakenError extends Error {
  constructor(readonly key: string) {
    super(`message claim ${key}: claimed already`);
    this.name = 'ClaimTakenError';
  }
}

export interface ClaimStore {
  /** The hash each of the keys was first claimed with; a key not claimed is absent. One query where the adapter can. */
  readClaims(keys: readonly string[]): Promise<Map<string, string>>;
  /** Records each claim whose key is not claimed yet; a claimed key keeps its first hash (no error). */
  writeClaims(claims: readonly MessageClaim[]): Promise<void>;
  /** Claims in key order, after `afterKey` (exclusive): for copying a store. */
  listClaims(options: ListClaimsOptions): Promise<MessageClaim[]>;
}

export interface SubscriptionOptions {
  subscriptionId: string;
  /** Called in commit order; the checkpoint is stored after the handler resolves. */
  handler: (event: RecordedEvent) => Promise<void>;
  /** Only events of these types reach the handler (the checkpoint still advances past the others). */
  eventTypes?: string[];
  /** Polling interval for adapters without push (ms). */
  pollIntervalMs?: number;
}

export interface Subscription {
  /** Resolves once the subscription has handled everything committed when it was called. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export interface EventStore extends CheckpointStore, SnapshotStore, ClaimStore {
  readonly name: string;
  /**
   * Where a read goes: into this process (SQLite, memory: a read costs what its rows cost) or over the network
   * (PostgreSQL, EventStoreDB: each read is a round trip). A caller that reads ahead in batches saves round trips
   * only on the network; in process it does the same reads in more steps (measured: ingest 5–9 % slower on SQLite).
   */
  readonly reads: 'in-process' | 'network';
  append(
    streamName: string,
    events: NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Several appends in one transaction where the adapter can (SQLite, PostgreSQL, memory); all or nothing.
   * `claims` are recorded in the same transaction, each key new: a key claimed already throws
   * ClaimTakenError and nothing is written (so that two writers deciding on the same unclaimed id
   * cannot both store it).
   */
  appendMany(requests: AppendRequest[], claims?: readonly MessageClaim[]): Promise<AppendResult[]>;
  /**
   * Run `work` with its appends grouped into as few commits as the adapter can (SQLite: one). A
   * throughput hint, not a transaction: appends made before an error inside `work` stay appended
   * (every append is idempotent), so a caller that retries after a failure appends nothing twice.
   */
  groupCommits<T>(work: () => Promise<T>): Promise<T>;
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Several streams at once, each as readStream would read it (a stream that does not exist: no
   * events), in the order asked: one query where the adapter can (PostgreSQL), so that ingest reads
   * a segment's member indexes and household tails in one round trip.
   */
  readStreams(reads: readonly StreamRead[]): Promise<RecordedEvent[][]>;
  /**
   * The same events with their data as JSON text, unparsed: for a reader that parses only some of
   * them (replay compares most decisions as text). JSON.parse(dataText) equals readStream's data.
   */
  readStreamText(streamName: string, options?: ReadStreamOptions): Promise<RecordedEventText[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Names of streams that start with the prefix, in order of their first event. */
  listStreams(prefix: string): Promise<string[]>;
  /** Catch-up subscription to all events, resuming after the stored checkpoint. */
  subscribeToAll(options: SubscriptionOptions): Subscription;
  close(): Promise<void>;
}
