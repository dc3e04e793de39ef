import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EventStore } from '@bijstand/event-store';
import { dutchInstant } from '@bijstand/documents';
import {
  ActionRefusedError,
  dismissParked,
  dismissRejected,
  InvalidActionError,
  retryParked,
  retryRejected,
  UnknownMessageError,
  type Ingestor,
} from '@bijstand/ingest';
import type { Municipalities } from '@bijstand/platform';
import { stopIfAbandoned } from '../limits.js';
import type { SessionUser } from '../pages.js';
import type { WorkplaceReadModel } from '../readModel.js';
import { messagesFor, type MessageScope } from './messages.js';
import { nightsFor, recentPaydays, rulesDecisions } from './overview.js';
import { backofficePage, OUTCOME, type BackofficeView } from './page.js';
import { registerQueues } from './queues.js';

export interface BackofficeDeps {
  store: EventStore;
  model: WorkplaceReadModel;
  now: () => string;
  asOf?: string | undefined;
  municipalities?: Municipalities | undefined;
  codeOf: (municipality: string | null | undefined) => string | null;
  /** Ingest as `./cli ingest` has it (the key, the municipalities): absent, a message can be dismissed, not retried. */
  ingestor?: Ingestor | undefined;
  redisUrl?: string | undefined;
  /** The backoffice user, or null when the guard answered (to /login, or 403 for another role). */
  guard: (req: FastifyRequest, reply: FastifyReply) => SessionUser | null;
  send: (reply: FastifyReply, page: string, status?: number) => FastifyReply;
}

/** A message's id as the page shows it (ingest's `shownId`). */
const MESSAGE_ID = /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/;
const HOUSEHOLD_ID = /^[A-Za-z0-9._-]{1,100}$/;

const reasonSchema = z.object({
  reason: z
    .string({ error: 'Vul een reden in.' })
    .trim()
    .min(1, { error: 'Vul een reden in: wat is hersteld, of waarom het bericht wordt afgewezen.' })
    .max(500, { error: 'De reden is te lang: ten hoogste 500 tekens.' }),
});

/** After an action the page says what it did: from these query parameters only (never free text from a link). */
const doneSchema = z.object({
  gedaan: z.enum(['verwerkt', 'afgewezen', 'geplaatst']),
  bericht: z.string().regex(MESSAGE_ID),
  uitkomst: z.enum(Object.keys(OUTCOME) as [string, ...string[]]).optional(),
  huishouden: z
    .string()
    .regex(HOUSEHOLD_ID)
    .refine((h) => !/\d{9}/.test(h))
    .optional(),
});

/** Ingest's refusals name instants as ISO text: the backoffice reads them in Dutch time. */
const dutchRefusal = (message: string) => {
  const text = message.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (i) => dutchInstant(i));
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/**
 * The backoffice page (runs, rules changes, rejected and parked messages, paydays) and its actions: retry or
 * dismiss a message, each recorded by ingest as an event with the logged-in user, the reason and the time.
 */
