import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The form field (or `x-csrf-token` header) that carries the session's synchronizer token. */
export const CSRF_FIELD = '_csrf';

/**
 * The headers every answer carries. The Content-Security-Policy allows no script at all and styles only
 * from this server (/workplace.css, the design system's /assets/utrecht.css), plus the exact <style> block of a
 * document shown as it is (the letter), by its hash: such a document is also a standalone file, so its CSS stays
 * inline. Behind TLS, HSTS too.
 */
export function registerSecurityHeaders(app: FastifyInstance, behindTls: boolean): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const styles = typeof payload === 'string' ? styleHashes(payload) : [];
    reply.headers(securityHeaders(behindTls, styles));
    // The design system's CSS (/assets/…) is the same for everyone and large: the browser may keep it.
    reply.header('cache-control', req.url.startsWith('/assets/') ? 'public, max-age=3600' : 'no-store');
    return payload;
  });
}

/** The headers of every answer, also of the 503s the load shedder writes before fastify sees the request. */
export function securityHeaders(behindTls: boolean, styleHashes: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'none'",
      `style-src 'self'${styleHashes.map((h) => ` '${h}'`).join('')}`,
      "img-src 'self' data:",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    ...(behindTls ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

const styleHashes = (page: string): string[] =>
  [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) => `sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}`,
  );

/**
 * CSRF: every POST must come from a page of this workplace. A browser's Origin (sent with every POST
 * form) must be this host, which refuses a form on another port of the same host (same site, so
 * SameSite=Strict lets it through); and a logged-in POST must carry the session's token, so a form
 * without it (or an old session's) is refused too. `refuse` answers 403; nothing is stored.
 */
export function registerCsrfCheck(
  app: FastifyInstance,
  behindTls: boolean,
  refuse: (req: FastifyRequest, reply: FastifyReply) => FastifyReply,
): void {
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    const origin = req.headers.origin;
    // Behind TLS the browser's origin is https, whether or not the proxy says so (X-Forwarded-Proto).
    const own = `${behindTls ? 'https' : req.protocol}://${req.host}`;
    if (origin !== undefined && origin !== own) return refuse(req, reply);
    // Not logged in (the route sends to /login), or logging in (the login form is served before any session;
    // the Origin check above is what a login form elsewhere meets).
    if (!req.user?.csrfToken || req.routeOptions.url === '/login') return;
    const body = req.body as Record<string, unknown> | undefined;
    const sent = typeof body?.[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameToken(sent, req.user.csrfToken)) return refuse(req, reply);
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
