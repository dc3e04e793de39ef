import { instantOf, type PlannedAppend } from './appendRules.js';
import type { AppendResult, NewEvent, RecordedEvent, RecordedEventText, StateSnapshot } from './port.js';
import { packPayload, unpackPayload } from './payloadCodec.js';
import type { AppendStateRow, EventRow, SnapshotRow } from './postgresSchema.js';

/** The PostgreSQL adapter's pure part: rows to events, and a planned batch to rows. */

/** A payload as the two columns hold it: [data, data_packed], exactly one of them set. */
export function toColumns(json: string): [string | null, Buffer | null] {
  const stored = packPayload(json);
  return typeof stored === 'string' ? [stored, null] : [null, stored];
}

/** The JSON text of a row's payload, exactly as appended. */
export function fromColumns(row: { data: string | null; data_packed: Buffer | null }): string {
  if (row.data_packed !== null) return unpackPayload(row.data_packed);
  if (row.data === null) throw new Error('stored payload: neither data nor data_packed is set');
  return row.data;
}

export function toSnapshot(streamName: string, row: SnapshotRow): StateSnapshot {
  return { streamName, revision: row.revision, format: row.format, data: JSON.parse(fromColumns(row)) };
}

/**
 * The form of an instant that is not stored (recorded_at NULL), rebuilt from its milliseconds: ISO 8601
 * in UTC, without '.000' on a whole second ('2027-01-25T02:00:00Z', as the workers write it). Any other
 * form ('.000Z', an offset, a fraction of another length) is stored as given: the round trip is exact
 * because the appender stores NULL only when this function gives back the very text appended.
 */