export async function registerBackofficeRoutes(app: FastifyInstance, d: BackofficeDeps): Promise<void> {
  const scope: MessageScope = { store: d.store, asOf: d.asOf, codeOf: d.codeOf };

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    user: SessionUser,
    notice?: BackofficeView['notice'],
    status = 200,
  ) => {
    await d.model.refresh();
    const nights = await nightsFor(user, d.store, d.codeOf);
    stopIfAbandoned(req);
    const messages = await messagesFor(user, scope, d.now());
    stopIfAbandoned(req);
    const view: BackofficeView = {
      households: d.model.householdStreams(),
      nights,
      rules: await rulesDecisions(d.store, user),
      messages,
      paydays: await recentPaydays(user, d.store, d.municipalities, nights[0]?.runDate),
      queues: Boolean(d.redisUrl),
      canRetry: Boolean(d.ingestor),
      ...(notice ? { notice } : {}),
    };
    return d.send(reply, backofficePage(user, view), status);
  };

  app.get('/backoffice', async (req, reply) => {
    const user = d.guard(req, reply);
    if (!user) return reply;
    const done = doneSchema.safeParse(req.query);
    if (!done.success) return render(req, reply, user);
    const { gedaan, bericht, uitkomst, huishouden } = done.data;
    const where = huishouden ? ` in huishouden ${huishouden}` : '';
    if (gedaan === 'afgewezen')
      return render(req, reply, user, { kind: 'done', text: `Bericht ${bericht} afgewezen; het wordt niet verwerkt.` });
    if (gedaan === 'geplaatst')
      return render(req, reply, user, {
        kind: 'done',
        text: `Geparkeerd bericht ${bericht} verwerkt: ${OUTCOME[uitkomst ?? 'recorded']}${where}.`,
      });
    if (uitkomst === 'rejected') {
      const again = (await messagesFor(user, scope, d.now())).open.find((r) => r.id === bericht);
      return render(req, reply, user, {
        kind: 'refused',
        text: `Bericht ${bericht} opnieuw verwerkt, maar opnieuw afgekeurd${again ? `: ${again.reasonNl}` : '.'}`,
      });
    }
    return render(req, reply, user, {
      kind: 'done',
      text: `Bericht ${bericht} opnieuw verwerkt: ${OUTCOME[uitkomst ?? 'recorded']}${where}.`,
    });
  });

  /** One action on one message: the user's scope, a reason, then ingest's function; refusals on the page. */
  const act = (
    what: 'rejected' | 'parked',
    action: 'retry' | 'dismiss',
    run: (id: string, by: { by: string; reason: string; at: string }) => Promise<Record<string, string>>,
  ) =>
    app.post(`/backoffice/${what}/:id/${action}`, async (req, reply) => {
      const user = d.guard(req, reply);
      if (!user) return reply;
      const { id } = req.params as { id: string };
      const visible = MESSAGE_ID.test(id) && (await messagesFor(user, scope, d.now())).ids.has(id);
      if (!visible) return render(req, reply, user, { kind: 'refused', text: 'Geen bericht met dit kenmerk.' }, 404);
      const reason = reasonSchema.safeParse(req.body ?? {});
      if (!reason.success)
        return render(req, reply, user, { kind: 'refused', text: reason.error.issues[0]!.message }, 400);
      if (action === 'retry' && !d.ingestor)
        return render(req, reply, user, { kind: 'refused', text: 'Opnieuw verwerken kan hier niet.' }, 409);
      try {
        // Who acts is the logged-in user, never a typed name.
        const query = await run(id, { by: user.name, reason: reason.data.reason, at: d.now() });
        return reply.redirect(`/backoffice?${new URLSearchParams({ ...query, bericht: id }).toString()}`, 303);
      } catch (err) {
        if (err instanceof ActionRefusedError)
          return render(req, reply, user, { kind: 'refused', text: dutchRefusal(err.message) }, 409);
        if (err instanceof UnknownMessageError)
          return render(req, reply, user, { kind: 'refused', text: 'Geen bericht met dit kenmerk.' }, 404);
        if (err instanceof InvalidActionError)
          return render(req, reply, user, { kind: 'refused', text: 'De reden of de naam is niet geldig.' }, 400);
        throw err;
      }
    });

  const householdOf = (outcome: object): Record<string, string> =>
    'householdId' in outcome && typeof outcome.householdId === 'string' ? { huishouden: outcome.householdId } : {};
  act('rejected', 'retry', async (id, by) => {
    const { outcome } = await retryRejected(d.store, d.ingestor!, id, by);
    return { gedaan: 'verwerkt', uitkomst: outcome.status, ...householdOf(outcome) };
  });
  act('rejected', 'dismiss', async (id, by) => {
    await dismissRejected(d.store, id, by);
    return { gedaan: 'afgewezen' };
  });
  act('parked', 'retry', async (id, by) => {
    const { outcome } = await retryParked(d.store, d.ingestor!, id, by);
    return { gedaan: 'geplaatst', uitkomst: outcome.status, ...householdOf(outcome) };
  });
  act('parked', 'dismiss', async (id, by) => {
    await dismissParked(d.store, id, by);
    return { gedaan: 'afgewezen' };
  });

  await registerQueues(app, { redisUrl: d.redisUrl, guard: d.guard, send: d.send });
}
