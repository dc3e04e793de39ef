import type { Instant } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import type { InboundMessage, MessageSource } from './inbound.js';
import { PARKED_RELEASED, stillParked } from './parking.js';

/** A parked message as stored: the validated content, the raw text, and when and where it arrived. */
export interface ParkedData<T> {
  recordedAt: Instant;
  source: MessageSource;
  payload?: string;
  statement?: T;
  event?: T;
}

/** The message a parked one is handed on as: received again at `releasedAt`, from where it first came. */
export function releasedMessage(
  kind: InboundMessage['kind'],
  parked: ParkedData<unknown>,
  content: unknown,
  releasedAt: Instant,
): InboundMessage {
  return { kind, payload: parked.payload ?? JSON.stringify(content), recordedAt: releasedAt, source: parked.source };
}

/**
 * Hands on what is still parked in `stream`, in the order it was parked, then records the release
 * marker up to the last of them (nothing pending: nothing written). `read`: the stream as the caller
 * has just read it (with others, in one readStreams), else it is read here.
 */
export async function releaseParked<T>(
  store: EventStore,
  stream: string,
  releasedAt: Instant,
  handOn: (parked: ParkedData<T>, eventId: string) => Promise<void>,
  read?: RecordedEvent[],
): Promise<void> {
  const pending = stillParked(read ?? (await store.readStream(stream)));
  for (const p of pending) await handOn(p.data as ParkedData<T>, p.eventId);
  if (pending.length === 0) return;
  const upToRevision = pending[pending.length - 1]!.streamRevision;
  const marker = {
    eventId: `released:${upToRevision}`,
    type: PARKED_RELEASED,
    schemaVersion: 1,
    recordedAt: releasedAt,
  };
  await store.append(stream, [{ ...marker, data: { upToRevision } }]);
}
