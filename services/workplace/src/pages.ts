import { legalRefText, type TraceStep } from '@bijstand/domain';
import { paymentSteps, type CaseFile, type CaseMonth } from '@bijstand/documents';
import { ALERT_KIND, CATEGORY, ROLE, dutchDate, dutchInstant, dutchMonth, euro } from '@bijstand/documents';
import { householdSeries, lineChart } from './chart.js';
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
input,select,textarea,button{font:inherit;max-width:100%}`;

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
<body><a class="utrecht-skip-link" href="#inhoud">Naar de inhoud</a><header class="utrecht-page-header"><nav aria-label="Werkplek"><strong>Werkplek bijstand</strong>${nav}</nav></header><main id="inhoud"><h1>${title}</h1>${raw(scrollingTables(body.value))}</main></body></html>`
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

export interface BackofficeData {
  runs: Array<{ runDate: string; runAt: string; rulesVersion: string; settled: number; paid: number; alerts: number }>;
  rejected: Array<{ at: string; kind: string; source: string; reason: string }>;
  /** Rules versions accepted (who, when, why) and changes a night held back, waiting for acceptance. */
  rules: Array<
    | {
        status: 'accepted';
        rulesVersion: string;
        municipalities: string[];
        changes: string[];
        acceptedBy: string;
        acceptedAt: string;
        reason: string;
      }
    | { status: 'waiting'; rulesVersion: string; municipalities: string[]; changes: string[]; since: string }
  >;
  queues: boolean;
  households: number;
}

export function backofficePage(user: SessionUser, d: BackofficeData): string {
  return layout(
    'Backoffice',
    user,
    html`<p>${d.households} huishoudens. ${d.queues ? html`<a href="/queues">Wachtrijen (Bull Board)</a>` : 'Geen Redis ingesteld (REDIS_URL): de nachtrun draait in het proces, zonder wachtrijen.'}</p>
<h2>Laatste nachtruns</h2><table><thead><tr><th>datum</th><th>tijdstip</th><th>regelversie</th><th>maanden vastgesteld</th><th>betalingen</th><th>signalen</th><th>mislukt</th></tr></thead><tbody>${d.runs.map(
      (r) =>
        html`<tr><td>${dutchDate(r.runDate)}</td><td>${dutchInstant(r.runAt)}</td><td><code>${r.rulesVersion}</code></td><td class="num">${r.settled}</td><td class="num">${r.paid}</td><td class="num">${r.alerts}</td><td class="muted">niet vastgelegd (zie log)</td></tr>`,
    )}</tbody></table>
<h2>Regelwijzigingen</h2>${
      d.rules.length === 0
        ? html`<p>Geen.</p>`
        : html`<table><thead><tr><th>regelversie</th><th>gemeente</th><th>wat verandert</th><th>besluit</th></tr></thead><tbody>${d.rules.map(
            (r) =>
              html`<tr><td><code>${r.rulesVersion}</code></td><td>${r.municipalities.join(', ')}</td><td>${r.changes.join('; ')}</td><td>${
                r.status === 'accepted'
                  ? html`aanvaard door ${r.acceptedBy} op ${dutchInstant(r.acceptedAt)}: ${r.reason}`
                  : html`<strong>wacht op aanvaarding</strong> sinds de nacht van ${dutchDate(r.since)}; deze gemeente wordt niet afgerekend (bekijk <code>./cli run-nightly --dry-run</code>, dan <code>./cli rules accept ${r.rulesVersion} --by NAAM --reason …</code>)`
              }</td></tr>`,
          )}</tbody></table>`
    }
<h2>Afgewezen berichten (${d.rejected.length})</h2><table><thead><tr><th>ontvangen</th><th>soort</th><th>bron</th><th>reden</th></tr></thead><tbody>${d.rejected.map((r) => html`<tr><td>${dutchInstant(r.at)}</td><td>${r.kind}</td><td><code>${r.source}</code></td><td>${r.reason}</td></tr>`)}</tbody></table>`,
  );
}

export const startPageOf = (user: Pick<WorkplaceUser, 'role'>): string =>
  user.role === 'backoffice' ? '/backoffice' : user.role === 'objection-handler' ? '/households' : '/inbox';
