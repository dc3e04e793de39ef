import { randomBytes } from 'node:crypto';
import type { Role } from './users.js';

/** Who is logged in, as the session holds it: the user file's name, role and municipalities (none: all). */
export interface SessionUser {
  name: string;
  role: Role;
  municipalities?: readonly string[];
  /** The session's synchronizer token: every state-changing form carries it back (CSRF). */
  csrfToken?: string;
}

export interface Session {
  id: string;
  user: SessionUser;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionLimits {
  /** Idle: a session not used for this long ends (default 30 minutes). */
  idleMs: number;
  /** Absolute: a session ends this long after login, however busy (default 8 hours). */
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 8 * 3600_000 };

/**
 * Server-side sessions, in this process: the cookie carries only a random 32-byte id, so logging out
 * and expiry end a session for real (a copied cookie then gets the login page), and every session ends
 * when the process stops. Expired sessions are dropped when met and swept at each login.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A new session (a new id at every login: an id known before login is worth nothing after it). */
  create(user: Omit<SessionUser, 'csrfToken'>): Session {
    this.sweep();
    const at = this.clock();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      user: { ...user },
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: at,
      lastSeenAt: at,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, its idle clock restarted; undefined when unknown, ended or expired. */
  get(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const at = this.clock();
    if (this.expired(session, at)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = at;
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(s: Session, at: number): boolean {
    return at - s.lastSeenAt >= this.limits.idleMs || at - s.createdAt >= this.limits.absoluteMs;
  }

  private sweep(): void {
    const at = this.clock();
    for (const [id, s] of this.sessions) if (this.expired(s, at)) this.sessions.delete(id);
  }
}
