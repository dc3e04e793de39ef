import { ALERT_KIND, dutchDate, dutchMonth, euro } from '@bijstand/documents';
import { ackForm, acknowledgedText } from './household/ackForm.js';
import { html, type SafeHtml } from './html.js';
import type { InboxAlert, InboxFilter } from './inbox.js';
import type { Page } from './lists.js';
import type { HouseholdRow } from './readModel.js';
import { CSRF_FIELD } from './security.js';
import type { SessionUser } from './sessions.js';
import { ROLE_LABEL, type WorkplaceUser } from './users.js';

export type { SessionUser };

/** The pages' stylesheet, served as /workplace.css: the Content-Security-Policy allows no inline style. */
export const WORKPLACE_CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#111}header{background:#154273;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center}
header a{color:#fff}header form{margin-left:auto}main{padding:1rem;max-width:80rem}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;white-space:nowrap}.muted{color:#666}.ok{color:#2a7a2a}form.inline{display:inline}details{margin:.3rem 0}summary{cursor:pointer;font-weight:600}code{font-size:.85em}
.filters{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}.filters label{display:flex;flex-direction:column;font-size:.85em}.error{color:#b00}
nav.pages{margin:.5rem 0}
.scroll{overflow-x:auto;max-width:100%}article.message{border:1px solid #ccc;padding:.5rem 1rem;margin:.5rem 0}article.message dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}article.message dd{margin:0;overflow-wrap:anywhere}form.action{margin:.5rem 0}form.action input{max-width:100%;width:24rem}`;

export function layout(title: string, user: SessionUser | null, body: SafeHtml): string {
  const nav = user
    ? html`${user.role !== 'objection-handler' ? html`<a href="/inbox">Signalen</a>` : ''}${user.role !== 'backoffice' ? html`<a href="/households">Huishoudens</a>` : ''}${user.role === 'backoffice' ? html`<a href="/backoffice">Backoffice</a>` : ''}
<form method="post" action="/logout">${csrfInput(user)}<span>${user.name} (${ROLE_LABEL[user.role]})</span> <button type="submit">Afmelden</button></form>`
    : '';
  return html`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${title} · Werkplek bijstand</title><link rel="stylesheet" href="/workplace.css"></head>
<body><a class="skip" href="#inhoud">Naar de inhoud</a><header><strong>Werkplek bijstand</strong>${nav}</header><main id="inhoud" tabindex="-1"><h1>${title}</h1>${body}</main></body></html>`
    .value;
}

/** The session's CSRF token, in every form that changes something. */
export const csrfInput = (user: SessionUser) =>
  user.csrfToken ? html`<input type="hidden" name="${CSRF_FIELD}" value="${user.csrfToken}">` : '';

export function loginPage(error?: string): string {
  return layout(
    'Aanmelden',
    null,
    html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}<form method="post" action="/login">
<p><label>Naam <input name="name" autocomplete="username" required></label></p>
<p><label>Wachtwoord <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Aanmelden</button></p></form>`,
  );
}

export interface MunicipalityChoice {
  code: string;
  name: string;
}

const option = (value: string, label: string, selected: string | undefined) =>
  html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;

/** The municipality filter of a deployment of several (nothing for one). */
const municipalitySelect = (choices: readonly MunicipalityChoice[], selected: string | undefined) =>
  choices.length === 0
    ? ''
    : html`<label>Gemeente <select name="municipality">${option('', 'alle', selected)}${choices.map((c) => option(c.code, `${c.name} (${c.code})`, selected))}</select></label>`;

const INBOX_SORT_LABEL = {
  newest: 'nieuwste eerst',
  priority: 'voorrang (onder het minimum eerst)',
  oldest: 'oudste eerst',
  household: 'huishouden',
  amount: 'hoogste bedrag',
};
const HOUSEHOLD_SORT_LABEL = {
  registered: 'volgorde van aanmelding',
  id: 'kenmerk',
  start: 'nieuwste zaak eerst',
  ledger: 'grootste vordering eerst',
  alerts: 'meeste open signalen',
};
const sortSelect = (labels: Record<string, string>, selected: string | undefined) =>
  html`<label>Sorteren <select name="sort">${Object.entries(labels).map(([k, l]) =>
    option(k, l, selected ?? Object.keys(labels)[0]),
  )}</select></label>`;

/** One page of the inbox: `page.matched` alerts match the filter, `total` are in the inbox. */
export function inboxPage(
  user: SessionUser,
  page: Page<InboxAlert>,
  filter: InboxFilter & { sort?: string },
  total: number,
  municipalities: readonly MunicipalityChoice[] = [],
  pager: SafeHtml | string = '',
  /** This view's own address (acknowledging comes back to it) and a confirmation to show once. */
  view: { returnTo?: string; flash?: string | null } = {},
): string {
  const alerts = page.items;
  const returnTo = view.returnTo ?? '/inbox';
  const form = html`<form class="filters" method="get" action="/inbox">${municipalitySelect(municipalities, filter.municipality)}
<label>Soort <select name="kind">${option('', 'alle', filter.kind)}${Object.entries(ALERT_KIND).map(([k, l]) => option(k, l, filter.kind))}</select></label>
<label>Maand <input name="month" type="month" value="${filter.month ?? ''}"></label>
<label>Huishouden <input name="household" value="${filter.household ?? ''}"></label>
<label>Status <select name="state">${option('open', 'open', filter.state ?? 'open')}${option('acknowledged', 'afgehandeld', filter.state ?? 'open')}${option('all', 'alle', filter.state ?? 'open')}</select></label>
${sortSelect(INBOX_SORT_LABEL, filter.sort)}<button type="submit">Filter</button></form>`;
  const rows = alerts.map(
    (
      a,
    ) => html`<tr data-alert="${a.alertId}"><td data-label="signaal">${ALERT_KIND[a.kind]}</td><td data-label="huishouden"><a href="/households/${encodeURIComponent(a.householdId)}">${a.householdId}</a></td><td data-label="maand">${dutchMonth(a.month)}</td><td class="num" data-label="bedrag">${a.amount ? euro(a.amount) : ''}</td><td data-label="gegeven op">${dutchDate(a.raisedOn)}</td><td class="muted" data-label="waarom">${a.reason}</td>
<td data-label="status">${
      a.acknowledgedBy ? acknowledgedText(a) : user.role === 'consultant' ? ackForm(user, a, returnTo) : 'open'
    }</td></tr>`,
  );
  return layout(
    'Signalen',
    user,
    html`${view.flash ? html`<p class="ok flash" role="status">${view.flash}</p>` : ''}${form}<p>${page.matched} van ${total} signalen.</p>${pager}<div class="scroll"><table class="alerts"><thead><tr><th>signaal</th><th>huishouden</th><th>maand</th><th>bedrag</th><th>gegeven op</th><th>waarom</th><th>status</th></tr></thead><tbody>${rows}</tbody></table></div>${pager}`,
  );
}

/** One page of the household list, with its filters (municipality in a deployment of several, case state, sort). */
export function householdsPage(
  user: SessionUser,
  page: Page<HouseholdRow>,
  filter: { municipality?: string; state?: string; sort?: string; choices?: readonly MunicipalityChoice[] } = {},
  pager: SafeHtml | string = '',
): string {
  const state = filter.state ?? 'all';
  const states = [
    option('all', 'alle', state),
    option('running', 'lopend', state),
    option('ended', 'beëindigd', state),
  ];
  const form = html`<form class="filters" method="get" action="/households">${municipalitySelect(filter.choices ?? [], filter.municipality)}
<label>Zaak <select name="state">${states}</select></label>
${sortSelect(HOUSEHOLD_SORT_LABEL, filter.sort)}<button type="submit">Filter</button></form>`;
  return layout(
    'Huishoudens',
    user,
    html`${form}<p>${page.matched} huishoudens.</p>${pager}<table><thead><tr><th>huishouden</th><th>bijstand vanaf</th><th>tot</th><th>saldo</th><th>open signalen</th></tr></thead><tbody>${page.items.map(
      (h) =>
        html`<tr><td><a href="/households/${encodeURIComponent(h.id)}">${h.id}</a></td><td>${h.start ? dutchDate(h.start) : ''}</td><td>${h.end ? dutchDate(h.end) : 'lopend'}</td><td class="num">${euro(h.ledger)}</td><td class="num">${h.alertsOpen}</td></tr>`,
    )}</tbody></table>${pager}`,
  );
}

export const startPageOf = (user: Pick<WorkplaceUser, 'role'>): string =>
  user.role === 'backoffice' ? '/backoffice' : user.role === 'objection-handler' ? '/households' : '/inbox';
