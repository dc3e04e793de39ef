import { WrongExpectedRevisionError, type AppendRequest, type ExpectedRevision, type NewEvent } from './port.js';

/**
 * The append semantics every adapter shares, kept in one place so that they cannot drift apart.
 */

/**
 * The events of a batch that are new to the stream: an eventId the stream already holds, or one that
 * repeats within the batch, is skipped (ingested messages are re-delivered; appending them is a no-op).
 */
export function newEventsOnly(events: readonly NewEvent[], alreadyInStream: (eventId: string) => boolean): NewEvent[] {
  const inBatch = new Set<string>();
  return events.filter((e) => {
    if (inBatch.has(e.eventId) || alreadyInStream(e.eventId)) return false;
    inBatch.add(e.eventId);
    return true;
  });
}

/** Optimistic concurrency: `actual` is the revision of the stream's last event, -1 when it has none. */
export function checkExpectedRevision(streamName: string, expected: ExpectedRevision, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && actual === -1) ||
    (expected === 'stream-exists' && actual >= 0) ||
    (typeof expected === 'number' && expected === actual);
  if (!ok) throw new WrongExpectedRevisionError(streamName, expected, actual < 0 ? 'no-stream' : actual);
}

/**
 * Milliseconds since the epoch of an ISO instant. recordedAt and asOf are compared as instants, never
 * as strings: '2027-01-05T03:00:00+01:00' and '2027-01-05T02:00:00Z' are the same moment, and
 * '…02:00:00.500Z' is after '…02:00:00Z' although it sorts before it.
 */
export function instantOf(value: string, what: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`${what} is not an ISO instant: ${JSON.stringify(value)}`);
  return ms;
}

/** What planning needs to know about a stream as it stands before the batch. */
export interface StreamSnapshot {
  /** Revision of the stream's last event, -1 when it has none. */
  revision: number;
  hasEventId(eventId: string): boolean;
}

export interface PlannedAppend {
  streamName: string;
  /** The events to write: the request's events minus those the stream already holds. */
  events: NewEvent[];
  /** Revision of the stream's last event before this request. */
  revisionBefore: number;
}

/**
 * Checks a batch of requests in order, each against the streams as the requests before it leave
 * them, and throws WrongExpectedRevisionError before anything is written. A request whose events are
 * all duplicates passes whatever revision it expected: re-delivery is a no-op, not a conflict.
 */
export function planAppends(
  requests: readonly AppendRequest[],
  snapshotOf: (streamName: string) => StreamSnapshot,
): PlannedAppend[] {
  const staged = new Map<string, { revision: number; added: Set<string>; before: StreamSnapshot }>();
  return requests.map((request) => {
    const stream = staged.get(request.streamName) ?? startFrom(snapshotOf(request.streamName));
    const events = newEventsOnly(request.events, (id) => stream.added.has(id) || stream.before.hasEventId(id));
    if (events.length > 0) {
      checkExpectedRevision(request.streamName, request.expectedRevision ?? 'any', stream.revision);
      for (const e of events) instantOf(e.recordedAt, `recordedAt of event ${e.eventId}`);
    }
    for (const e of events) stream.added.add(e.eventId);
    staged.set(request.streamName, { ...stream, revision: stream.revision + events.length });
    return { streamName: request.streamName, events, revisionBefore: stream.revision };
  });
}

function startFrom(before: StreamSnapshot) {
  return { revision: before.revision, added: new Set<string>(), before };
}
