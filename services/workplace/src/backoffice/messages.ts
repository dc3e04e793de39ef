import type { EventStore } from '@bijstand/event-store';
import { listParked, listRejected, shownId, type ParkedItem, type RejectedItem } from '@bijstand/ingest';
import { loadHousehold, REJECTED_STREAM } from '@bijstand/platform';
import { mayOpen } from '../scope.js';
import type { SessionUser } from '../sessions.js';

/**
 * The rejected and parked messages a backoffice user may see and act on. A user without municipalities runs
 * the whole service and sees every message. A user with municipalities sees a message only when it is known to
 * belong to one of theirs: by its household's CaseOpened in the store, else by the municipality its own payload
 * names (a rejected CaseOpened). A message that names no household (a wage statement waiting for a case of its
 * BSN) belongs to no municipality yet: only the service-wide backoffice sees it.
 */
export interface MessageScope {
  store: EventStore;
  asOf?: string | undefined;
  /** A household's CaseOpened.municipality resolved to the deployment's code (null: the one municipality). */
  codeOf: (municipality: string | null | undefined) => string | null;
}

export interface BackofficeMessages {
  /** Rejected messages nobody processed or dismissed yet, oldest first. */
  open: RejectedItem[];
  /** Rejected messages processed or dismissed, newest action first (who, when, outcome). */
  handled: RejectedItem[];
  parked: ParkedItem[];
  /** Every message id the user may act on (rejected ones of any status, parked ones still waiting). */
  ids: Set<string>;
}

/** How many handled messages the page shows (the CLI's `rejected list --all` has them all). */
export const HANDLED_SHOWN = 20;

export async function messagesFor(user: SessionUser, scope: MessageScope, now: string): Promise<BackofficeMessages> {
  const visible = await visibility(user, scope);
  const named = user.municipalities ? await rejectedPayloads(scope.store) : new Map<string, string | undefined>();
  const rejected = [];
  for (const item of await listRejected(scope.store, { open: false }))
    if (await visible(item.householdId, named.get(item.id))) rejected.push(item);
  const parked = [];
  for (const item of await listParked(scope.store, now))
    if (await visible(item.householdId, undefined)) parked.push(item);
  const lastAction = (i: RejectedItem) => i.handling.at(-1)?.at ?? '';
  return {
    open: rejected.filter((i) => i.status === 'open'),
    handled: rejected
      .filter((i) => i.status !== 'open')
      .sort((a, b) => (lastAction(a) < lastAction(b) ? 1 : lastAction(a) > lastAction(b) ? -1 : 0))
      .slice(0, HANDLED_SHOWN),
    parked,
    ids: new Set([...rejected, ...parked].map((i) => i.id)),
  };
}

/** Whether the user may see a message about this household (or naming this municipality in its payload). */
async function visibility(user: SessionUser, scope: MessageScope) {
  if (!user.municipalities) return async () => true;
  return async (householdId: string | null, named: string | undefined): Promise<boolean> => {
    const stored = householdId ? (await loadHousehold(scope.store, householdId, scope.asOf)).state : null;
    const municipality = stored?.municipality ?? named;
    if (!stored && named === undefined) return false;
    return mayOpen(user, scope.codeOf(municipality));
  };
}

/** The `municipality` each rejected payload names, by the id people see. */
async function rejectedPayloads(store: EventStore): Promise<Map<string, string | undefined>> {
  return new Map(
    (await store.readStream(REJECTED_STREAM)).map((e) => [
      shownId(e.eventId.replace(/^rejected:/, '')),
      namedMunicipality((e.data as { payload?: unknown }).payload),
    ]),
  );
}

function namedMunicipality(payload: unknown): string | undefined {
  if (typeof payload !== 'string') return undefined;
  try {
    const parsed = JSON.parse(payload) as unknown;
    const value = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).municipality : undefined;
    return typeof value === 'string' && /^GM\d{4}$/.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
