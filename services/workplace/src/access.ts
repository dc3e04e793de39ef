import { randomUUID } from 'node:crypto';
import type { EventStore } from '@bijstand/event-store';
import type { Role } from './users.js';

/** The audit trail of who looked at which household (GDPR/BIO): one event per view, never a BSN. */
export const ACCESS_LOG_STREAM = 'access-log';

/** Which page of a household was opened; the what-if and the PDF of the objection file are views of their own. */
export type HouseholdView = 'household' | 'objection-report' | 'objection-what-if' | 'objection-pdf' | 'letter';

export interface HouseholdViewed {
  user: string;
  role: Role;
  householdId: string;
  view: HouseholdView;
  at: string;
}

export async function recordHouseholdView(store: EventStore, viewed: HouseholdViewed): Promise<void> {
  await store.append(ACCESS_LOG_STREAM, [
    {
      eventId: `viewed:${randomUUID()}`,
      type: 'HouseholdViewed',
      schemaVersion: 1,
      recordedAt: viewed.at,
      data: viewed,
    },
  ]);
}

export async function readAccessLog(store: EventStore): Promise<HouseholdViewed[]> {
  return (await store.readStream(ACCESS_LOG_STREAM))
    .filter((e) => e.type === 'HouseholdViewed')
    .map((e) => e.data as HouseholdViewed);
}

/** A refusal to show a household (or act on its alert), for the same audit trail: who, what, why; never a BSN. */
export interface HouseholdAccessRefused {
  user: string;
  role: Role;
  householdId: string;
  view: HouseholdView | 'acknowledge';
  reason: 'other-municipality';
  at: string;
}

export async function recordAccessRefused(store: EventStore, refused: HouseholdAccessRefused): Promise<void> {
  await store.append(ACCESS_LOG_STREAM, [
    {
      eventId: `refused:${randomUUID()}`,
      type: 'HouseholdAccessRefused',
      schemaVersion: 1,
      recordedAt: refused.at,
      data: refused,
    },
  ]);
}

export async function readAccessRefusals(store: EventStore): Promise<HouseholdAccessRefused[]> {
  return (await store.readStream(ACCESS_LOG_STREAM))
    .filter((e) => e.type === 'HouseholdAccessRefused')
    .map((e) => e.data as HouseholdAccessRefused);
}
