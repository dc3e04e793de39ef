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

function nightsSection(nights: readonly RunHistoryEntry[]): SafeHtml {
  if (nights.length === 0) return html`<h2>Laatste nachtruns</h2><p>Nog geen nachtrun vastgelegd.</p>`;
  const rows = nights.map((n) => {
    const r = n.result;
    const figures = r
      ? html`<td class="num">${r.households}</td><td class="num">${r.monthsSettled}</td><td class="num">${r.paymentsMade}</td><td class="num">${euro(r.paid)}</td><td class="num">${r.alerts}</td><td class="num">${r.failures.length}</td>`
      : html`<td colspan="6" class="muted">geen uitkomst vastgelegd (de nacht loopt nog, of is van vóór de vastlegging)</td>`;
    return html`<tr data-night="${n.runDate}"><td>${dutchDate(n.runDate)}</td><td>${startOf(n)}</td><td><code>${n.rulesVersion}</code></td>${figures}</tr>`;
  });
  const notes = nights.flatMap((n) => [
    ...(n.held.length > 0
      ? [
          html`<li>Nacht van ${dutchDate(n.runDate)}: niet afgerekend voor ${n.held.join(', ')} (regelwijziging wacht op aanvaarding)</li>`,
        ]
      : []),
    ...(n.result?.failures ?? []).map(
      (f) =>
        html`<li data-failure="${f.householdId}">Nacht van ${dutchDate(n.runDate)}: huishouden ${householdLink(f.householdId)} is niet afgerekend. <span class="muted">Technische melding:</span> <code>${f.reason}</code></li>`,
    ),
  ]);
  return html`<h2>Laatste nachtruns</h2>
<p class="muted">Tijden in Nederlandse tijd (zomer- en wintertijd meegerekend).</p>
<div class="scroll"><table><thead><tr><th>nacht</th><th>gestart</th><th>regelversie</th><th>huishoudens</th><th>maanden vastgesteld</th><th>betalingen</th><th>betaald</th><th>signalen</th><th>mislukt</th></tr></thead><tbody>${rows}</tbody></table></div>
${notes.length > 0 ? html`<h3>Niet afgerekend</h3><ul>${notes}</ul>` : html`<p>Geen mislukte huishoudens in deze nachten.</p>`}`;
}

function rulesSection(rules: readonly RulesDecision[]): SafeHtml {
  if (rules.length === 0) return html`<h2>Regelwijzigingen</h2><p>Geen.</p>`;
  return html`<h2>Regelwijzigingen</h2><div class="scroll"><table><thead><tr><th>regelversie</th><th>gemeente</th><th>wat verandert</th><th>besluit</th></tr></thead><tbody>${rules.map(
    (r) =>
      html`<tr><td><code>${r.rulesVersion}</code></td><td>${r.municipalities.join(', ')}</td><td>${r.changes.join('; ')}</td><td>${
        r.status === 'accepted'
          ? html`aanvaard door ${r.acceptedBy} op ${dutchInstant(r.acceptedAt)}: ${r.reason}`
          : html`<strong>wacht op aanvaarding</strong> sinds de nacht van ${dutchDate(r.since)}; deze gemeente wordt niet afgerekend (bekijk <code>./cli run-nightly --dry-run</code>, dan <code>./cli rules accept ${r.rulesVersion} --by NAAM --reason …</code>)`
      }</td></tr>`,
  )}</tbody></table></div>`;
}

/** The two actions on a message, each a POST form with the session's CSRF token and a required reason. */
function actions(user: SessionUser, what: 'rejected' | 'parked', id: string, canRetry: boolean): SafeHtml {
  const base = `/backoffice/${what}/${encodeURIComponent(id)}`;
  const form = (action: string, button: string, hint: string) =>
    html`<form class="action" method="post" action="${base}/${action}">${csrfInput(user)}<label>Reden (${hint}) <input name="reason" required maxlength="500"></label> <button type="submit">${button}</button></form>`;
  return html`${
    canRetry
      ? form('retry', 'Opnieuw verwerken', 'bijvoorbeeld wat is hersteld')
      : html`<p class="muted">Opnieuw verwerken kan hier niet: de werkplek draait zonder BSN_PSEUDONYM_KEY.</p>`
  }${form('dismiss', 'Afwijzen met reden', 'verplicht, ten hoogste 500 tekens')}`;
}

const field = (label: string, value: SafeHtml | string | null) =>
  html`<dt>${label}</dt><dd>${value === null || value === '' ? '–' : value}</dd>`;

function rejectedSection(user: SessionUser, items: readonly RejectedItem[], canRetry: boolean): SafeHtml {
  return html`<h2 id="afgewezen">Afgewezen berichten (${items.length})</h2>${
    items.length === 0
      ? html`<p>Geen open afgewezen berichten.</p>`
      : items.map(
          (r) =>
            html`<article class="message" data-message="${r.id}"><h3>${KIND[r.kind] ?? r.kind}, ontvangen ${dutchInstant(r.rejectedAt)}</h3><dl>${field('kenmerk', r.id)}${field('huishouden', householdLink(r.householdId))}${field('bericht', r.messageId)}${field('bron', r.source)}${field('reden', r.reasonNl)}</dl>${attempts(r)}${actions(user, 'rejected', r.id, canRetry)}</article>`,
        )
  }`;
}

