import type { CaseFile, CaseMonth, JournalEntry, MonthSummary } from '@bijstand/documents';
import {
  ALERT_KIND,
  CATEGORY,
  ROLE,
  dutchDate,
  dutchInstant,
  dutchMonth,
  euro,
  alertNextStepNl,
  paymentSteps,
} from '@bijstand/documents';
import { householdSeries, lineChart } from '../chart.js';
import { html, type SafeHtml } from '../html.js';
import type { InboxAlert } from '../inbox.js';
import { layout, type SessionUser } from '../pages.js';
import { ackForm, acknowledgedText } from './ackForm.js';
import { traceTable } from './traceRows.js';

/**
 * The household page answers "what happened and what do I do" in ten seconds: a line per month (newest first)
 * saying why, the open alerts with a suggested next step and "Afhandelen", the chart of what the household had
 * against the norm; below that the members, the case, the ledger as a dated journal and each month's figures,
 * with the rule trace behind a "Details" switch in Dutch rows.
 */
export interface HouseholdPageData {
  file: CaseFile;
  alerts: readonly InboxAlert[];
  summaries: readonly MonthSummary[];
  /** A confirmation to show once (after acknowledging). */
  flash?: string | null;
}

/** A balance in words: negative is what the household owes (vordering), positive what is owed to it. */
const balance = (s: string) =>
  s.startsWith('-') ? `vordering ${euro(s.slice(1))}` : s === '0.00' ? euro(s) : `tegoed ${euro(s)}`;

const row = (label: string, value: string) => html`<tr><th scope="row">${label}</th><td class="num">${value}</td></tr>`;

function monthSection(id: string, m: CaseMonth, summary: MonthSummary | undefined): SafeHtml {
  const v = m.settlement?.values;
  const p = m.payment;
  const settled = m.settlement
    ? html`<table class="figures"><caption>Vastgesteld op ${dutchDate(m.settlement.runDate)} (versie ${m.settlement.version})</caption><tbody>
${row('norm', euro(v!.norm))}${row('norm zonder vakantietoeslag', euro(v!.normExclHoliday))}${row('inkomen', euro(v!.income))}${row('vrijgelaten', euro(v!.disregard))}${v!.partnerIncomeCounted !== '0.00' ? row('van de partner zonder recht op bijstand', euro(v!.partnerIncomeCounted)) : ''}${row('meegeteld inkomen', euro(v!.countableIncome))}${row('bijstand', euro(v!.assistance))}${row('naar het saldo', euro(m.settlement.assistanceChange))}${row('saldo daarna', balance(m.settlement.ledgerBalanceAfter))}</tbody></table>`
    : html`<p>Nog niet vastgesteld.</p>`;
  const paid = p
    ? html`<table class="figures"><caption>Betaald op ${dutchDate(p.runDate)}</caption><tbody>${row('voorschot', euro(p.advance))}${row('vakantietoeslag', euro(p.holidayPayout))}${row('nabetaling', euro(p.backPayment))}${row('verrekend', euro(p.offset))}${row('bufferbudget', euro(p.bufferDraw))}${row('uitbetaald', euro(p.amount))}</tbody></table>`
    : '';
  const trace = [...(m.settlement?.explanation.steps ?? []), ...(p ? paymentSteps(m) : [])];
  return html`<details class="month" data-month="${m.month}"><summary>${summary?.text ?? dutchMonth(m.month)}</summary>
<div class="figures-row">${settled}${paid}</div>
${trace.length ? html`<details class="trace"><summary>Details</summary>${traceTable(trace)}</details>` : ''}
${m.settlement ? html`<p><a href="/households/${encodeURIComponent(id)}/letter?month=${m.month}">Besluit over ${dutchMonth(m.month)}</a></p>` : ''}
</details>`;
}

const journalRow = (j: JournalEntry) =>
  html`<tr><td>${dutchDate(j.date)}</td><td>${dutchMonth(j.month)}</td><td>${j.kind === 'settlement' ? `vastgesteld (versie ${j.version})` : 'betaald'}</td><td class="num">${euro(j.ledgerChange)}</td><td class="num">${j.offset ? euro(j.offset) : ''}</td><td class="num">${j.bufferDraw ? euro(j.bufferDraw) : ''}</td><td class="num">${balance(j.ledgerBalanceAfter)}</td><td class="num">${euro(j.reserveBalanceAfter)}</td></tr>`;

function alertsTable(user: SessionUser, id: string, alerts: readonly InboxAlert[]): SafeHtml {
  if (alerts.length === 0) return html`<p>Geen signalen.</p>`;
  const back = `/households/${encodeURIComponent(id)}`;
  return html`<table class="alerts"><thead><tr><th scope="col">maand</th><th scope="col">signaal</th><th scope="col">bedrag</th><th scope="col">volgende stap</th><th scope="col">status</th></tr></thead><tbody>${alerts.map(
    (a) =>
      html`<tr data-alert="${a.alertId}"><td data-label="maand">${dutchMonth(a.month)}</td><td data-label="signaal">${ALERT_KIND[a.kind]}</td><td class="num" data-label="bedrag">${a.amount ? euro(a.amount) : ''}</td><td data-label="volgende stap">${alertNextStepNl(a)}</td><td data-label="status">${
        a.acknowledgedBy ? acknowledgedText(a) : user.role === 'consultant' ? ackForm(user, a, back) : 'open'
      }</td></tr>`,
  )}</tbody></table>`;
}

