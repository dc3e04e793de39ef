import { ALERT_KIND, alertReasonNl, dutchDate, dutchMonth, euro } from '@bijstand/documents';
import { ackForm, acknowledgedText } from './household/ackForm.js';
import { html, raw, type SafeHtml } from './html.js';
import type { InboxAlert, InboxFilter } from './inbox.js';
import type { Page } from './lists.js';
import type { HouseholdRow } from './readModel.js';
import { UTRECHT_CSS_PATH } from './design/assets.js';
import { CSRF_FIELD } from './security.js';
import type { SessionUser } from './sessions.js';
import { ROLE_LABEL, type WorkplaceUser } from './users.js';

export type { SessionUser };

/**
 * What the NL Design System (served as /assets/utrecht.css, see design/assets.ts) leaves to the workplace:
 * the header's layout and colour, the filters, and the narrow screen (390 px): the header wraps, a wide table
 * scrolls inside itself, not the page. Served as /workplace.css: the Content-Security-Policy allows no inline style.
 */
export const WORKPLACE_CSS = `body{margin:0}.utrecht-page-header{background:#154273;color:#fff;padding:.5rem 1rem}
header nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.utrecht-html .utrecht-page-header a,.utrecht-html .utrecht-page-header a:visited{color:#fff}
header form{margin-left:auto;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}main{padding:1rem;max-width:80rem}
.scroll{max-width:100%;overflow-x:auto;margin:.5rem 0 1rem}th,td{vertical-align:top}td.num{text-align:right;white-space:nowrap}
.muted{color:#595959}.ok{color:#1d6b1d}form.inline{display:inline}details{margin:.3rem 0}summary{cursor:pointer;font-weight:600}
code{font-size:.85em;overflow-wrap:anywhere}.filters{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}
.filters label{display:flex;flex-direction:column;font-size:.85em}.error{color:#b00}nav.pages{margin:.5rem 0}
.utrecht-skip-link{position:absolute;left:.5rem;top:-4rem}.utrecht-skip-link:focus{top:.5rem;z-index:1}
main svg{max-width:100%;height:auto}textarea{width:100%;max-width:40rem;box-sizing:border-box}
input,select,textarea,button{font:inherit;max-width:100%}
article.message{border:1px solid #ccc;padding:.5rem 1rem;margin:.5rem 0}article.message dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
article.message dd{margin:0;overflow-wrap:anywhere}form.action{margin:.5rem 0}form.action input{max-width:100%;width:24rem}`;

/**
 * Every table in a box of its own that scrolls sideways (a phone shows a wide table without the page scrolling),
 * focusable so that a keyboard can scroll it too (WCAG 2.1.1). Page bodies are escaped HTML: a literal "<table"
 * is only ever a tag.
 */
const scrollingTables = (body: string): string =>
  body
    .replace(/<table\b/g, '<div class="scroll" tabindex="0" role="region" aria-label="Tabel"><table')
    .replace(/<\/table>/g, '</table></div>');

/** Each page: the design system's theme on <html>, a skip link, the header that wraps, the content under #inhoud. */
export function layout(title: string, user: SessionUser | null, body: SafeHtml): string {
  const nav = user
    ? html`${user.role !== 'objection-handler' ? html`<a href="/inbox">Signalen</a>` : ''}${user.role !== 'backoffice' ? html`<a href="/households">Huishoudens</a>` : ''}${user.role === 'backoffice' ? html`<a href="/backoffice">Backoffice</a>` : ''}
<form method="post" action="/logout">${csrfInput(user)}<span>${user.name} (${ROLE_LABEL[user.role]})</span> <button type="submit">Afmelden</button></form>`
    : '';
  return html`<!doctype html><html lang="nl" class="utrecht-theme utrecht-html"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Werkplek bijstand</title><link rel="stylesheet" href="${UTRECHT_CSS_PATH}"><link rel="stylesheet" href="/workplace.css"></head>
<body><a class="utrecht-skip-link" href="#inhoud">Naar de inhoud</a><header class="utrecht-page-header"><nav aria-label="Werkplek"><strong>Werkplek bijstand</strong>${nav}</nav></header><main id="inhoud" tabindex="-1"><h1>${title}</h1>${raw(scrollingTables(body.value))}</main></body></html>`
    .value;
}

/** The session's CSRF token, in every form that changes something. */
export const csrfInput = (user: SessionUser) =>
  user.csrfToken ? html`<input type="hidden" name="${CSRF_FIELD}" value="${user.csrfToken}">` : '';

export function loginPage(error?: string): string {
  return layout(
    'Aanmelden',
    null,
    html`${error ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><p>${error}</p></div>` : ''}<form method="post" action="/login">
<p><label>Naam <input name="name" autocomplete="username" required></label></p>
<p><label>Wachtwoord <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button class="utrecht-button utrecht-button--primary-action" type="submit">Aanmelden</button></p></form>`,
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
    ) => html`<tr data-alert="${a.alertId}"><td data-label="signaal">${ALERT_KIND[a.kind]}</td><td data-label="huishouden"><a href="/households/${encodeURIComponent(a.householdId)}">${a.householdId}</a></td><td data-label="maand">${dutchMonth(a.month)}</td><td class="num" data-label="bedrag">${a.amount ? euro(a.amount) : ''}</td><td data-label="gegeven op">${dutchDate(a.raisedOn)}</td><td class="muted" data-label="waarom">${alertReasonNl(a)}</td>
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
  filter: {
    municipality?: string;
    household?: string;
    state?: string;
    sort?: string;
    choices?: readonly MunicipalityChoice[];
  } = {},
  pager: SafeHtml | string = '',
): string {
  const state = filter.state ?? 'all';
  const states = [
    option('all', 'alle', state),
    option('running', 'lopend', state),
    option('ended', 'beëindigd', state),
  ];
  const form = html`<form class="filters" method="get" action="/households">${municipalitySelect(filter.choices ?? [], filter.municipality)}
<label>Zoek op kenmerk <input name="household" type="search" value="${filter.household ?? ''}"></label>
<label>Zaak <select name="state">${states}</select></label>
${sortSelect(HOUSEHOLD_SORT_LABEL, filter.sort)}<button class="utrecht-button utrecht-button--primary-action" type="submit">Filter</button></form>`;
  return layout(
    'Huishoudens',
    user,
    html`${form}<p>${page.matched} huishoudens. Saldo: positief is nog te betalen aan het huishouden, negatief is een vordering op het huishouden.</p>${pager}<table><thead><tr><th>huishouden</th><th>bijstand vanaf</th><th>tot</th><th>saldo</th><th>open signalen</th></tr></thead><tbody>${page.items.map(
      (h) =>
        html`<tr><td><a href="/households/${encodeURIComponent(h.id)}">${h.id}</a></td><td>${h.start ? dutchDate(h.start) : ''}</td><td>${h.end ? dutchDate(h.end) : 'lopend'}</td><td class="num">${euro(h.ledger)}</td><td class="num">${h.alertsOpen}</td></tr>`,
    )}</tbody></table>${pager}`,
  );
}

export const startPageOf = (user: Pick<WorkplaceUser, 'role'>): string =>
  user.role === 'backoffice' ? '/backoffice' : user.role === 'objection-handler' ? '/households' : '/inbox';
