import { dutchDate, dutchInstant, dutchMonth, euro } from '@bijstand/documents';
import type { ParkedItem, RejectedItem } from '@bijstand/ingest';
import type { PaydayReconciliation, Tally } from '@bijstand/payments';
import type { RunHistoryEntry } from '@bijstand/settlement';
import { html, type SafeHtml } from '../html.js';
import { csrfInput, layout, type SessionUser } from '../pages.js';
import type { BackofficeMessages } from './messages.js';
import type { RulesDecision } from './overview.js';

export interface BackofficeView {
  households: number;
  nights: RunHistoryEntry[];
  rules: RulesDecision[];
  messages: BackofficeMessages;
  /** null: the workplace runs without MUNICIPALITY_CONFIG, so it knows no municipality's payday. */
  paydays: PaydayReconciliation[] | null;
  queues: boolean;
  /** Whether a retry can run ingest here (the pseudonym key is set); dismissing always can. */
  canRetry: boolean;
  /** What the last action did (after its redirect), or why it was refused. */
  notice?: { kind: 'done' | 'refused'; text: string };
}

const KIND: Record<string, string> = { statement: 'loonopgave', case: 'zaakgebeurtenis' };
const STATUS: Record<RejectedItem['status'], string> = {
  open: 'open',
  processed: 'verwerkt',
  dismissed: 'afgewezen',
};
/** Where a retried message ended (ingest's outcome), in Dutch. */
export const OUTCOME: Record<string, string> = {
  recorded: 'vastgelegd',
  duplicate: 'was al vastgelegd',
  parked: 'geparkeerd (wacht op de zaak)',
  rejected: 'opnieuw afgekeurd',
  waiting: 'wacht nog',
};

export function backofficePage(user: SessionUser, v: BackofficeView): string {
  const queues = v.queues
    ? html`<a href="/queues">Wachtrijen van de nachtrun</a>`
    : 'Wachtrijen: niet beschikbaar, deze werkplek draait zonder Redis (de nachtrun draait in het proces).';
  return layout(
    'Backoffice',
    user,
    html`${notice(v.notice)}<p>${v.households} ${v.households === 1 ? 'huishouden' : 'huishoudens'}. ${queues}</p>
${nightsSection(v.nights)}
${rulesSection(v.rules)}
${rejectedSection(user, v.messages.open, v.canRetry)}
${parkedSection(user, v.messages.parked, v.canRetry)}
${handledSection(v.messages.handled)}
${paydaysSection(v.paydays)}`,
  );
}

const notice = (n: BackofficeView['notice']) =>
  !n
    ? ''
    : n.kind === 'done'
      ? html`<p class="ok" role="status">${n.text}</p>`
      : html`<p class="error" role="alert">${n.text}</p>`;

/** The household a failure or message is about: to the backoffice its signals (it opens no household page). */
const householdLink = (id: string | null) =>
  id ? html`<a href="/inbox?household=${encodeURIComponent(id)}&amp;state=all">${id}</a>` : '–';

/** When a night started, in Dutch time: the hour alone when that is on the night's own date, else date and hour. */
function startOf(n: RunHistoryEntry): string {
  const at = dutchInstant(n.runAt);
  const day = `${dutchDate(n.runDate)} `;
  return at.startsWith(day) ? at.slice(day.length) : at;
}

/** Parts of html joined (a `+` between two would make a string, escaped again where it is used). */
const cat = (...parts: SafeHtml[]): SafeHtml => html`${parts}`;

/** Table parts: a header row of labels, a row of cells, numbers right-aligned; wide tables scroll in their box. */
const td = (v: SafeHtml | string | number) => html`<td>${v}</td>`;
const num = (v: string | number) => html`<td class="num">${v}</td>`;
const head = (labels: readonly string[]) => html`<thead><tr>${labels.map((l) => html`<th>${l}</th>`)}</tr></thead>`;
const wide = (labels: readonly string[], rows: readonly SafeHtml[]) =>
  html`<div class="scroll"><table>${head(labels)}<tbody>${rows}</tbody></table></div>`;

const NIGHT_COLUMNS = ['nacht', 'gestart', 'regelversie', 'huishoudens', 'maanden vastgesteld', 'betalingen'];
const NOT_RECORDED = 'geen uitkomst vastgelegd (de nacht loopt nog, of is van vóór de vastlegging)';