export function householdPage(user: SessionUser, d: HouseholdPageData): string {
  const { file, alerts, summaries } = d;
  const id = file.householdId;
  const { months, series, markers } = householdSeries(file);
  const byMonth = new Map(summaries.map((s) => [s.month, s]));
  const newestFirst = [...summaries].reverse();
  const ledger = file.ledgerBalance;
  return layout(
    `Huishouden ${id}`,
    user,
    html`${d.flash ? html`<p class="ok flash" role="status">${d.flash}</p>` : ''}<p><a href="/households/${encodeURIComponent(id)}/report">Dossier voor bezwaar (afdrukbaar)</a> · stand ${dutchInstant(file.asOf)}</p>
<h2>Per maand in het kort</h2><ul class="summaries">${newestFirst.map((s) => html`<li data-month="${s.month}"${s.belowMinimum ? html` class="attention"` : ''}>${s.text}</li>`)}</ul>
<h2>Signalen</h2>${alertsTable(user, id, alerts)}
<h2>Inkomen en uitbetaling tegen de norm</h2>${lineChart(months, series, `Inkomen plus uitbetaald tegen de norm per maand, huishouden ${id}`, markers)}
<h2>Leden</h2><table><thead><tr><th scope="col">rol</th><th scope="col">BSN</th><th scope="col">recht op bijstand</th></tr></thead><tbody>${file.members.map((m) => html`<tr><td>${ROLE[m.role]}</td><td>${m.maskedBsn}</td><td>${m.entitled ? 'ja' : 'nee'}</td></tr>`)}</tbody></table>
<h2>Zaak</h2><ul><li>Bijstand vanaf ${file.caseStart ? dutchDate(file.caseStart) : 'onbekend'}${file.caseEnd ? html` tot en met ${dutchDate(file.caseEnd)} (beëindigd)` : ' (lopend)'}</li>${file.compositions.map((c) => html`<li>Vanaf ${dutchDate(c.from)}: ${CATEGORY[c.category] ?? c.category}, ${c.costSharers} kostendeler(s)</li>`)}</ul>
<h2>Saldo en bufferbudget</h2><ul><li>Saldo: ${balance(ledger)}</li><li>Gereserveerde vakantietoeslag ${euro(file.reserveBalance)}</li>${file.buffer.map((b) => html`<li>Bufferbudget ${b.year}: ${euro(b.drawn)} gebruikt, ${euro(b.remaining)} over</li>`)}</ul>
<h2>Journaal van het saldo</h2><p class="muted">In de volgorde van besluiten. Een negatief saldo is een vordering op het huishouden.</p><table class="journal"><thead><tr><th scope="col">datum</th><th scope="col">maand</th><th scope="col">wat</th><th scope="col">naar het saldo</th><th scope="col">verrekend</th><th scope="col">bufferbudget</th><th scope="col">saldo daarna</th><th scope="col">reservering vakantietoeslag</th></tr></thead><tbody>${file.journal.map(journalRow)}</tbody></table>
<h2>Per maand</h2>${file.months.map((m) => monthSection(id, m, byMonth.get(m.month)))}`,
  );
}

/** What this page adds to the workplace's stylesheet (served with it as /workplace.css: no inline style). */
export const CONSULTANT_CSS = `
.skip{position:absolute;left:-10000px;top:0}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#154273;padding:.3rem .6rem;z-index:1}
svg.chart{width:100%;max-width:60rem;height:auto;display:block}.series-had path{stroke-width:3}
.scroll{overflow-x:auto;max-width:100%}ul.summaries li{margin:.2rem 0}li.attention{font-weight:600;color:#8a1c00}
.flash{border-left:4px solid #2a7a2a;padding:.3rem .6rem;background:#eef7ee}form.ack{display:flex;flex-direction:column;gap:.3rem;min-width:12rem}
form.ack textarea{width:100%;box-sizing:border-box}.figures-row{display:flex;flex-wrap:wrap;gap:1rem}table caption{text-align:left;font-weight:600}
table.trace{width:100%;max-width:40rem}td,th{overflow-wrap:break-word}.note{font-style:italic}
@media (max-width:600px){main{padding:.5rem}header{flex-wrap:wrap}
table.alerts,table.alerts tbody,table.alerts tr,table.alerts td{display:block;width:auto}table.alerts thead{position:absolute;left:-10000px}
table.alerts tr{border:1px solid #ccc;margin:0 0 .5rem}table.alerts td{border:0;text-align:left}
table.alerts td::before{content:attr(data-label) ": ";font-weight:600}}`;
