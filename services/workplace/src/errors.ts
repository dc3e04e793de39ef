import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { maskBsnRuns } from '@bijstand/platform';
import { html, type SafeHtml } from './html.js';

/**
 * What a failure looks like to the user: a Dutch page with a reference, never a driver's message
 * (`SQLITE_FULL …`) or fastify's JSON. The detail goes to `log` (stderr in `cli serve`) under the
 * same reference, BSN-like runs masked. An unknown path gets the same page as an unknown household.
 */
export function registerErrorPages(
  app: FastifyInstance,
  page: (title: string, body: SafeHtml) => string,
  log: (line: string) => void,
): void {
  const send = (reply: FastifyReply, status: number, body: SafeHtml) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(maskBsnRuns(page('Werkplek bijstand', body)));
  app.setNotFoundHandler((_req, reply) => send(reply, 404, html`<p class="error">Deze pagina bestaat niet.</p>`));
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500)
      return send(reply, status, html`<p class="error">Dit verzoek kan de werkplek niet verwerken.</p>`);
    const reference = randomBytes(4).toString('hex').toUpperCase();
    log(maskBsnRuns(`workplace error ${reference} on ${req.method} ${req.url}: ${err.stack ?? err.message}\n`));
    return send(
      reply,
      500,
      html`<p class="error">Er ging iets mis in de werkplek.</p>
<p>Probeer het later opnieuw. Meld het aan de beheerder met kenmerk <strong>${reference}</strong>.</p>`,
    );
  });
}