function nightsSection(nights: readonly RunHistoryEntry[]): SafeHtml {
  if (nights.length === 0) return html`<h2>Laatste nachtruns</h2><p>Nog geen nachtrun vastgelegd.</p>`;
  const rows = nights.map((n) => {
    const r = n.result;
    const figures = r
      ? [r.households, r.monthsSettled, r.paymentsMade, euro(r.paid), r.alerts, r.failures.length].map(num)
      : html`<td colspan="6" class="muted">${NOT_RECORDED}</td>`;
    const version = html`<code>${n.rulesVersion}</code>`;
    const when = [td(dutchDate(n.runDate)), td(startOf(n)), td(version)];
    return html`<tr data-night="${n.runDate}">${when}${figures}</tr>`;
  });
  const night = (n: RunHistoryEntry) => `Nacht van ${dutchDate(n.runDate)}`;
  const notes = nights.flatMap((n) => [
    ...(n.held.length > 0
      ? [html`<li>${night(n)}: niet afgerekend voor ${n.held.join(', ')} (regelwijziging wacht op aanvaarding)</li>`]
      : []),
    ...(n.result?.failures ?? []).map((f) =>
      cat(
        html`<li data-failure="${f.householdId}">${night(n)}: huishouden ${householdLink(f.householdId)} is niet `,
        html`afgerekend. <span class="muted">Technische melding:</span> <code>${f.reason}</code></li>`,
      ),
    ),
  ]);
  const none = html`<p>Geen mislukte huishoudens in deze nachten.</p>`;
  return html`<h2>Laatste nachtruns</h2>
<p class="muted">Tijden in Nederlandse tijd (zomer- en wintertijd meegerekend).</p>
${wide([...NIGHT_COLUMNS, 'betaald', 'signalen', 'mislukt'], rows)}
${notes.length > 0 ? html`<h3>Niet afgerekend</h3><ul>${notes}</ul>` : none}`;
}

function rulesSection(rules: readonly RulesDecision[]): SafeHtml {
  if (rules.length === 0) return html`<h2>Regelwijzigingen</h2><p>Geen.</p>`;
  const decision = (r: RulesDecision) =>
    r.status === 'accepted'
      ? html`aanvaard door ${r.acceptedBy} op ${dutchInstant(r.acceptedAt)}: ${r.reason}`
      : cat(
          html`<strong>wacht op aanvaarding</strong> sinds de nacht van ${dutchDate(r.since)}; deze gemeente wordt `,
          html`niet afgerekend (bekijk <code>./cli run-nightly --dry-run</code>, dan `,
          html`<code>./cli rules accept ${r.rulesVersion} --by NAAM --reason …</code>)`,
        );
  const rows = rules.map((r) =>
    cat(
      html`<tr>${td(html`<code>${r.rulesVersion}</code>`)}${td(r.municipalities.join(', '))}`,
      html`${td(r.changes.join('; '))}${td(decision(r))}</tr>`,
    ),
  );
  return html`<h2>Regelwijzigingen</h2>${wide(['regelversie', 'gemeente', 'wat verandert', 'besluit'], rows)}`;
}

/** The two actions on a message, each a POST form with the session's CSRF token and a required reason. */
function actions(user: SessionUser, what: 'rejected' | 'parked', id: string, canRetry: boolean): SafeHtml {
  const base = `/backoffice/${what}/${encodeURIComponent(id)}`;
  const form = (action: string, button: string, hint: string) =>
    cat(
      html`<form class="action" method="post" action="${base}/${action}">${csrfInput(user)}`,
      html`<label>Reden (${hint}) <input name="reason" required maxlength="500"></label> `,
      html`<button type="submit">${button}</button></form>`,
    );
  const noKey = 'Opnieuw verwerken kan hier niet: de werkplek draait zonder BSN_PSEUDONYM_KEY.';
  return html`${
    canRetry ? form('retry', 'Opnieuw verwerken', 'bijvoorbeeld wat is hersteld') : html`<p class="muted">${noKey}</p>`
  }${form('dismiss', 'Afwijzen met reden', 'verplicht, ten hoogste 500 tekens')}`;
}

const field = (label: string, value: SafeHtml | string | null) =>
  html`<dt>${label}</dt><dd>${value === null || value === '' ? '–' : value}</dd>`;

function rejectedSection(user: SessionUser, items: readonly RejectedItem[], canRetry: boolean): SafeHtml {
  const message = (r: RejectedItem) =>
    cat(
      html`<article class="message" data-message="${r.id}">`,
      html`<h3>${KIND[r.kind] ?? r.kind}, ontvangen ${dutchInstant(r.rejectedAt)}</h3>`,
      html`<dl>${field('kenmerk', r.id)}${field('huishouden', householdLink(r.householdId))}`,
      html`${field('bericht', r.messageId)}${field('bron', r.source)}${field('reden', r.reasonNl)}</dl>`,
      html`${attempts(r)}${actions(user, 'rejected', r.id, canRetry)}</article>`,
    );
  return html`<h2 id="afgewezen">Afgewezen berichten (${items.length})</h2>${
    items.length === 0 ? html`<p>Geen open afgewezen berichten.</p>` : items.map(message)
  }`;
}

