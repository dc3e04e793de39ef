import { legalRefText, type TraceStep } from '@bijstand/domain';
import { paymentSteps, type CaseFile, type CaseMonth } from '@bijstand/documents';
import { ALERT_KIND, CATEGORY, ROLE, dutchDate, dutchInstant, dutchMonth, euro } from '@bijstand/documents';
import { householdSeries, lineChart } from './chart.js';
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
<body><header><strong>Werkplek bijstand</strong>${nav}</header><main><h1>${title}</h1>${body}</main></body></html>`
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
): string {
  const alerts = page.items;
  const form = html`<form class="filters" method="get" action="/inbox">${municipalitySelect(municipalities, filter.municipality)}
<label>Soort <select name="kind">${option('', 'alle', filter.kind)}${Object.entries(ALERT_KIND).map(([k, l]) => option(k, l, filter.kind))}</select></label>
<label>Maand <input name="month" type="month" value="${filter.month ?? ''}"></label>
<label>Huishouden <input name="household" value="${filter.household ?? ''}"></label>
<label>Status <select name="state">${option('open', 'open', filter.state ?? 'open')}${option('acknowledged', 'afgehandeld', filter.state ?? 'open')}${option('all', 'alle', filter.state ?? 'open')}</select></label>
${sortSelect(INBOX_SORT_LABEL, filter.sort)}<button type="submit">Filter</button></form>`;
  const rows = alerts.map(
    (
      a,
    ) => html`<tr data-alert="${a.alertId}"><td>${ALERT_KIND[a.kind]}</td><td><a href="/households/${encodeURIComponent(a.householdId)}">${a.householdId}</a></td><td>${dutchMonth(a.month)}</td><td class="num">${a.amount ? euro(a.amount) : ''}</td><td>${dutchDate(a.raisedOn)}</td><td class="muted">${a.reason}</td>
<td>${
      a.acknowledgedBy
        ? html`<span class="ok">afgehandeld door ${a.acknowledgedBy}</span>`
        : user.role === 'consultant'
          ? html`<form class="inline" method="post" action="/alerts/${encodeURIComponent(a.alertId)}/ack">${csrfInput(user)}<button type="submit">Afhandelen</button></form>`
          : 'open'
    }</td></tr>`,
  );
  return layout(
    'Signalen',
    user,
    html`${form}<p>${page.matched} van ${total} signalen.</p>${pager}<table><thead><tr><th>signaal</th><th>huishouden</th><th>maand</th><th>bedrag</th><th>gegeven op</th><th>waarom</th><th>status</th></tr></thead><tbody>${rows}</tbody></table>${pager}`,
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

const value = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));
const stepsTable = (steps: readonly TraceStep[]) =>
  html`<table class="trace"><thead><tr><th>regel</th><th>grondslag</th><th>invoer</th><th>uitkomst</th></tr></thead><tbody>${steps.map(
    (s) =>
      html`<tr><td><code>${s.rule}</code></td><td>${legalRefText(s.legalRef)}</td><td><code>${Object.entries(s.inputs)
        .map(([k, v]) => `${k}=${value(v)}`)
        .join(', ')}</code></td><td><code>${Object.entries(s.result)
        .map(([k, v]) => `${k}=${value(v)}`)
        .join(', ')}</code></td></tr>`,
  )}</tbody></table>`;

/** A settled month's decision for the resident (a month paid but not settled has none yet). */
function decisionLink(id: string, month: string): SafeHtml {
  const href = `/households/${encodeURIComponent(id)}/letter?month=${month}`;
  return html`<p><a href="${href}">Besluit over ${dutchMonth(month)}</a></p>`;
}

function monthSection(id: string, m: CaseMonth): SafeHtml {
  const v = m.settlement?.values;
  const p = m.payment;
  const summary = `${dutchMonth(m.month)}: ${v ? `bijstand ${euro(v.assistance)}` : 'nog niet vastgesteld'}${p ? `, uitbetaald ${euro(p.amount)}` : ''}`;
  return html`<details data-month="${m.month}"><summary>${summary}</summary>
