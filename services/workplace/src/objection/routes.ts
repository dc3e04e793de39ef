import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { EventStore } from '@bijstand/event-store';
import { parseAsOf, type Municipalities } from '@bijstand/platform';
import type { CaseFile, LetterContact } from '@bijstand/documents';
import type { HouseholdView } from '../access.js';
import { html } from '../html.js';
import { layout, type SessionUser } from '../pages.js';
import { objectionFileOf } from './file.js';
import { objectionPage } from './page.js';
import { WhatIfDrafts } from './drafts.js';
import { PdfBusyError, PdfPrinter } from './pdf.js';

/** A what-if's NDJSON, pasted or uploaded: at most 1 MB, as a file `replay --with` reads. */
export const WHAT_IF_MAX_BYTES = 1024 * 1024;
/** Seconds a refused PDF request is asked to wait: a print takes a few seconds. */
const PDF_RETRY_AFTER = 5;

export interface ObjectionDeps {
  store: EventStore;
  municipalities: Municipalities | undefined;
  /** The guard, the scoping check and the access log of a household view (server.ts); null when refused. */
  openHousehold: (
    req: FastifyRequest,
    reply: FastifyReply,
    view: HouseholdView,
  ) => Promise<{ user: SessionUser; file: CaseFile } | null>;
  contactOf: (householdId: string) => Promise<LetterContact>;
  send: (reply: FastifyReply, page: string, status?: number) => FastifyReply;
  now: () => string;
  /** The workplace's own as-of (tests): no date after it may be picked. */
  asOf?: string | undefined;
  printer?: PdfPrinter;
  /** Milliseconds since the epoch, for how long a what-if's PDF can be asked for (default Date.now). */
  clock?: () => number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const asOfQuery = z.object({ asOf: z.string().regex(DATE).optional() }).strict();
const whatIfBody = z.object({
  _csrf: z.string().optional(),
  asOf: z.string().regex(DATE),
  facts: z.string().max(WHAT_IF_MAX_BYTES).optional(),
  file: z.instanceof(Buffer).optional(),
  /** The PDF of a what-if computed before: its key (drafts.ts) instead of the text. */
  draft: z.string().max(100).optional(),
});

const ASOF_RULE = 'asOf: een datum JJJJ-MM-DD (het eind van die dag, Europe/Amsterdam)';

/**
 * The objection handler's pages (issue #24): the objection file as of a date, a what-if that is computed in
 * memory and never stored, and the file as PDF. Consultants and objection handlers (MAY.households), scoped to
 * their municipalities and logged through `openHousehold`.
 */
export async function registerObjectionRoutes(app: FastifyInstance, d: ObjectionDeps): Promise<void> {
  const printer = d.printer ?? new PdfPrinter();
  const drafts = new WhatIfDrafts(d.clock ?? Date.now);
  /** The last date that may be picked: the workplace's as-of, else today (Europe/Amsterdam's date is close enough). */
  const maxDate = () => (d.asOf ?? d.now()).slice(0, 10);
  const refuse = (reply: FastifyReply, user: SessionUser | null, message: string, status = 400) =>
    d.send(reply, layout('Dossier voor bezwaar', user, html`<p class="error" role="alert">${message}</p>`), status);

  /** The picked date as an instant; a date after the workplace's as-of stands at the workplace's as-of. */
  const instantOf = (date: string): string | null => {
    const parsed = parseAsOf(date);
    if (!parsed.ok) return null;
    const limit = d.asOf ?? d.now();
    return Date.parse(parsed.value) > Date.parse(limit) ? limit : parsed.value;
  };

  const fileFor = async (householdId: string, date: string, whatIf?: string) =>
    objectionFileOf(d.store, d.municipalities, {
      householdId,
      asOf: instantOf(date)!,
      issuedOn: d.now().slice(0, 10),
      municipality: (await d.contactOf(householdId)).municipality,
      ...(whatIf !== undefined ? { whatIf } : {}),
    });

  const sendPdf = async (reply: FastifyReply, user: SessionUser, doc: Parameters<PdfPrinter['render']>[0]) => {
    try {
      const pdf = await printer.render(doc);
      const name = `dossier-bezwaar-${doc.reference ?? 'huishouden'}.pdf`.replace(/[^A-Za-z0-9._-]/g, '-');
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}"`).send(pdf);
    } catch (err) {
      if (!(err instanceof PdfBusyError)) throw err;
      reply.header('retry-after', String(PDF_RETRY_AFTER));
      return refuse(reply, user, 'Er wordt al een PDF gemaakt. Probeer het over een paar seconden opnieuw.', 503);
    }
  };

