import type { RecordedEvent } from '@bijstand/event-store';
import { z } from 'zod';

/** A note with an acknowledgement: what the consultant did or decided, short enough to read in a list. */
export const ACK_NOTE_MAX = 500;

/**
 * AlertAcknowledged's data: `role` only from the workplace (its session's), `note` optional (events
 * recorded before notes existed have none and still read).
 */
export const acknowledgementSchema = z.object({
  alertId: z.string().min(1),
  by: z.string().trim().min(1),
  role: z.string().min(1).optional(),
  note: z.string().max(ACK_NOTE_MAX).optional(),
});

export type AcknowledgementData = z.infer<typeof acknowledgementSchema>;

export interface Acknowledgement {
  by: string;
  at: string;
  role?: string;
  note?: string;
}

export class InvalidAcknowledgementError extends Error {}

/** The note as stored: trimmed, empty = none; longer than ACK_NOTE_MAX is refused, naming field and rule. */
export function acknowledgementNote(note: string | undefined): string | undefined {
  const trimmed = note?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > ACK_NOTE_MAX)
    throw new InvalidAcknowledgementError(
      `note: ten hoogste ${ACK_NOTE_MAX} tekens (nu ${trimmed.length}); houd de notitie kort`,
    );
  return trimmed;
}

/** The one reader of an AlertAcknowledged event: the alert ledger and every list built on it use this. */
export function acknowledgementOf(e: RecordedEvent): (Acknowledgement & { alertId: string }) | null {
  const parsed = acknowledgementSchema.safeParse(e.data);
  if (!parsed.success) return null;
  const { alertId, by, role, note } = parsed.data;
  return { alertId, by, at: e.recordedAt, ...(role ? { role } : {}), ...(note ? { note } : {}) };
}

export type AlertHandling = 'open' | 'acknowledged';

/**
 * Whether an alert is handled: the single answer for the CLI (`alerts list` status) and the workplace
 * (inbox filter open/afgehandeld). Delivery state (pending, delivered, dead-letter) is another matter.
 */
export function alertHandling(alert: { acknowledgedBy?: string | undefined }): AlertHandling {
  return alert.acknowledgedBy === undefined ? 'open' : 'acknowledged';
}
