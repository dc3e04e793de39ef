import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ACK_NOTE_MAX } from '@bijstand/alerts';
import type { EventStore } from '@bijstand/event-store';
import { html } from './html.js';
import { acknowledge } from './inbox.js';
import { parseQuery } from './lists.js';
import { layout, type SessionUser } from './pages.js';
import type { WorkplaceReadModel } from './readModel.js';
import type { Role } from './users.js';

/**
 * The consultant's actions: "Afhandelen" with an optional note, from the inbox and the household page, back to
 * the view it came from with a confirmation shown once (a short-lived cookie, read and cleared by that page).
 */
export const FLASH_COOKIE = 'workplace_flash';
const FLASH = { ack: 'Signaal afgehandeld.' } as const;

/**
 * Where to go back to after acknowledging: only a path on this site under /inbox or /households/ (the page the
 * form was on, with its filter, sort and page); anything else (another site, `//host`, a scheme) is /inbox.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/') || /[\\\s]/.test(value))
    return '/inbox';
  let url: URL;
  try {
    url = new URL(value, 'http://workplace.invalid');
  } catch {
    return '/inbox';
  }
  if (url.origin !== 'http://workplace.invalid') return '/inbox';
  const path = url.pathname;
  if (path !== '/inbox' && !/^\/households\/[A-Za-z0-9._-]{1,100}$/.test(path)) return '/inbox';
  return `${path}${url.search}`;
}

/** The acknowledgement form's fields (the CSRF token is checked before). An empty note is no note. */
export const ackBodySchema = z.object({
  note: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() || undefined : v),
    z.string({ error: 'tekst' }).max(ACK_NOTE_MAX, `ten hoogste ${ACK_NOTE_MAX} tekens`).optional(),
  ),
  returnTo: z.unknown().optional(),
});

/** The confirmation to show once: read from the cookie and cleared in the same answer. */
export function takeFlash(req: FastifyRequest, reply: FastifyReply): string | null {
  const key = req.cookies[FLASH_COOKIE];
  if (!key) return null;
  void reply.clearCookie(FLASH_COOKIE, { path: '/' });
  return FLASH[key as keyof typeof FLASH] ?? null;
}

export interface ConsultantDeps {
  store: EventStore;
  model: WorkplaceReadModel;
  now: () => string;
  behindTls: boolean;
  guard: (req: FastifyRequest, reply: FastifyReply, roles: readonly Role[]) => SessionUser | null;
  send: (reply: FastifyReply, page: string, status?: number) => FastifyReply;
  refuseOutside: (user: SessionUser, householdId: string, view: 'acknowledge') => Promise<boolean>;
}

export function registerConsultantRoutes(app: FastifyInstance, d: ConsultantDeps): void {
  app.post('/alerts/:alertId/ack', async (req, reply) => {
    const user = d.guard(req, reply, ['consultant']);
    if (!user) return reply;
    const { alertId } = req.params as { alertId: string };
    const body = parseQuery(ackBodySchema, req.body);
    if (!body.ok)
      return d.send(
        reply,
        layout(
          'Signaal',
          user,
          html`<p class="error">${body.error.replace('‘note’', '‘notitie’')} Er is niets vastgelegd.</p>`,
        ),
        400,
      );
    // Who acknowledges is the logged-in user, never a typed name.
    await d.model.refresh();
    const { alerts, raised } = d.model.inbox();
    const householdId = alerts.find((a) => a.alertId === alertId)?.householdId;
    const outside = householdId !== undefined && (await d.refuseOutside(user, householdId, 'acknowledge'));
    const outcome = outside
      ? 'unknown'
      : await acknowledge(d.store, alertId, user.name, d.now(), user.role, raised, body.query.note);
    if (outcome === 'unknown')
      return d.send(reply, layout('Signaal', user, html`<p class="error">Dit signaal bestaat niet.</p>`), 404);
    void reply.setCookie(FLASH_COOKIE, 'ack', {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: d.behindTls,
      maxAge: 60,
    });
    return reply.redirect(safeReturnPath(body.query.returnTo), 303);
  });
}
