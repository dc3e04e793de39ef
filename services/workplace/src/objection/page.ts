import { blocksToHtml, dutchDate, type Block, type Document } from '@bijstand/documents';
import type { RejectedWhatIfLine } from '@bijstand/replay';
import { html, raw, type SafeHtml } from '../html.js';
import { csrfInput, layout, type SessionUser } from '../pages.js';

/** Where the what-if section of the objection file starts (objectionWhatIf.ts's heading). */
const WHAT_IF_HEADING = 'Wat als:';

export interface ObjectionPageInput {
  householdId: string;
  /** The picked date (YYYY-MM-DD): the file stands at the end of that day, Europe/Amsterdam. */
  asOfDate: string;
  /** The latest date that may be picked (today, or the workplace's own as-of). */
  maxDate: string;
  doc: Document;
  /** Set when the page shows a what-if: the key of its text for the PDF (drafts.ts), the lines taken and not. */
  whatIf?: { draft: string; taken: number; rejected: readonly RejectedWhatIfLine[] };
}

/**
 * The objection file in the workplace: the as-of picker, the what-if form, "Download als PDF", the way back to
 * the household, and the file itself, with a what-if's section (what would change) first. Its wide tables
 * scroll inside their own box (layout()), so the page fits a 390 px screen.
 */
export function objectionPage(user: SessionUser, p: ObjectionPageInput): string {
  const id = encodeURIComponent(p.householdId);
  const base = `/households/${id}/report`;
  const [first, ...rest] = p.doc.blocks;
  const title = first?.kind === 'heading' && first.level === 1 ? first.text : p.doc.title;
  const blocks = first?.kind === 'heading' && first.level === 1 ? rest : p.doc.blocks;
  const { whatIf, others } = splitWhatIf(blocks);
  return layout(
    title,
    user,
    html`<p><a href="/households/${id}">Terug naar huishouden ${p.householdId}</a></p>
<form class="filters" method="get" action="${base}"><label>Stand aan het eind van <input type="date" name="asOf" value="${p.asOfDate}" max="${p.maxDate}" required></label><button class="utrecht-button utrecht-button--primary-action" type="submit">Toon dossier</button></form>
${p.whatIf ? whatIfResult(user, base, p) : html`<p><a href="${base}.pdf?asOf=${p.asOfDate}" download>Download als PDF</a> (stand ${dutchDate(p.asOfDate)})</p>`}
${whatIf.length > 0 ? html`<section aria-label="Wat verandert">${documentHtml(whatIf)}</section>` : ''}
${whatIfForm(user, base, p)}
<div class="document">${documentHtml(others)}</div>`,
  );
}

function whatIfResult(user: SessionUser, base: string, p: ObjectionPageInput): SafeHtml {
  const w = p.whatIf!;
  return html`<div class="utrecht-alert utrecht-alert--info" role="status"><p><strong>Wat als, stand ${dutchDate(p.asOfDate)}: er is niets vastgelegd.</strong> ${w.taken} ${w.taken === 1 ? 'regel' : 'regels'} meegenomen${w.rejected.length > 0 ? html`, ${w.rejected.length} niet:` : '.'}</p>
${w.rejected.length > 0 ? html`<ul>${w.rejected.map((r) => html`<li>Regel ${r.line} niet meegenomen. Melding van de controle: <code>${r.reason}</code></li>`)}</ul>` : ''}
<form method="post" action="${base}/what-if" enctype="multipart/form-data">${csrfInput(user)}<input type="hidden" name="asOf" value="${p.asOfDate}"><input type="hidden" name="draft" value="${w.draft}"><button class="utrecht-button utrecht-button--secondary-action" type="submit">Download als PDF (met wat als)</button></form></div>`;
}

function whatIfForm(user: SessionUser, base: string, p: ObjectionPageInput): SafeHtml {
  return html`<details${p.whatIf ? '' : html` open`}><summary>Wat als: rekenen met gewijzigde gegevens</summary>
<p>Plak de gewijzigde gegevens (één JSON-object per regel, zoals bij <code>replay --with</code>) of kies een bestand van ten hoogste 1 MB. De werkplek rekent de nachten opnieuw door en laat zien wat verandert; er wordt niets vastgelegd.</p>
<form method="post" action="${base}/what-if" enctype="multipart/form-data">${csrfInput(user)}<input type="hidden" name="asOf" value="${p.asOfDate}">
<p><label for="facts">Gewijzigde gegevens</label><br><textarea id="facts" name="facts" rows="6"></textarea></p>
<p><label for="file">Of een bestand</label><br><input id="file" type="file" name="file" accept=".ndjson,.jsonl,.json,.txt"></p>
<p><button class="utrecht-button utrecht-button--primary-action" type="submit">Bereken wat als</button></p></form></details>`;
}

/** The what-if section (its heading up to the next heading of the same level) apart from the rest of the file. */
function splitWhatIf(blocks: readonly Block[]): { whatIf: Block[]; others: Block[] } {
  const start = blocks.findIndex((b) => b.kind === 'heading' && b.level === 2 && b.text.startsWith(WHAT_IF_HEADING));
  if (start < 0) return { whatIf: [], others: [...blocks] };
  const after = blocks.findIndex((b, i) => i > start && b.kind === 'heading' && b.level <= 2);
  const end = after < 0 ? blocks.length : after;
  return { whatIf: blocks.slice(start, end), others: [...blocks.slice(0, start), ...blocks.slice(end)] };
}

/** The document's blocks, escaped by blocksToHtml (layout() puts each table in a box that scrolls sideways). */
const documentHtml = (blocks: readonly Block[]): SafeHtml => raw(blocksToHtml(blocks));
