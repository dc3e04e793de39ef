import { z } from 'zod';
import { instant, validate, type Instant } from '@bijstand/domain';
import { maskBsnRuns } from '@bijstand/platform';

/**
 * What the backoffice does with a rejected or parked message (retry, dismiss) is an event with who, why
 * and when. The CLI and the workplace call the same functions; these are their shared parts.
 */
export interface BackofficeAction {
  by: string;
  reason: string;
  at: Instant;
}

const actionSchema = z.object({
  by: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'at most 100 characters' }),
  reason: z.string().trim().min(1, { error: 'must not be empty' }).max(500, { error: 'at most 500 characters' }),
  at: instant,
});

/** A name or reason typed by a person is checked, and stored with any BSN-like run masked (it is free text). */
export function checkedAction(action: BackofficeAction): BackofficeAction {
  const v = validate(actionSchema, action);
  if (!v.ok) throw new InvalidActionError(v.reason);
  return { by: maskBsnRuns(v.value.by), reason: maskBsnRuns(v.value.reason), at: v.value.at };
}

/** --by or --reason out of bounds (the message names the field and the rule). */
export class InvalidActionError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidActionError';
  }
}

/** No message, or more than one, has this id (the list shows them). */
export class UnknownMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownMessageError';
  }
}

/** The action does not apply: processed or dismissed already, or its case is still not open. Nothing changed. */
export class ActionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefusedError';
  }
}

/**
 * A message's id as people type it: the first 12 hex digits of its hash in groups of four (a run of
 * nine digits would read as a BSN and be masked in every output).
 */
export const shownId = (hex: string): string => hex.slice(0, 12).replace(/(.{4})(?=.)/g, '$1-');

/** The one item whose hash starts with the typed id (dashes and case ignored; at least 8 hex digits). */
export function findById<T>(items: readonly T[], hexOf: (item: T) => string, id: string, what: string): T {
  const typed = id.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(typed))
    throw new UnknownMessageError(`${maskBsnRuns(id)} is geen id van een ${what} (zoals 1a2b-3c4d-5e6f)`);
  const found = items.filter((item) => hexOf(item).startsWith(typed));
  if (found.length === 1) return found[0]!;
  throw new UnknownMessageError(
    found.length === 0
      ? `geen ${what} heeft id ${id} (de lijst toont de ids)`
      : `${found.length} berichten hebben een id dat begint met ${id}: typ er meer van`,
  );
}
