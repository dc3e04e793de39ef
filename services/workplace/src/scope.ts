import type { SessionUser } from './sessions.js';

/**
 * Users belong to municipalities: a household is the user's when its municipality (its CaseOpened's
 * code, resolved to the deployment's default when it names none) is one of theirs. A household without
 * any code (a single-municipality deployment) is the deployment's one municipality's: every user's.
 * A user without municipalities (only a backoffice user may be) sees every municipality.
 */
export function mayOpen(user: Pick<SessionUser, 'municipalities'>, municipality: string | null): boolean {
  if (!user.municipalities) return true;
  return municipality === null || user.municipalities.includes(municipality);
}