${
  m.settlement
    ? html`<p>Vastgesteld op ${dutchDate(m.settlement.runDate)} (versie ${m.settlement.version}): norm ${euro(v!.norm)}, inkomen ${euro(v!.income)}, vrijgelaten ${euro(v!.disregard)}${v!.partnerIncomeCounted !== '0.00' ? `, van de partner zonder recht op bijstand ${euro(v!.partnerIncomeCounted)}` : ''}, meegeteld ${euro(v!.countableIncome)}, bijstand ${euro(v!.assistance)}; naar het saldo ${euro(m.settlement.assistanceChange)}, saldo daarna ${euro(m.settlement.ledgerBalanceAfter)}.</p>${stepsTable(m.settlement.explanation.steps)}`
    : html`<p>Nog niet vastgesteld.</p>`
}
${p ? html`<p>Betaald op ${dutchDate(p.runDate)}: voorschot ${euro(p.advance)}, vakantietoeslag ${euro(p.holidayPayout)}, verrekend ${euro(p.offset)}, bufferbudget ${euro(p.bufferDraw)}, uitbetaald ${euro(p.amount)}.</p>${stepsTable(paymentSteps(m))}` : ''}
${m.settlement ? decisionLink(id, m.month) : ''}
</details>`;
}

export function householdPage(user: SessionUser, file: CaseFile, alerts: readonly InboxAlert[]): string {
  const id = file.householdId;
  const { months, series } = householdSeries(file);
  const ledger = file.ledgerBalance;
  return layout(
    `Huishouden ${id}`,
    user,
    html`<p><a href="/households/${encodeURIComponent(id)}/report">Dossier voor bezwaar (afdrukbaar)</a> · stand ${dutchInstant(file.asOf)}</p>
<h2>Leden</h2><table><thead><tr><th>rol</th><th>BSN</th><th>recht op bijstand</th></tr></thead><tbody>${file.members.map((m) => html`<tr><td>${ROLE[m.role]}</td><td>${m.maskedBsn}</td><td>${m.entitled ? 'ja' : 'nee'}</td></tr>`)}</tbody></table>
<h2>Zaak</h2><ul><li>Bijstand vanaf ${file.caseStart ? dutchDate(file.caseStart) : 'onbekend'}${file.caseEnd ? html` tot en met ${dutchDate(file.caseEnd)} (beëindigd)` : ' (lopend)'}</li>${file.compositions.map((c) => html`<li>Vanaf ${dutchDate(c.from)}: ${CATEGORY[c.category] ?? c.category}, ${c.costSharers} kostendeler(s)</li>`)}</ul>
<h2>Per maand</h2>${lineChart(months, series, `Inkomen, norm, bijstand en uitbetaald per maand, huishouden ${id}`)}
${file.months.map((m) => monthSection(id, m))}
<h2>Saldo en bufferbudget</h2><ul><li>${ledger.startsWith('-') ? `Openstaande vordering ${euro(ledger.slice(1))}` : `Saldo ${euro(ledger)}`}</li><li>Gereserveerde vakantietoeslag ${euro(file.reserveBalance)}</li>${file.buffer.map((b) => html`<li>Bufferbudget ${b.year}: ${euro(b.drawn)} gebruikt, ${euro(b.remaining)} over</li>`)}</ul>
<h2>Signalen</h2><table><tbody>${alerts.map((a) => html`<tr><td>${dutchMonth(a.month)}</td><td>${ALERT_KIND[a.kind]}</td><td class="num">${a.amount ? euro(a.amount) : ''}</td><td>${a.acknowledgedBy ? `afgehandeld door ${a.acknowledgedBy}` : 'open'}</td></tr>`)}</tbody></table>`,
  );
}

export const startPageOf = (user: Pick<WorkplaceUser, 'role'>): string =>
  user.role === 'backoffice' ? '/backoffice' : user.role === 'objection-handler' ? '/households' : '/inbox';