  const asOfOf = (req: FastifyRequest) => asOfQuery.safeParse(req.query);
  /** Not logged in: the login page first, whatever the form said (openHousehold does the rest of the guard). */
  const anonymous = (req: FastifyRequest, reply: FastifyReply) =>
    !req.user && (void reply.redirect('/login', 303), true);

  app.get('/households/:id/report', async (req, reply) => {
    if (anonymous(req, reply)) return reply;
    const q = asOfOf(req);
    if (!q.success || (q.data.asOf && !instantOf(q.data.asOf))) return refuse(reply, req.user ?? null, ASOF_RULE);
    const opened = await d.openHousehold(req, reply, 'objection-report');
    if (!opened) return reply;
    const date = q.data.asOf ?? maxDate();
    const file = await fileFor(opened.file.householdId, date);
    return d.send(
      reply,
      objectionPage(opened.user, {
        householdId: opened.file.householdId,
        asOfDate: date,
        maxDate: maxDate(),
        doc: file.doc,
      }),
    );
  });

  app.get('/households/:id/report.pdf', async (req, reply) => {
    if (anonymous(req, reply)) return reply;
    const q = asOfOf(req);
    if (!q.success || (q.data.asOf && !instantOf(q.data.asOf))) return refuse(reply, req.user ?? null, ASOF_RULE);
    const opened = await d.openHousehold(req, reply, 'objection-pdf');
    if (!opened) return reply;
    const file = await fileFor(opened.file.householdId, q.data.asOf ?? maxDate());
    return sendPdf(reply, opened.user, file.doc);
  });

  // The what-if form is multipart (a file may be uploaded); the parser is registered for these routes only.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: WHAT_IF_MAX_BYTES, fieldSize: WHAT_IF_MAX_BYTES, files: 1, fields: 6, parts: 8 },
    });
    scope.post('/households/:id/report/what-if', async (req, reply) => {
      if (anonymous(req, reply)) return reply;
      const body = whatIfBody.safeParse(req.body);
      if (!body.success || !instantOf(body.data.asOf)) {
        const field = body.success ? 'asOf' : String(body.error.issues[0]?.path[0] ?? 'formulier');
        const message =
          field === 'facts' || field === 'file'
            ? 'De gewijzigde gegevens: ten hoogste 1 MB, als tekst (NDJSON).'
            : field === 'asOf'
              ? ASOF_RULE
              : `Het formulier is niet volledig (${field}).`;
        return refuse(reply, req.user ?? null, message);
      }
      const upload = body.data.file && body.data.file.length > 0 ? body.data.file.toString('utf8') : '';
      const text = upload || body.data.facts || '';
      if (!body.data.draft && text.trim() === '')
        return refuse(
          reply,
          req.user ?? null,
          'Plak de gewijzigde gegevens of kies een bestand: er is niets meegegeven.',
        );
      const opened = await d.openHousehold(req, reply, body.data.draft ? 'objection-pdf' : 'objection-what-if');
      if (!opened) return reply;
      const id = opened.file.householdId;
      if (body.data.draft) {
        const draft = drafts.find(body.data.draft, opened.user.name, id);
        if (!draft) return refuse(reply, opened.user, 'Deze wat-als-berekening is verlopen: bereken hem opnieuw.', 410);
        return sendPdf(reply, opened.user, (await fileFor(id, draft.asOfDate, draft.text)).doc);
      }
      const file = await fileFor(id, body.data.asOf, text);
      const draft = drafts.keep({ user: opened.user.name, householdId: id, asOfDate: body.data.asOf, text });
      const whatIf = { draft, taken: file.facts.length, rejected: file.rejected };
      const page = { householdId: id, asOfDate: body.data.asOf, maxDate: maxDate(), doc: file.doc, whatIf };
      return d.send(reply, objectionPage(opened.user, page));
    });
  });
}
