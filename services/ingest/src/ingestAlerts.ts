import type { Instant } from '@bijstand/domain';

/**
 * Alerts ingest raises for the consultant, in their own stream (INGEST_ALERTS_STREAM): the nightly
 * alerts of the household streams are about money, these are about the input. A member is shown
 * masked (last four digits), never in clear.
 */
export const INGEST_ALERT_RAISED = 'IngestAlertRaised';

/** Every kind ingest raises: @bijstand/documents renders each in Dutch (a test checks it has them all). */
export const INGEST_ALERT_KINDS = [
  'identity-conflict',
  'correction-without-initial',
  'withdrawal-without-initial',
  'parked-too-long',
] as const;

export type IngestAlertKind = (typeof INGEST_ALERT_KINDS)[number];

export interface IngestAlert {
  kind: IngestAlertKind;
  /** The household it is about (for an identity conflict: the opening that was refused). */
  householdId: string | null;
  /** The member, masked like *****1234. */
  member: string | null;
  /** The message it is about: a messageId, or a household's case event type. */
  reference: string;
  reason: string;
  raisedAt: Instant;
}