function parkedSection(user: SessionUser, items: readonly ParkedItem[], canRetry: boolean): SafeHtml {
  const waited = (p: ParkedItem) => `${p.days} ${p.days === 1 ? 'dag' : 'dagen'}${p.overdue ? ', te lang' : ''}`;
  const message = (p: ParkedItem) =>
    cat(
      html`<article class="message" data-message="${p.id}">`,
      html`<h3>${KIND[p.kind] ?? p.kind}, geparkeerd ${dutchInstant(p.parkedAt)} (${waited(p)})</h3>`,
      html`<dl>${field('kenmerk', p.id)}${field('huishouden', householdLink(p.householdId))}`,
      html`${field('lid', p.member)}${field('bericht', p.kind === 'statement' ? p.reference : null)}`,
      html`${field('reden', p.reasonNl)}</dl>${actions(user, 'parked', p.id, canRetry)}</article>`,
    );
  return html`<h2 id="geparkeerd">Geparkeerde berichten (${items.length})</h2>${
    items.length === 0 ? html`<p>Geen berichten die op hun zaak wachten.</p>` : items.map(message)
  }`;
}

const what = (h: RejectedItem['handling'][number]) =>
  h.action === 'dismissed' ? 'afgewezen' : `opnieuw verwerkt: ${OUTCOME[h.outcome ?? ''] ?? h.outcome ?? ''}`;
const handlingLine = (h: RejectedItem['handling'][number]) =>
  html`<li>${what(h)}, door ${h.by} op ${dutchInstant(h.at)}: ${h.reason}</li>`;
const handlingList = (r: RejectedItem) => html`<ul>${r.handling.map(handlingLine)}</ul>`;

/** Earlier retries of a message still open (rejected again): who tried, when, why. */
const attempts = (r: RejectedItem) => (r.handling.length === 0 ? '' : html`<p>Eerdere pogingen:</p>${handlingList(r)}`);

function handledSection(items: readonly RejectedItem[]): SafeHtml {
  if (items.length === 0) return html``;
  const rows = items.map((r) =>
    cat(
      html`<tr data-message="${r.id}">${td(r.id)}`,
      html`${td(householdLink(r.handling.at(-1)?.householdId ?? r.householdId))}${td(r.messageId ?? '–')}`,
      html`${td(STATUS[r.status])}${td(handlingList(r))}</tr>`,
    ),
  );
  const columns = ['kenmerk', 'huishouden', 'bericht', 'status', 'wat er gebeurde'];
  return html`<h2 id="afgehandeld">Afgehandelde berichten</h2>${wide(columns, rows)}`;
}

const tallyRow = (label: string, t: Tally) => html`<tr>${td(label)}${num(t.count)}${num(euro(t.amount))}</tr>`;
const verdict = (ok: boolean) =>
  ok ? html`<span class="ok">klopt</span>` : html`<strong class="error">klopt niet</strong>`;

const NO_CONFIG =
  'Niet te tonen: de werkplek draait zonder gemeenteconfiguratie (MUNICIPALITY_CONFIG), dus zonder betaaldag.';

function paydaysSection(paydays: readonly PaydayReconciliation[] | null): SafeHtml {
  const title = html`<h2 id="betaaldagen">Betaaldagen</h2>`;
  if (paydays === null) return html`${title}<p>${NO_CONFIG}</p>`;
  if (paydays.length === 0) return html`${title}<p>Nog geen betaaldag na een nachtrun.</p>`;
  return html`${title}${paydays.map((r) => {
    const who = `${r.municipalityName}${r.municipality ? ` (${r.municipality})` : ''}`;
    const b = r.bufferbudget;
    const file = r.batchId ? html`Betaalbestand <code>${r.batchId}</code>.` : 'Nog geen betaalbestand gemaakt.';
    const rows = [
      tallyRow(`besluiten over ${dutchMonth(r.payday.slice(0, 7))}`, r.decided),
      tallyRow('in het betaalbestand', r.inBatch),
      tallyRow('aangehouden (geen rekeningnummer)', r.held),
      tallyRow('nog niet in een betaalbestand', r.notYetInBatch),
      tallyRow('na te betalen uit eerdere maanden', r.carried),
      tallyRow('geweigerd of teruggestort door de bank', r.failed),
      tallyRow('betaald', r.paid),
    ];
    const buffer = `Bufferbudget in de betalingen ${euro(b.inBatchAndHeld)}, in de eindheffing ${euro(b.eindheffing)}`;
    return html`<section class="payday" data-payday="${r.payday}"><h3>${who}, betaaldag ${dutchDate(r.payday)}</h3>
<p>${file}</p>
<table>${head(['post', 'aantal', 'bedrag'])}<tbody>${rows}</tbody></table>
<p>Besluiten = betaalbestand + aangehouden + nog niet in een betaalbestand: ${verdict(r.agrees)}.</p>
<p>${buffer}: ${verdict(b.agrees)}.</p></section>`;
  })}`;
}
