import { instantOf, type PlannedAppend } from './appendRules.js';
import type { AppendResult, RecordedEvent, RecordedEventText, StateSnapshot } from './port.js';
import { packPayload, unpackPayload } from './payloadCodec.js';
import type { EventRow, SnapshotRow } from './postgresSchema.js';

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

export function toRecordedEventText(row: EventRow): RecordedEventText {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    recordedAt: row.recorded_at,
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

/** The columns of a batch of new events, one array per column, for one multi-row INSERT. */
function eventColumns() {
  return {
    positions: [] as number[],
    streamNames: [] as string[],
    revisions: [] as number[],
    eventIds: [] as string[],
    types: [] as string[],
    schemaVersions: [] as number[],
    recordedAts: [] as string[],
    recordedMs: [] as number[],
    data: [] as Array<string | null>,
    dataPacked: [] as Array<Buffer | null>,
    metadata: [] as string[],
  };
}

/** Positions and revisions for the planned events, after `head`; the rows to write and one result per request. */
export function layOut(plans: PlannedAppend[], head: number) {
  const columns = eventColumns();
  const streams = new Map<string, { revision: number; firstPosition: number }>();
  let position = head;
  const results = plans.map((plan): AppendResult => {
    let revision = plan.revisionBefore;
    let lastGlobalPosition: number | null = null;
    for (const e of plan.events) {
      revision++;
      position++;
      columns.positions.push(position);
      columns.streamNames.push(plan.streamName);
      columns.revisions.push(revision);
      columns.eventIds.push(e.eventId);
      columns.types.push(e.type);
      columns.schemaVersions.push(e.schemaVersion);
      columns.recordedAts.push(e.recordedAt);
      columns.recordedMs.push(instantOf(e.recordedAt, `recordedAt of event ${e.eventId}`));
      const [data, dataPacked] = toColumns(JSON.stringify(e.data ?? null));
      columns.data.push(data);
      columns.dataPacked.push(dataPacked);
      columns.metadata.push(JSON.stringify(e.metadata ?? {}));
      lastGlobalPosition = position;
    }
    if (plan.events.length > 0) {
      const firstPosition = streams.get(plan.streamName)?.firstPosition ?? (plan.revisionBefore < 0 ? position - plan.events.length + 1 : 0);
      streams.set(plan.streamName, { revision, firstPosition });
    }
    return { nextExpectedRevision: revision, lastGlobalPosition, appended: plan.events.length };
  });
  return { columns, streams, results };
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
