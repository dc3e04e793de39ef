import type { HouseholdEvent, HouseholdEventType } from '@bijstand/domain';
import type { NewEvent, RecordedEvent } from '@bijstand/event-store';
import { maskBsnRuns } from './bsn.js';
import { canonicalJson, sha256Hex } from './ids.js';
import { HOUSEHOLD_STREAM_PREFIX, householdIdOfStream } from './streams.js';

/** Current schema version of each household event type; bump with an upcaster when a shape changes. */
export const SCHEMA_VERSIONS: Record<HouseholdEventType, number> = {
  CaseOpened: 2,
  HouseholdChanged: 1,
  CaseClosed: 1,
  EarningsDisregardGranted: 2,
  OtherIncomeDeclared: 1,
  MeasureImposed: 1,
  MeasureEnded: 1,
  IncomeStatementRecorded: 3,
  MonthSettled: 3,
  PaymentProposed: 2,
  PaymentMade: 2,
  BufferDrawn: 1,
  BufferNotDrawn: 1,
  AlertRaised: 1,
};

const householdTypes = new Set<string>(Object.keys(SCHEMA_VERSIONS));

/** Which event types and schema versions this engine reads: a snapshot records it (repository.ts). */
export const EVENT_SCHEMAS_FINGERPRINT = sha256Hex(canonicalJson(SCHEMA_VERSIONS)).slice(0, 16);

/**
 * An event in a household stream that this engine cannot read: a type it does not know, or a schema
 * version newer than it reads. Folding on without it would decide on a wrong state, so the household
 * is not loaded; the message names the household (masked), the type, the version and the revision.
 */
export class UnknownEventError extends Error {
  constructor(
    readonly streamName: string,
    readonly eventType: string,
    readonly schemaVersion: number,
    readonly revision: number,
    detail: string,
  ) {
    const where = streamName.startsWith(HOUSEHOLD_STREAM_PREFIX)
      ? `household ${householdIdOfStream(streamName)}`
      : `stream ${streamName}`;
    super(
      maskBsnRuns(
        `${where}: event ${eventType} schema version ${schemaVersion} at revision ${revision}: ${detail}; the household is not loaded (an engine that reads it is needed)`,
      ),
    );
    this.name = 'UnknownEventError';
  }
}

export interface EventContext {
  eventId: string;
  recordedAt: string;
  correlationId?: string;
  causationId?: string;
}

export function toNewEvent(event: HouseholdEvent, ctx: EventContext): NewEvent {
  return {
    eventId: ctx.eventId,
    type: event.type,
    schemaVersion: SCHEMA_VERSIONS[event.type],
    recordedAt: ctx.recordedAt,
    data: event.data,
    metadata: {
      ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
      ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
    },
  };
}

export function isHouseholdEvent(e: RecordedEvent): boolean {
  return householdTypes.has(e.type);
}

export function isHouseholdEventType(type: string): boolean {
  return householdTypes.has(type);
}

type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upcasters by type and the version they read: upcaster[v] turns version v into v + 1. Old streams
 * stay as they were written; they are lifted to the current shape when read, so they still replay.
 */
export const UPCASTERS: Partial<Record<HouseholdEventType, Record<number, Upcaster>>> = {
  // v2 added the channel a statement came in on; earlier statements did not record it.
  // Rules v1 events read with the v1 defaults (SPEC v2 §1): every member entitled, every grant of kind
  // work, every statement wage from the polis, every payment to the applicant.
  CaseOpened: {
    1: (data) => ({
      ...data,
      members: (data.members as Array<Record<string, unknown>>).map((m) => ({ entitled: true, ...m })),
    }),
  },
  EarningsDisregardGranted: { 1: (data) => ({ kind: 'work', ...data }) },
  IncomeStatementRecorded: {
    // v2 added the channel a statement came in on; earlier statements did not record it.
    1: (data) => ({ ...data, channel: 'unknown' }),
    2: (data) => ({
      ...data,
      statement: { incomeKind: 'employment', source: 'polis', ...(data.statement as Record<string, unknown>) },
    }),
  },
  MonthSettled: {
    // v2 holds legal facts only: v1 carried the engine's cache key (inputsFingerprint), which is dropped.
    1: ({ inputsFingerprint: _cacheKey, ...data }) => data,
    // v3 (rules v2): no measures, no non-entitled partner, and all income of v1 was income from work.
    2: (data) => {
      const values = data.values as Record<string, string>;
      return {
        ...data,
        values: { measureReduction: '0.00', incomeFromWork: values.income, partnerIncomeCounted: '0.00', ...values },
      };
    },
  },
  PaymentProposed: {
    1: (data) => ({ projectedWorkIncome: data.projectedNet, projectedPartnerIncomeCounted: '0.00', ...data }),
  },
  PaymentMade: {
    1: (data) => ({
      projectedWorkIncome: data.projectedNet,
      projectedPartnerIncomeCounted: '0.00',
      payees: { applicant: data.amount },
      ...data,
    }),
  },
};

export function upcast(type: HouseholdEventType, schemaVersion: number, data: unknown): unknown {
  let current = data as Record<string, unknown>;
  const target = SCHEMA_VERSIONS[type];
  if (schemaVersion > target)
    throw new Error(`${type} schema version ${schemaVersion} is newer than this engine reads (${target})`);
  for (let v = schemaVersion; v < target; v++) {
    const up = UPCASTERS[type]?.[v];
    if (!up) throw new Error(`no upcaster for ${type} from schema version ${v}`);
    current = up(current);
  }
  return current;
}

/**
 * Stored event → domain event. Older schema versions pass through the upcasters first; an unknown type
 * or a newer schema version is an UnknownEventError, never skipped.
 */
export function toHouseholdEvent(e: RecordedEvent): HouseholdEvent {
  if (!householdTypes.has(e.type))
    throw new UnknownEventError(
      e.streamName,
      e.type,
      e.schemaVersion,
      e.streamRevision,
      'not an event type this engine knows',
    );
  const type = e.type as HouseholdEventType;
  const reads = SCHEMA_VERSIONS[type];
  if (!Number.isInteger(e.schemaVersion) || e.schemaVersion < 1 || e.schemaVersion > reads) {
    throw new UnknownEventError(
      e.streamName,
      e.type,
      e.schemaVersion,
      e.streamRevision,
      `this engine reads ${type} up to schema version ${reads}`,
    );
  }
  return { type, data: upcast(type, e.schemaVersion, e.data) } as HouseholdEvent;
}
