import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { EventStore } from '@bijstand/event-store';
import { ConfigurationError, loadHousehold, maskBsnRuns, type Municipalities } from '@bijstand/platform';
import { letterToHtml, monthSummariesOf, type LetterContact } from '@bijstand/documents';
import { loadCaseFile, MonthNotDecidedError, residentLetterOf } from '@bijstand/replay';
import type { Ingestor } from '@bijstand/ingest';
import { recordAccessRefused, recordHouseholdView, type HouseholdView } from './access.js';
import { registerAuth } from './auth.js';
import { registerDesignAssets } from './design/assets.js';
import { registerErrorPages } from './errors.js';
import { registerObjectionRoutes } from './objection/routes.js';
import { mayOpen } from './scope.js';
import { registerCsrfCheck, registerSecurityHeaders, securityHeaders } from './security.js';
import { DEFAULT_SESSION_LIMITS, SessionStore, type SessionLimits } from './sessions.js';
import { MIN_SESSION_SECRET_BYTES } from './settings.js';
import { DEFAULT_THROTTLE_LIMITS, LoginThrottle, type ThrottleLimits } from './throttle.js';
import { registerConsultantRoutes, takeFlash } from './consultant.js';
import { CONSULTANT_CSS, householdPage } from './household/householdPage.js';
import type { InboxAlert } from './inbox.js';
import { DEFAULT_LIMITS, stopIfAbandoned, type RequestLimits } from './limits.js';
import { LoadShedder } from './loadShedder.js';
import {
  householdList,
  householdsQuerySchema,
  inboxList,
  inboxQuerySchema,
  pager,
  parseQuery,
  SortedCache,
} from './lists.js';
import { WorkplaceReadModel, type HouseholdRow } from './readModel.js';
import { householdsPage, inboxPage, layout, startPageOf, WORKPLACE_CSS, type SessionUser } from './pages.js';
import { html } from './html.js';
import { registerBackofficeRoutes } from './backoffice/routes.js';
import type { Role, WorkplaceUser } from './users.js';

export interface WorkplaceOptions {
  store: EventStore;
  users: readonly WorkplaceUser[];
  sessionSecret: string;
  contact: LetterContact;
  /** When set, the backoffice shows the BullMQ queues (Bull Board) under /queues. */
  redisUrl?: string;
  /**
   * Ingest as `./cli ingest` runs it (this store, the pseudonym key, the deployment's municipalities): the
   * backoffice's retry of a rejected or parked message goes through it. Without it a message can be dismissed.
   */
  ingestor?: Ingestor;
  now?: () => string;
  /** Show households as the store stood at this instant (tests); default: as it stands. */
  asOf?: string;
  /** Idle and absolute session timeouts (default 30 minutes and 8 hours). */
  sessionLimits?: SessionLimits;
  /** Wrong passwords allowed per user name and per address, and the lockout (default 5 and 30 a minute). */
  throttleLimits?: ThrottleLimits;
  /** Milliseconds since the epoch for sessions and login throttling (tests move it); default Date.now. */
  clock?: () => number;
  /** Behind a TLS-terminating proxy (`--behind-tls`): `Secure` cookies and HSTS. */
  behindTls?: boolean;
  /** Fastify's trustProxy: the proxies whose X-Forwarded-For/-Proto are believed (WORKPLACE_TRUSTED_PROXY). */
  trustProxy?: string;
  /** Where an internal error's detail goes, under the reference the user sees (default stderr). */
  log?: (line: string) => void;
  /** The deployment's municipalities: the inbox and household list filter by one (`?municipality=GM0106`). */
  municipalities?: Municipalities;
  /** Requests worked on at once, the handler deadline, Retry-After (defaults in limits.ts). */
  limits?: Partial<RequestLimits>;
}

const HOUSEHOLD_ID = /^[A-Za-z0-9._-]{1,100}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MUNICIPALITY = /^GM\d{4}$/;

/** Which role may open what. */
const MAY = {
  inbox: ['consultant', 'backoffice'],
  acknowledge: ['consultant'],
  households: ['consultant', 'objection-handler'],
  backoffice: ['backoffice'],
} satisfies Record<string, Role[]>;

