import type { FastifyInstance, FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import { loginPage, startPageOf } from './pages.js';
import type { SessionStore, SessionUser } from './sessions.js';
import type { LoginThrottle } from './throttle.js';
import { authenticate, ROLES, type WorkplaceUser } from './users.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    sessionId: string | null;
  }
}

export const SESSION_COOKIE = 'workplace_session';

export interface AuthOptions {
  users: readonly WorkplaceUser[];
  sessionSecret: string;
  sessions: SessionStore;
  throttle: LoginThrottle;
  /** Behind a TLS-terminating proxy: the cookie is `Secure`. */
  behindTls: boolean;
  send: (reply: FastifyReply, page: string, status?: number) => FastifyReply;
}

/**
 * Login, logout and the session of every request: the signed cookie holds a session id only; the
 * session (who, role, municipalities, CSRF token) lives in `o.sessions`, in this process.
 */
export async function registerAuth(app: FastifyInstance, o: AuthOptions): Promise<void> {
  await app.register(cookie, { secret: o.sessionSecret });
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRequest', async (req) => {
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return;
    const unsigned = req.unsignCookie(raw);
    const session = unsigned.valid && unsigned.value ? o.sessions.get(unsigned.value) : undefined;
    // A user removed from the users file loses their session at the next restart; their role is checked here.
    if (!session || !ROLES.includes(session.user.role)) return;
    req.sessionId = session.id;
    req.user = { ...session.user, csrfToken: session.csrfToken };
  });

  app.get('/login', async (_req, reply) => o.send(reply, loginPage()));
  app.post('/login', async (req, reply) => {
    const body = (req.body ?? {}) as { name?: unknown; password?: unknown };
    const name = typeof body.name === 'string' ? body.name.slice(0, 100) : '';
    const wait = o.throttle.retryAfter(name, req.ip);
    if (wait > 0)
      return o.send(
        reply.header('retry-after', String(wait)),
        loginPage(`Te veel mislukte pogingen. Probeer het over ${wait} seconden opnieuw.`),
        429,
      );
    const user = name && typeof body.password === 'string' ? await authenticate(o.users, name, body.password) : null;
    if (!user) {
      o.throttle.failed(name, req.ip);
      return o.send(reply, loginPage('Naam of wachtwoord klopt niet.'), 401);
    }
    o.throttle.succeeded(name);
    if (req.sessionId) o.sessions.delete(req.sessionId);
    const session = o.sessions.create({
      name: user.name,
      role: user.role,
      ...(user.municipalities ? { municipalities: user.municipalities } : {}),
    });
    reply.setCookie(SESSION_COOKIE, session.id, {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      secure: o.behindTls,
      path: '/',
      maxAge: Math.floor(o.sessions.limits.absoluteMs / 1000),
    });
    return reply.redirect(startPageOf(user), 303);
  });
  app.post('/logout', async (req, reply) => {
    if (req.sessionId) o.sessions.delete(req.sessionId);
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/login', 303);
  });
}
