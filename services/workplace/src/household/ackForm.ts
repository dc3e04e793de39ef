import { ALERT_KIND, dutchMonth } from '@bijstand/documents';
import { ACK_NOTE_MAX } from '@bijstand/alerts';
import { html, type SafeHtml } from '../html.js';
import type { InboxAlert } from '../inbox.js';
import { CSRF_FIELD } from '../security.js';
import type { SessionUser } from '../sessions.js';

/**
 * "Afhandelen" with an optional note, from the inbox and the household page: the form carries the session's
 * CSRF token and the page to come back to (the same filtered, sorted, paged view), checked again on arrival.
 */
/** The session's CSRF token (as pages.ts's csrfInput: the ack form is built here, without importing the pages). */
const csrfInput = (user: SessionUser) =>
  user.csrfToken ? html`<input type="hidden" name="${CSRF_FIELD}" value="${user.csrfToken}">` : '';

export function ackForm(
  user: SessionUser,
  a: Pick<InboxAlert, 'alertId' | 'kind' | 'month'>,
  returnTo: string,
): SafeHtml {
  const what = `${ALERT_KIND[a.kind]}, ${dutchMonth(a.month)}`;
  return html`<form class="ack" method="post" action="/alerts/${encodeURIComponent(a.alertId)}/ack">${csrfInput(user)}<input type="hidden" name="returnTo" value="${returnTo}">
<label>Notitie (niet verplicht, ten hoogste ${ACK_NOTE_MAX} tekens)<textarea name="note" rows="2" maxlength="${ACK_NOTE_MAX}" aria-label="Notitie bij ${what} (niet verplicht)"></textarea></label>
<button type="submit" aria-label="Afhandelen: ${what}">Afhandelen</button></form>`;
}

/** An acknowledged alert: by whom, and the note when there is one. */
export const acknowledgedText = (a: InboxAlert): SafeHtml =>
  html`<span class="ok">afgehandeld door ${a.acknowledgedBy}</span>${a.acknowledgementNote ? html`<br><span class="note">Notitie: ${a.acknowledgementNote}</span>` : ''}`;
