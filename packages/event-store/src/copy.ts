import type { AppendRequest, EventStore, RecordedEvent, RecordedEventText } from './port.js';

/**
 * Copying a whole store into an empty one of another kind (a shared service moving from the embedded
 * SQLite file to PostgreSQL): every event of every stream with its stream revision, event id, type,
 * schema version, recordedAt, data and metadata, in the source's commit order, every stream's
 * snapshot, and every message claim. Global positions are the target's own (they keep the order, not
 * the numbers); checkpoints are not copied, since they name source positions: subscriptions start
 * again from the beginning and their handlers are idempotent.
 */

export interface CopySummary {
  events: number;
  streams: number;
  snapshots: number;
  /** Message claims (port.ts, MessageClaim). */
  claims: number;
}

export interface CopyOptions {
  /** Events read and appended per commit (default 5,000). */
  pageEvents?: number;
  /** After each page: events and streams copied so far. */
  onProgress?: (copied: { events: number; streams: number }) => void;
}

export class CopyTargetNotEmptyError extends Error {
  constructor(readonly target: string) {
    super(`the target store ${target} already holds events: a copy goes into an empty store only`);
    this.name = 'CopyTargetNotEmptyError';
  }
}

export class CopyMismatchError extends Error {
  constructor(
    readonly streamName: string,
    detail: string,
  ) {
    super(`copy of stream ${streamName}: ${detail}`);
    this.name = 'CopyMismatchError';
  }
}

/** Runs of consecutive events of one stream: one append request each, so that the commit order stays the source's. */
export function appendRequestsInOrder(page: readonly RecordedEvent[]): AppendRequest[] {
  const requests: AppendRequest[] = [];
  let current: AppendRequest | undefined;
  for (const e of page) {
    if (current === undefined || current.streamName !== e.streamName) {
      // The revision the stream stands at before this run: the source's, so revisions copy exactly.
      current = {
        streamName: e.streamName,
        events: [],
        expectedRevision: e.streamRevision === 0 ? 'no-stream' : e.streamRevision - 1,
      };
      requests.push(current);
    }
    current.events.push({
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      recordedAt: e.recordedAt,
      data: e.data,
      metadata: e.metadata ?? {},
    });
  }
  return requests;
}

/** Copies `source` into the empty `target`. Throws before writing anything when the target holds events. */
export async function copyEventStore(
  source: EventStore,
  target: EventStore,
  options: CopyOptions = {},
): Promise<CopySummary> {
  if ((await target.readAll({ maxCount: 1 })).length > 0) throw new CopyTargetNotEmptyError(target.name);
  const pageEvents = Math.max(1, options.pageEvents ?? 5000);
  const streams = new Set<string>();
  let events = 0;
  for (let after = 0; ;) {
    const page = await source.readAll({ fromPosition: after, maxCount: pageEvents });
    if (page.length === 0) break;
    const requests = appendRequestsInOrder(page);
    const results = await target.appendMany(requests); // one transaction per page
    for (const [k, r] of requests.entries()) {
      if (results[k]!.appended !== r.events.length)
        throw new CopyMismatchError(
          r.streamName,
          `${r.events.length} events to copy, ${results[k]!.appended} appended`,
        );
      streams.add(r.streamName);
    }
    events += page.length;
    after = page[page.length - 1]!.globalPosition;
    options.onProgress?.({ events, streams: streams.size });
  }
  let snapshots = 0;
  const names = [...streams];
  for (let i = 0; i < names.length; i += 500) {
    // One query per 500 streams where the source can (PostgreSQL), not one per stream.
    const found = (await source.readSnapshots(names.slice(i, i + 500))).filter((s) => s !== null);
    await target.writeSnapshots(found);
    snapshots += found.length;
  }
  let claims = 0;
  for (let after: string | undefined; ;) {
    const page = await source.listClaims({ afterKey: after, maxCount: pageEvents });
    if (page.length === 0) break;
    await target.appendMany([], page); // every key new to the target, else ClaimTakenError
    claims += page.length;
    after = page[page.length - 1]!.key;
  }
  return { events, streams: streams.size, snapshots, claims };
}

const sameEvent = (a: RecordedEventText, b: RecordedEventText) =>
  a.eventId === b.eventId &&
  a.type === b.type &&
  a.schemaVersion === b.schemaVersion &&
  a.recordedAt === b.recordedAt &&
  a.streamRevision === b.streamRevision &&
  a.dataText === b.dataText &&
  JSON.stringify(a.metadata) === JSON.stringify(b.metadata);

/**
 * Checks a copy stream by stream: the same events, each with the same JSON text of its data (not only
 * the same parsed value), and the same snapshots; then the same message claims. Throws
 * CopyMismatchError on the first difference.
 */
export async function verifyCopy(
  source: EventStore,
  target: EventStore,
  streamNames: readonly string[],
): Promise<void> {
  for (const name of streamNames) {
    const [a, b] = await Promise.all([source.readStreamText(name), target.readStreamText(name)]);
    if (a.length !== b.length)
      throw new CopyMismatchError(name, `${a.length} events in the source, ${b.length} in the copy`);
    const k = a.findIndex((e, i) => !sameEvent(e, b[i]!));
    if (k >= 0) throw new CopyMismatchError(name, `event ${a[k]!.eventId} (revision ${k}) differs`);
    const [sa, sb] = await Promise.all([source.readSnapshot(name), target.readSnapshot(name)]);
    if (JSON.stringify(sa) !== JSON.stringify(sb)) throw new CopyMismatchError(name, 'its snapshot differs');
  }
  await verifyClaims(source, target);
}

/** The same message claims in both, key for key (hash and instant). */
async function verifyClaims(source: EventStore, target: EventStore): Promise<void> {
  for (let after: string | undefined; ;) {
    const page = { afterKey: after, maxCount: 5000 };
    const [a, b] = await Promise.all([source.listClaims(page), target.listClaims(page)]);
    const k = a.findIndex((c, i) => JSON.stringify(c) !== JSON.stringify(b[i]));
    if (k >= 0 || a.length !== b.length)
      throw new CopyMismatchError('(message claims)', `claim ${a[k]?.key ?? b[a.length]?.key} differs`);
    if (a.length === 0) return;
    after = a[a.length - 1]!.key;
  }
}
