import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import { PARKED_STREAM_PREFIX, sha256Hex } from '@bijstand/platform';
import { ActionRefusedError, checkedAction, findById, shownId, type BackofficeAction } from './backofficeActions.js';
import type { IngestOutcome } from './inbound.js';
import type { Ingestor } from './ingestor.js';
import { isParkedMessage, PARKED_DISMISSED, PARKED_RETRIED, parkedStatus, STATEMENT_PARKED } from './parking.js';

/**
 * The backoffice's parked messages: retried (placed now if its case is open: the same release a case
 * opening does) or dismissed (never handed on, whatever opens later). Each action is an event in the
 * message's own parked stream, with who, why and when.
 */

/** A parked message's id as `parked retry|dismiss` take it: of its stream and event id (12 hex digits, grouped). */
export const parkedHex = (stream: string, eventId: string): string => sha256Hex(`${stream}\n${eventId}`);
export const parkedId = (stream: string, eventId: string): string => shownId(parkedHex(stream, eventId));

/** Places a parked message now (after its case opened); refused when it was placed or dismissed, or still waits. */
export async function retryParked(
  store: EventStore,
  ingestor: Ingestor,
  id: string,
  action: BackofficeAction,
): Promise<{ id: string; outcome: IngestOutcome }> {
  const checked = checkedAction(action);
  const entry = await findParked(store, id);
  refuseClosed(entry);
  const outcome = await ingestor.placeParked(entry.record, checked.at);
  const eventId = outcome ? `retried:${entry.record.eventId}` : `retried:${entry.record.eventId}:${checked.at}`;
  await recordAction(store, entry, PARKED_RETRIED, eventId, {
    ...checked,
    outcome: outcome?.status ?? 'waiting',
    ...(outcome && 'householdId' in outcome ? { householdId: outcome.householdId } : {}),
  });
  if (!outcome) {
    const waitsFor =
      entry.record.type === STATEMENT_PARKED ? 'geen zaak heeft dit BSN' : 'de zaak van dit huishouden is niet geopend';
    throw new ActionRefusedError(
      `geparkeerd bericht ${entry.id} wacht nog: ${waitsFor}. Er is niets geplaatst (de poging is vastgelegd).`,
    );
  }
  return { id: entry.id, outcome };
}

/** Closes a parked message: it stays in its stream, and is never handed on to its household. */
export async function dismissParked(store: EventStore, id: string, action: BackofficeAction): Promise<{ id: string }> {
  const checked = checkedAction(action);
  const entry = await findParked(store, id);
  refuseClosed(entry);
  await recordAction(store, entry, PARKED_DISMISSED, `dismissed:${entry.record.eventId}`, checked);
  return { id: entry.id };
}

interface ParkedEntry {
  id: string;
  stream: string;
  record: RecordedEvent;
  records: RecordedEvent[];
}

/** Every message ever parked (waiting, placed or dismissed): the id of one of them. */
async function findParked(store: EventStore, id: string): Promise<ParkedEntry> {
  const entries: Array<ParkedEntry & { hex: string }> = [];
  for (const stream of await store.listStreams(PARKED_STREAM_PREFIX)) {
    const records = await store.readStream(stream);
    for (const record of records.filter((r) => isParkedMessage(r.type))) {
      const hex = parkedHex(stream, record.eventId);
      entries.push({ id: shownId(hex), hex, stream, record, records });
    }
  }
  return findById(entries, (e) => e.hex, id, 'geparkeerd bericht');
}

function refuseClosed(entry: ParkedEntry): void {
  const status = parkedStatus(entry.records, entry.record.eventId);
  if (status === 'waiting') return;
  const dismissal = entry.records.find(
    (r) => r.type === PARKED_DISMISSED && (r.data as { parkedEventId: string }).parkedEventId === entry.record.eventId,
  );
  const d = dismissal?.data as BackofficeAction | undefined;
  const why = d
    ? `is terzijde gelegd door ${d.by} op ${d.at} (${d.reason})`
    : 'is al in zijn huishouden geplaatst (de zaak is geopend); een bericht wordt één keer verwerkt';
  throw new ActionRefusedError(`geparkeerd bericht ${entry.id} ${why}. Er is niets veranderd.`);
}

async function recordAction(
  store: EventStore,
  entry: ParkedEntry,
  type: string,
  eventId: string,
  data: BackofficeAction & { outcome?: string; householdId?: string },
): Promise<void> {
  await store.append(entry.stream, [
    { eventId, type, schemaVersion: 1, recordedAt: data.at, data: { parkedEventId: entry.record.eventId, ...data } },
  ]);
}
