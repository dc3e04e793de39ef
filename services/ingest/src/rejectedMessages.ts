import type { Instant } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import { maskBsnRuns, REJECTED_HANDLED_STREAM, REJECTED_STREAM, sha256Hex } from '@bijstand/platform';
import { ActionRefusedError, checkedAction, findById, shownId, type BackofficeAction } from './backofficeActions.js';
import type { InboundKind, IngestOutcome, MessageSource } from './inbound.js';
import type { Ingestor } from './ingestor.js';
import { dutchRejectionReason, dutchSource, rejectionRule, type RejectionRule } from './rejectionRules.js';

/**
 * The backoffice's rejected messages: listed (open ones, or all with what became of them), retried
 * through ingest as it is now (after the cause was fixed), or dismissed. Each action is an event in
 * REJECTED_HANDLED_STREAM; the rejection itself stays as it was stored.
 */
export const REJECTED_MESSAGE_RETRIED = 'RejectedMessageRetried';
export const REJECTED_MESSAGE_DISMISSED = 'RejectedMessageDismissed';

export interface RejectedHandling extends BackofficeAction {
  action: 'retried' | 'dismissed';
  /** Retried: where the message ended this time (rejected: it stays open, with `newReason`). */
  outcome?: IngestOutcome['status'];
  householdId?: string;
  newReason?: string;
}

export interface RejectedItem {
  /** What `rejected retry|dismiss` take: 12 hex digits of the rejection's hash in groups of four. */
  id: string;
  kind: InboundKind;
  rejectedAt: Instant;
  /** Where it came from, in Dutch (names from other systems masked). */
  source: string;
  /** From the payload when it names them (a case event's household, a statement's messageId), masked. */
  householdId: string | null;
  messageId: string | null;
  /** The newest reason: the last retry's when it was rejected again, else the first. English, for logs and JSON. */
  reason: string;
  rule: RejectionRule;
  /** The reason for the backoffice (Dutch, with what to do). */
  reasonNl: string;
  status: 'open' | 'processed' | 'dismissed';
  handling: RejectedHandling[];
}

interface StoredRejection {
  kind: InboundKind;
  reason: string;
  payload: string;
  source: MessageSource;
}

const hexOf = (e: RecordedEvent) => e.eventId.replace(/^rejected:/, '');

/** Every rejected message, oldest first; `open` (default) only those nobody processed or dismissed yet. */
export async function listRejected(store: EventStore, options: { open?: boolean } = {}): Promise<RejectedItem[]> {
  const handled = await handlingByRejection(store);
  const items = (await store.readStream(REJECTED_STREAM)).map((e) => itemOf(e, handled.get(e.eventId) ?? []));
  return options.open === false ? items : items.filter((i) => i.status === 'open');
}

/**
 * Runs the stored payload through ingest again, as ingest is now (the municipality configured, the
 * tables extended, the case opened). A message processed (recorded, or parked to wait for its case) is
 * never processed again: that retry is refused; a new rejection is recorded and the message stays open.
 */
export async function retryRejected(
  store: EventStore,
  ingestor: Ingestor,
  id: string,
  action: BackofficeAction,
): Promise<{ item: RejectedItem; outcome: IngestOutcome }> {
  const checked = checkedAction(action);
  const event = await findRejection(store, id);
  refuseClosed(itemOf(event, (await handlingByRejection(store)).get(event.eventId) ?? []));
  const stored = event.data as StoredRejection;
  const outcome = await ingestor.ingest({
    kind: stored.kind,
    payload: stored.payload,
    source: stored.source,
    recordedAt: checked.at,
  });
  const handling: RejectedHandling = {
    action: 'retried',
    ...checked,
    outcome: outcome.status,
    ...('householdId' in outcome ? { householdId: outcome.householdId } : {}),
    ...(outcome.status === 'rejected' ? { newReason: outcome.reason } : {}),
  };
  // Processed: one event per message whatever happens (a retry that raced another appends nothing).
  const eventId =
    outcome.status === 'rejected'
      ? `retried:${hexOf(event)}:${sha256Hex(`${checked.at}\n${outcome.reason}`).slice(0, 16)}`
      : `retried:${hexOf(event)}`;
  await record(store, event, REJECTED_MESSAGE_RETRIED, eventId, handling);
  const handled = (await handlingByRejection(store)).get(event.eventId) ?? [];
  return { item: itemOf(event, handled), outcome };
}

