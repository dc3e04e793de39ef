import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.js';
import { layout, type SessionUser } from '../pages.js';

/** How long /queues waits for Redis to answer before it says the queues are not available. */
const REDIS_ANSWER_MS = 1500;

export const NO_REDIS_TEXT = 'De wachtrijen zijn niet beschikbaar: deze werkplek draait zonder Redis';
export const REDIS_DOWN_TEXT = 'De wachtrijen zijn niet beschikbaar: Redis antwoordt niet';

export interface QueueDeps {
  redisUrl?: string | undefined;
  guard: (req: FastifyRequest, reply: FastifyReply) => SessionUser | null;
  send: (reply: FastifyReply, page: string, status?: number) => FastifyReply;
}

/**
 * /queues for the backoffice: BullMQ's board of the nightly settlement queue (read-only) when the workplace has
 * REDIS_URL; without it, or while Redis does not answer, a Dutch page that says so (never the board's JSON 404).
 */
export async function registerQueues(app: FastifyInstance, d: QueueDeps): Promise<void> {
  const unavailable = (req: FastifyRequest, reply: FastifyReply, text: string, status: number) => {
    const user = d.guard(req, reply);
    if (!user) return reply;
    const explain = d.redisUrl
      ? 'De nachtrun gebruikt de wachtrij in Redis; vraag de beheerder Redis te controleren.'
      : 'De nachtrun draait dan in het proces, zonder wachtrij; er is niets om te tonen.';
    return d.send(
      reply,
      layout(
        'Wachtrijen',
        user,
        html`<p class="error" role="alert">${text}.</p><p>${explain}</p><p><a href="/backoffice">Terug naar de backoffice</a></p>`,
      ),
      status,
    );
  };
  if (!d.redisUrl) {
    for (const url of ['/queues', '/queues/*'])
      app.get(url, async (req, reply) => unavailable(req, reply, NO_REDIS_TEXT, 404));
    return;
  }
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }, { Queue }, { NIGHTLY_QUEUE }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
    import('bullmq'),
    import('@bijstand/settlement'),
  ]);
  const url = new URL(d.redisUrl);
  const connection = {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
  const queues = [new Queue(NIGHTLY_QUEUE, { connection })];
  // Redis down is a state the page reports, not a crash: the connection's errors are answered per request.
  for (const q of queues) q.on('error', () => undefined);
  const answers = async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), REDIS_ANSWER_MS)));
    const pong = queues[0]!.client
      .then((c) => (c as unknown as { ping(): Promise<string> }).ping())
      .then(
        () => true,
        () => false,
      );
    try {
      return await Promise.race([pong, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const serverAdapter = new FastifyAdapter();
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter });
  serverAdapter.setBasePath('/queues');
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => {
      if (!d.guard(req, reply)) return reply;
      if (!(await answers())) return unavailable(req, reply, REDIS_DOWN_TEXT, 503);
      return undefined;
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: '/queues' });
  });
  app.addHook('onClose', async () => {
    // A queue whose Redis is gone may never finish closing: the workplace stops anyway.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, REDIS_ANSWER_MS)));
    await Promise.race([Promise.all(queues.map((q) => q.close())), late]);
    clearTimeout(timer);
  });
}
