import { householdIdSchema, type PolisIncomeStatement } from '@bijstand/domain';
import { memberStream, type HouseholdForDecision } from '@bijstand/platform';
import { routeStatement } from './identity.js';
import type { IngestDeps, InboundMessage } from './inbound.js';
import { validateStatement } from './validation.js';

/**
 * What ingestBatch reads ahead (on unless INGEST_PREFETCH=off): for a segment of statements, in a few
 * readStreams, what each statement would read one query at a time; for the case events, their
 * households into the cache. On PostgreSQL every read is a round trip.
 */

export type Validated = ReturnType<typeof validateStatement>;

/**
 * Reads for messages[from, to) what planStatement would read one statement at a time: the claims of
 * their messageIds (one readClaims) and the member indexes of their BSNs not known yet (one readStreams),
 * then the households they route to (the cached ones' new events in one more). Nothing is decided here.
 */
export async function prefetch(
  deps: IngestDeps,
  messages: readonly InboundMessage[],
  from: number,
  to: number,
  validated: Map<number, Validated>,
  claims: Map<string, string | null>,
  households: Map<string, HouseholdForDecision>,
  touched: Set<string>,
): Promise<void> {
  const statements: PolisIncomeStatement[] = [];
  for (let i = from; i < to; i++) {
    let v = validated.get(i);
    if (!v) validated.set(i, (v = validateStatement(messages[i]!)));
    if (v.ok) statements.push(v.value);
  }
  const ids = [...new Set(statements.map((s) => s.messageId))].filter((id) => !claims.has(id));
  const bsns = deps.identity.uncached(statements.map((s) => s.bsn));
  const [firstHashes, read] = await Promise.all([
    deps.claims.firstHashes(ids),
    deps.store.readStreams(bsns.map((bsn) => ({ streamName: memberStream(bsn) }))),
  ]);
  for (const id of ids) claims.set(id, firstHashes.get(id) ?? null);
  for (const [k, bsn] of bsns.entries()) deps.identity.remember(bsn, read[k]!);
  const routed = new Set<string>();
  for (const s of statements) {
    const householdId = routeStatement(await deps.identity.membershipsOf(s.bsn), s.period);
    if (householdId && !households.has(householdId)) routed.add(householdId);
  }
  for (const [householdId, household] of await deps.households.loadMany(deps.store, routed)) {
    households.set(householdId, household);
    touched.add(householdId);
  }
}

/**
 * The households the batch's case events name, loaded into the cache in a few queries: each case
 * event then reads only its household's new events (one query) instead of its snapshot and stream.
 * Only the cache is warmed (what is decided is read again when decided), so a message that turns
 * out invalid costs nothing but its read.
 */
export async function warmCaseHouseholds(deps: IngestDeps, messages: readonly InboundMessage[]): Promise<void> {
  const householdIds = new Set<string>();
  for (const message of messages) {
    if (message.kind !== 'case') continue;
    const householdId = householdIdOf(message.payload);
    if (householdId !== null) householdIds.add(householdId);
  }
  if (householdIds.size > 0) await deps.households.loadMany(deps.store, householdIds);
}

function householdIdOf(payload: string): string | null {
  try {
    const parsed: unknown = JSON.parse(payload);
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { householdId?: unknown }).householdId : null;
    // Only an id that validation lets through is read (a query parameter is never hostile text).
    return householdIdSchema.safeParse(id).success ? (id as string) : null;
  } catch {
    return null;
  }
}