function parkedSection(user: SessionUser, items: readonly ParkedItem[], canRetry: boolean): SafeHtml {
  return html`<h2 id="geparkeerd">Geparkeerde berichten (${items.length})</h2>${
    items.length === 0
      ? html`<p>Geen berichten die op hun zaak wachten.</p>`
      : items.map(
          (p) =>
            html`<article class="message" data-message="${p.id}"><h3>${KIND[p.kind] ?? p.kind}, geparkeerd ${dutchInstant(p.parkedAt)} (${p.days} ${p.days === 1 ? 'dag' : 'dagen'}${p.overdue ? ', te lang' : ''})</h3><dl>${field('kenmerk', p.id)}${field('huishouden', householdLink(p.householdId))}${field('lid', p.member)}${field('bericht', p.kind === 'statement' ? p.reference : null)}${field('reden', p.reasonNl)}</dl>${actions(user, 'parked', p.id, canRetry)}</article>`,
        )
  }`;
}

const what = (h: RejectedItem['handling'][number]) =>
  h.action === 'dismissed' ? 'afgewezen' : `opnieuw verwerkt: ${OUTCOME[h.outcome ?? ''] ?? h.outcome ?? ''}`;

/** Earlier retries of a message still open (rejected again): who tried, when, why. */
const attempts = (r: RejectedItem) =>
  r.handling.length === 0
    ? ''
    : html`<p>Eerdere pogingen:</p><ul>${r.handling.map((h) => html`<li>${what(h)}, door ${h.by} op ${dutchInstant(h.at)}: ${h.reason}</li>`)}</ul>`;

function handledSection(items: readonly RejectedItem[]): SafeHtml {
  if (items.length === 0) return html``;
  return html`<h2 id="afgehandeld">Afgehandelde berichten</h2><div class="scroll"><table><thead><tr><th>kenmerk</th><th>huishouden</th><th>bericht</th><th>status</th><th>wat er gebeurde</th></tr></thead><tbody>${items.map(
    (r) =>
      html`<tr data-message="${r.id}"><td>${r.id}</td><td>${householdLink(r.handling.at(-1)?.householdId ?? r.householdId)}</td><td>${r.messageId ?? '–'}</td><td>${STATUS[r.status]}</td><td><ul>${r.handling.map(
        (h) => html`<li>${what(h)}, door ${h.by} op ${dutchInstant(h.at)}: ${h.reason}</li>`,
      )}</ul></td></tr>`,
  )}</tbody></table></div>`;
}

const tallyRow = (what: string, t: Tally) =>
  html`<tr><td>${what}</td><td class="num">${t.count}</td><td class="num">${euro(t.amount)}</td></tr>`;
const verdict = (ok: boolean) =>
  ok ? html`<span class="ok">klopt</span>` : html`<strong class="error">klopt niet</strong>`;

function paydaysSection(paydays: readonly PaydayReconciliation[] | null): SafeHtml {
  if (paydays === null)
    return html`<h2 id="betaaldagen">Betaaldagen</h2><p>Niet te tonen: de werkplek draait zonder gemeenteconfiguratie (MUNICIPALITY_CONFIG), dus zonder betaaldag.</p>`;
  if (paydays.length === 0)
    return html`<h2 id="betaaldagen">Betaaldagen</h2><p>Nog geen betaaldag na een nachtrun.</p>`;
  return html`<h2 id="betaaldagen">Betaaldagen</h2>${paydays.map((r) => {
    const who = `${r.municipalityName}${r.municipality ? ` (${r.municipality})` : ''}`;
    const b = r.bufferbudget;
    return html`<section class="payday" data-payday="${r.payday}"><h3>${who}, betaaldag ${dutchDate(r.payday)}</h3>
<p>${r.batchId ? html`Betaalbestand <code>${r.batchId}</code>.` : 'Nog geen betaalbestand gemaakt.'}</p>
<table><thead><tr><th>post</th><th>aantal</th><th>bedrag</th></tr></thead><tbody>${[
      tallyRow(`besluiten over ${dutchMonth(r.payday.slice(0, 7))}`, r.decided),
      tallyRow('in het betaalbestand', r.inBatch),
      tallyRow('aangehouden (geen rekeningnummer)', r.held),
      tallyRow('nog niet in een betaalbestand', r.notYetInBatch),
      tallyRow('na te betalen uit eerdere maanden', r.carried),
      tallyRow('geweigerd of teruggestort door de bank', r.failed),
      tallyRow('betaald', r.paid),
    ]}</tbody></table>
<p>Besluiten = betaalbestand + aangehouden + nog niet in een betaalbestand: ${verdict(r.agrees)}.</p>
<p>Bufferbudget in de betalingen ${euro(b.inBatchAndHeld)}, in de eindheffing ${euro(b.eindheffing)}: ${verdict(b.agrees)}.</p></section>`;
  })}`;
}