/** Closes a rejected message without processing it (a test message, one sent again corrected). */
export async function dismissRejected(store: EventStore, id: string, action: BackofficeAction): Promise<RejectedItem> {
  const checked = checkedAction(action);
  const event = await findRejection(store, id);
  refuseClosed(itemOf(event, (await handlingByRejection(store)).get(event.eventId) ?? []));
  await record(store, event, REJECTED_MESSAGE_DISMISSED, `dismissed:${hexOf(event)}`, {
    action: 'dismissed',
    ...checked,
  });
  return itemOf(event, (await handlingByRejection(store)).get(event.eventId) ?? []);
}

async function findRejection(store: EventStore, id: string): Promise<RecordedEvent> {
  return findById(await store.readStream(REJECTED_STREAM), hexOf, id, 'afgekeurd bericht');
}

/** Refused in Dutch: the backoffice reads it (the CLI prints it, the workplace will show it). */
function refuseClosed(item: RejectedItem): void {
  const last = item.handling.at(-1);
  if (item.status === 'open' || !last) return;
  const where = last.householdId ? ` in huishouden ${maskBsnRuns(last.householdId)}` : '';
  const outcome = last.outcome === 'parked' ? 'geparkeerd' : 'vastgelegd';
  const why =
    item.status === 'dismissed'
      ? `is terzijde gelegd door ${last.by} op ${last.at} (${last.reason})`
      : `is al verwerkt (${outcome}${where}) door ${last.by} op ${last.at}; een bericht wordt één keer verwerkt`;
  throw new ActionRefusedError(`afgekeurd bericht ${item.id} ${why}. Er is niets veranderd.`);
}

async function record(
  store: EventStore,
  rejection: RecordedEvent,
  type: string,
  eventId: string,
  handling: RejectedHandling,
): Promise<void> {
  await store.append(REJECTED_HANDLED_STREAM, [
    {
      eventId,
      type,
      schemaVersion: 1,
      recordedAt: handling.at,
      data: { rejectedEventId: rejection.eventId, ...handling },
    },
  ]);
}

async function handlingByRejection(store: EventStore): Promise<Map<string, RejectedHandling[]>> {
  const byRejection = new Map<string, RejectedHandling[]>();
  for (const e of await store.readStream(REJECTED_HANDLED_STREAM)) {
    const { rejectedEventId, ...handling } = e.data as RejectedHandling & { rejectedEventId: string };
    byRejection.set(rejectedEventId, [...(byRejection.get(rejectedEventId) ?? []), handling]);
  }
  return byRejection;
}

function itemOf(e: RecordedEvent, handling: RejectedHandling[]): RejectedItem {
  const stored = e.data as StoredRejection;
  const reason = [...handling].reverse().find((h) => h.newReason)?.newReason ?? stored.reason;
  const closing = handling.find((h) => h.action === 'dismissed' || (h.outcome && h.outcome !== 'rejected'));
  const named = namedIn(stored.payload);
  return {
    id: shownId(hexOf(e)),
    kind: stored.kind,
    rejectedAt: e.recordedAt,
    source: dutchSource(stored.source),
    householdId: named.householdId,
    messageId: named.messageId,
    reason,
    rule: rejectionRule(reason),
    reasonNl: dutchRejectionReason(reason),
    status: !closing ? 'open' : closing.action === 'dismissed' ? 'dismissed' : 'processed',
    handling,
  };
}

/** The household and messageId a payload names, if it parses (bounded and masked: it came from elsewhere). */
function namedIn(payload: string): { householdId: string | null; messageId: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { householdId: null, messageId: null };
  }
  const field = (name: string) => {
    const value = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' && value !== '' ? maskBsnRuns(value.slice(0, 100)) : null;
  };
  return { householdId: field('householdId'), messageId: field('messageId') };
}