export async function buildWorkplace(o: WorkplaceOptions): Promise<FastifyInstance> {
  const now = o.now ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (Buffer.byteLength(o.sessionSecret, 'utf8') < MIN_SESSION_SECRET_BYTES)
    throw new ConfigurationError(`WORKPLACE_SESSION_SECRET: must be at least ${MIN_SESSION_SECRET_BYTES} bytes`);
  const shedder = new LoadShedder({ ...DEFAULT_LIMITS, ...o.limits }, securityHeaders(o.behindTls ?? false));
  const app = Fastify({
    logger: false,
    ...shedder.fastifyOptions(),
    ...(o.trustProxy ? { trustProxy: o.trustProxy } : {}),
  });
  await app.register(formbody);
  shedder.register(app);
  registerSecurityHeaders(app, o.behindTls ?? false);
  registerErrorPages(app, (title, body) => layout(title, null, body), o.log ?? ((line) => process.stderr.write(line)));
  // The inbox and the household list come from the read model, caught up at every request (readModel.ts).
  const model = new WorkplaceReadModel(o.store, o.asOf);
  await model.refresh();
  const [inboxSorted, householdsSorted] = [new SortedCache<InboxAlert>(), new SortedCache<HouseholdRow>()];
  const sessions = new SessionStore(o.sessionLimits ?? DEFAULT_SESSION_LIMITS, o.clock);
  const throttle = new LoginThrottle(o.throttleLimits ?? DEFAULT_THROTTLE_LIMITS, o.clock);
  await registerAuth(app, {
    users: o.users,
    sessionSecret: o.sessionSecret,
    sessions,
    throttle,
    behindTls: o.behindTls ?? false,
    send: (reply, page, status) => send(reply, page, status),
  });
  registerCsrfCheck(app, o.behindTls ?? false, (req, reply) =>
    send(
      reply,
      layout(
        'Geen toegang',
        req.user,
        html`<p class="error">Dit formulier komt niet van deze werkplek; er is niets vastgelegd.</p>`,
      ),
      403,
    ),
  );
  app.get('/workplace.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').send(WORKPLACE_CSS + CONSULTANT_CSS),
  );
  registerDesignAssets(app);

  /** `?municipality=GMxxxx`: the code and the filter on a household's CaseOpened.municipality (the default resolved). */
  const municipalityOf = (q: { municipality?: string | undefined }) => {
    const code = q.municipality && MUNICIPALITY.test(q.municipality) ? q.municipality : undefined;
    if (!code) return undefined;
    return {
      code,
      belongsTo: o.municipalities ? o.municipalities.belongsTo(code) : (m: string | null | undefined) => m === code,
    };
  };
  const municipalityChoices = (user: SessionUser) =>
    o.municipalities?.mode === 'multi'
      ? [...o.municipalities.byCode.values()]
          .filter((m) => mayOpen(user, m.code))
          .map((m) => ({ code: m.code!, name: m.name }))
      : [];

  /**
   * The code a household belongs to: its own, else the deployment's default; null in a deployment of one
   * municipality, which settles every household whatever its CaseOpened says (so every user sees it).
   */
  const codeOf = (municipality: string | null | undefined) =>
    o.municipalities?.mode === 'single'
      ? null
      : o.municipalities
        ? o.municipalities.codeOf(municipality)
        : (municipality ?? null);
  /** A household outside the user's municipalities is shown as unknown, and the refusal is logged. */
  const refuseOutside = async (user: SessionUser, householdId: string, view: HouseholdView | 'acknowledge') => {
    const code = codeOf((await loadHousehold(o.store, householdId, o.asOf)).state.municipality);
    if (mayOpen(user, code)) return false;
    await recordAccessRefused(o.store, {
      user: user.name,
      role: user.role,
      householdId,
      view,
      reason: 'other-municipality',
      at: now(),
    });
    return true;
  };

  /** The contact a household's documents carry: its own municipality's name in a deployment of several. */
  const contactOf = async (householdId: string): Promise<LetterContact> => {
    if (o.municipalities?.mode !== 'multi') return o.contact;
    const code = (await loadHousehold(o.store, householdId, o.asOf)).state.municipality;
    const own = o.municipalities.byCode.get(o.municipalities.codeOf(code) ?? '');
    return { ...o.contact, municipality: own?.name ?? o.contact.municipality };
  };

  // Every page passes maskBsnRuns: household ids and reasons from other systems are not trusted to be free of BSNs.
  const send = (reply: FastifyReply, page: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(maskBsnRuns(page));
  /** The user when their role may; otherwise the login page (not logged in) or 403. */
  const guard = (req: FastifyRequest, reply: FastifyReply, roles: readonly Role[]): SessionUser | null => {
    if (!req.user) {
      void reply.redirect(`/login`, 303);
      return null;
    }
    if (!roles.includes(req.user.role)) {
      void send(reply, layout('Geen toegang', req.user, html`<p>Uw rol heeft geen toegang tot deze pagina.</p>`), 403);
      return null;
    }
    return req.user;
  };

  app.get('/', async (req, reply) => reply.redirect(req.user ? startPageOf(req.user) : '/login', 303));

  app.get('/inbox', async (req, reply) => {
    const user = guard(req, reply, MAY.inbox);
    if (!user) return reply;
    const q = parseQuery(inboxQuerySchema, req.query);
    if (!q.ok) return send(reply, layout('Signalen', user, html`<p class="error">${q.error}</p>`), 400);
    await model.refresh();
    stopIfAbandoned(req);
    const visible = (m: string | null) => mayOpen(user, codeOf(m));
    const only = municipalityOf(q.query)?.belongsTo;
    const { page, total, filter } = inboxList(model, inboxSorted, q.query, only, visible);
    const links = pager('/inbox', q.query, page);
    const choices = municipalityChoices(user);
    const view = { returnTo: req.url, flash: takeFlash(req, reply) };
    return send(reply, inboxPage(user, page, { ...filter, sort: q.query.sort }, total, choices, links, view));
  });

  registerConsultantRoutes(app, {
    store: o.store,
    model,
    now,
    behindTls: o.behindTls ?? false,
    guard,
    send,
    refuseOutside,
  });

  app.get('/households', async (req, reply) => {
    const user = guard(req, reply, MAY.households);
    if (!user) return reply;
    const q = parseQuery(householdsQuerySchema, req.query);
    if (!q.ok) return send(reply, layout('Huishoudens', user, html`<p class="error">${q.error}</p>`), 400);
    await model.refresh();
    stopIfAbandoned(req);
    const only = municipalityOf(q.query);
    const visible = (m: string | null) => mayOpen(user, codeOf(m));
    const page = householdList(model, householdsSorted, q.query, only?.belongsTo, visible);
    const filter = { ...q.query, ...(only ? { municipality: only.code } : {}), choices: municipalityChoices(user) };
    return send(reply, householdsPage(user, page, filter, pager('/households', q.query, page)));
  });

  /** Loads the household for a view and records the access (who, when, which household, which view). */
  const openHousehold = async (req: FastifyRequest, reply: FastifyReply, view: HouseholdView) => {
    const user = guard(req, reply, MAY.households);
    if (!user) return null;
    const { id } = req.params as { id: string };
    const at = now();
    // An id with a run of nine digits could be a BSN typed into the URL: ingest refuses such ids, so it is unknown.
    const file = HOUSEHOLD_ID.test(id) && !/\d{9}/.test(id) ? await loadCaseFile(o.store, id, o.asOf) : null;
    stopIfAbandoned(req);
    if (!file || (await refuseOutside(user, id, view))) {
      void send(reply, layout('Huishouden', user, html`<p class="error">Geen huishouden met dit kenmerk.</p>`), 404);
      return null;
    }
    await recordHouseholdView(o.store, { user: user.name, role: user.role, householdId: id, view, at });
    return { user, file };
  };

  app.get('/households/:id', async (req, reply) => {
    const opened = await openHousehold(req, reply, 'household');
    if (!opened) return reply;
    await model.refresh();
    const { events } = await loadHousehold(o.store, opened.file.householdId, o.asOf);
    const summaries = monthSummariesOf(opened.file.householdId, opened.file.asOf, events);
    const alerts = model.alertsOf(opened.file.householdId);
    const flash = takeFlash(req, reply);
    return send(reply, householdPage(opened.user, { file: opened.file, alerts, summaries, flash }));
  });
  await registerObjectionRoutes(app, {
    store: o.store,
    municipalities: o.municipalities,
    openHousehold,
    contactOf,
    send,
    now,
    asOf: o.asOf,
  });
  app.get('/households/:id/letter', async (req, reply) => {
    const month = (req.query as { month?: string }).month;
    if (!month || !MONTH.test(month)) return reply.code(400).type('text/plain').send('month=YYYY-MM is required');
    const opened = await openHousehold(req, reply, 'letter');
    if (!opened) return reply;
    if (!o.municipalities)
      return reply.code(409).type('text/plain').send('letters need MUNICIPALITY_CONFIG with a letters block');
    try {
      const request = { month, asOf: o.asOf };
      return send(
        reply,
        letterToHtml(await residentLetterOf(o.store, opened.file.householdId, o.municipalities, request)),
      );
    } catch (err) {
      // A month not decided, or a municipality without its letters block: said as it is, not a server error.
      if (err instanceof MonthNotDecidedError || err instanceof ConfigurationError)
        return reply.code(409).type('text/plain').send(err.message);
      throw err;
    }
  });

  await registerBackofficeRoutes(app, {
    ...o,
    model,
    now,
    codeOf,
    guard: (req, reply) => guard(req, reply, MAY.backoffice),
    send,
  });
  return app;
}