export function canonicalInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${iso.slice(0, -5)}Z` : iso;
}

/** What recorded_at holds for `recordedAt` (at `ms`): null when canonicalInstant rebuilds it. */
export function storedRecordedAt(recordedAt: string, ms: number): string | null {
  return canonicalInstant(ms) === recordedAt ? null : recordedAt;
}

export function toRecordedEventText(row: EventRow): RecordedEventText {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    recordedAt: row.recorded_at ?? canonicalInstant(Number(row.recorded_ms)),
    dataText: fromColumns(row),
    metadata: JSON.parse(row.metadata),
    streamName: row.stream_name,
    streamRevision: row.stream_revision,
    globalPosition: Number(row.position),
  };
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const { dataText, ...rest } = toRecordedEventText(row);
  return { ...rest, data: JSON.parse(dataText) };
}

/**
 * The store as the batch is planned against it (read under COMMIT_ORDER_LOCK): the head position, the
 * batch's streams that exist (id, revision), the event ids they already hold, the headers that exist;
 * new streams and headers take the next ids.
 */
export class AppendState {
  readonly head: number;
  readonly streams = new Map<string, { id: number; revision: number }>();
  readonly known = new Map<string, Set<string>>();
  readonly headers = new Map<string, number>();
  readonly maxStreamId: number;
  readonly maxHeaderId: number;

  constructor(row: AppendStateRow) {
    this.head = Number(row.head);
    this.maxStreamId = row.max_stream_id;
    this.maxHeaderId = row.max_header_id;
    for (const [name, id, revision] of row.streams) this.streams.set(name, { id, revision });
    for (const [stream, id] of row.known) this.known.set(stream, (this.known.get(stream) ?? new Set()).add(id));
    for (const [id, type, schemaVersion, metadata] of row.headers)
      this.headers.set(headerKey(type, schemaVersion, metadata), id);
  }

  revisionOf(streamName: string): number {
    return this.streams.get(streamName)?.revision ?? -1;
  }

  holds(streamName: string, eventId: string): boolean {
    return this.known.get(streamName)?.has(eventId) ?? false;
  }
}

/** An interned header's identity: type, schema version and the metadata's JSON text. */
export const headerKey = (type: string, schemaVersion: number, metadata: string) =>
  JSON.stringify([type, schemaVersion, metadata]);

/** The headers of a batch's events, each once: what appendState looks up. */
export function headersOf(requests: ReadonlyArray<{ events: readonly NewEvent[] }>): {
  types: string[];
  schemaVersions: number[];
  metadata: string[];
} {
  const seen = new Set<string>();
  const out = { types: [] as string[], schemaVersions: [] as number[], metadata: [] as string[] };
  for (const r of requests)
    for (const e of r.events) {
      const metadata = JSON.stringify(e.metadata ?? {});
      const key = headerKey(e.type, e.schemaVersion, metadata);
      if (seen.has(key)) continue;
      seen.add(key);
      out.types.push(e.type);
      out.schemaVersions.push(e.schemaVersion);
      out.metadata.push(metadata);
    }
  return out;
}

/** The columns of a batch of new events, one array per column, for one multi-row INSERT. */
function eventColumns() {
  return {
    positions: [] as number[],
    recordedMs: [] as number[],
    streamIds: [] as number[],
    revisions: [] as number[],
    headerIds: [] as number[],
    eventIds: [] as string[],
    recordedAts: [] as Array<string | null>,
    data: [] as Array<string | null>,
    dataPacked: [] as Array<Buffer | null>,
  };
}

/**
 * Positions, revisions, stream and header ids for the planned events, after `state`: the rows to
 * write (events, new headers, the streams' rows) and one result per request. A new stream's id is
 * the next after the highest, in the order of first events: ids keep the order of first positions.
 */
export function layOut(plans: PlannedAppend[], state: AppendState) {
  const columns = eventColumns();
  const streams = new Map<string, { id: number; revision: number }>();
  const newHeaders = {
    ids: [] as number[],
    types: [] as string[],
    schemaVersions: [] as number[],
    metadata: [] as string[],
  };
  const headerIds = new Map(state.headers);
  let nextStreamId = state.maxStreamId;
  let nextHeaderId = state.maxHeaderId;
  let position = state.head;
  const results = plans.map((plan): AppendResult => {
    let revision = plan.revisionBefore;
    let lastGlobalPosition: number | null = null;
    if (plan.events.length === 0) return { nextExpectedRevision: revision, lastGlobalPosition, appended: 0 };
    const streamId = streams.get(plan.streamName)?.id ?? state.streams.get(plan.streamName)?.id ?? ++nextStreamId;
    for (const e of plan.events) {
      revision++;
      position++;
      const metadata = JSON.stringify(e.metadata ?? {});
      const key = headerKey(e.type, e.schemaVersion, metadata);
      let headerId = headerIds.get(key);
      if (headerId === undefined) {
        headerId = ++nextHeaderId;
        headerIds.set(key, headerId);
        newHeaders.ids.push(headerId);
        newHeaders.types.push(e.type);
        newHeaders.schemaVersions.push(e.schemaVersion);
        newHeaders.metadata.push(metadata);
      }
      const ms = instantOf(e.recordedAt, `recordedAt of event ${e.eventId}`);
      columns.positions.push(position);
      columns.recordedMs.push(ms);
      columns.streamIds.push(streamId);
      columns.revisions.push(revision);
      columns.headerIds.push(headerId);
      columns.eventIds.push(e.eventId);
      columns.recordedAts.push(storedRecordedAt(e.recordedAt, ms));
      const [data, dataPacked] = toColumns(JSON.stringify(e.data ?? null));
      columns.data.push(data);
      columns.dataPacked.push(dataPacked);
      lastGlobalPosition = position;
    }
    streams.set(plan.streamName, { id: streamId, revision });
    return { nextExpectedRevision: revision, lastGlobalPosition, appended: plan.events.length };
  });
  return { columns, streams, newHeaders, results };
}

/** One snapshot per stream, the highest revision (the later of equals), so that one upsert never meets a stream twice. */
export function latestPerStream(snapshots: StateSnapshot[]): StateSnapshot[] {
  const latest = new Map<string, StateSnapshot>();
  for (const s of snapshots) {
    const current = latest.get(s.streamName);
    if (!current || current.revision <= s.revision) latest.set(s.streamName, s);
  }
  return [...latest.values()];
}
