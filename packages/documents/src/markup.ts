/**
 * A document as a few kinds of block, written once and rendered as Markdown or as HTML (every text
 * escaped). Small on purpose: the objection file and the letter need headings, paragraphs, lists
 * and tables, nothing more.
 */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; numeric?: boolean[] };

export const heading = (level: 1 | 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const list = (items: string[]): Block => ({ kind: 'list', items });
export const table = (head: string[], rows: string[][], numeric?: boolean[]): Block => ({
  kind: 'table',
  head,
  rows,
  ...(numeric ? { numeric } : {}),
});

export interface Document {
  title: string;
  blocks: Block[];
  /** The reference (*kenmerk*) printed in every page's footer of the PDF, when the document has one. */
  reference?: string;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function toMarkdown(doc: Document): string {
  const out: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level)} ${b.text}`, '');
    else if (b.kind === 'paragraph') out.push(b.text, '');
    else if (b.kind === 'list') out.push(...b.items.map((i) => `- ${i}`), '');
    else {
      out.push(
        `| ${b.head.map(mdCell).join(' | ')} |`,
        `|${b.head.map((_, i) => (b.numeric?.[i] ? '---:' : '---')).join('|')}|`,
      );
      for (const r of b.rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Escaped text in which the € sign never breaks from its amount (a no-break space, also after a minus sign). */
const text = (s: string): string => escapeHtml(s).replace(/€ (?=[−-]?\d)/g, '€&nbsp;');

/** A table this wide is printed on a landscape page (see DOCUMENT_CSS), so that no column is cut off. */
export const WIDE_TABLE_COLUMNS = 8;
const isWide = (b: Block | undefined): boolean => b?.kind === 'table' && b.head.length >= WIDE_TABLE_COLUMNS;

function blockToHtml(b: Block): string {
  if (b.kind === 'heading') return `<h${b.level}>${text(b.text)}</h${b.level}>`;
  if (b.kind === 'paragraph') return `<p>${text(b.text)}</p>`;
  if (b.kind === 'list') return `<ul>${b.items.map((i) => `<li>${text(i)}</li>`).join('')}</ul>`;
  const cls = (i: number) => (b.numeric?.[i] ? ' class="num"' : '');
  // A header wraps at its spaces only: "wat-als" stays one word.
  const th = (h: string) => text(h).replace(/\S*-\S*/g, (w) => `<span class="nowrap">${w}</span>`);
  const head = b.head.map((h, i) => `<th${cls(i)}>${th(h)}</th>`).join('');
  const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${text(c)}</td>`).join('')}</tr>`).join('');
  return `<table${isWide(b) ? ' class="wide"' : ''}><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

export function blocksToHtml(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    // A wide table and the heading above it share a landscape page: the heading stays with its table.
    if (b.kind === 'heading' && isWide(blocks[i + 1])) {
      out.push(`<section class="wide">${blockToHtml(b)}\n${blockToHtml(blocks[i + 1]!)}</section>`);
      i++;
    } else if (isWide(b)) out.push(`<section class="wide">${blockToHtml(b)}</section>`);
    else out.push(blockToHtml(b));
  }
  return out.join('\n');
}

/**
 * On screen a column of text; in print A4 with margins that leave room for the footer (page number and
 * reference, printed by output.ts), and wide tables on landscape pages of their own (CSS named pages).
 */
export const DOCUMENT_CSS = `body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
table{border-collapse:collapse;margin:0.5rem 0 1rem}th,td{border:1px solid #bbb;padding:0.2rem 0.5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:1.5rem}h3{font-size:1rem}
@page{size:A4;margin:18mm 16mm 20mm}@page landscape{size:A4 landscape;margin:14mm 12mm 18mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:10pt}section.wide{page:landscape}
table{width:100%;font-size:8.5pt;page-break-inside:auto}tr{page-break-inside:avoid}thead{display:table-header-group}
th,td{padding:0.15rem 0.3rem}td{overflow-wrap:break-word}th.num{white-space:normal}table.wide{font-size:7.5pt}
h2,h3{page-break-after:avoid}table.wide td:first-child{white-space:nowrap}}.nowrap{white-space:nowrap}`;

/** A standalone HTML page (lang nl), printable to PDF as it is. */
export function toHtml(doc: Document): string {
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title><style>${DOCUMENT_CSS}</style></head>
<body>
${blocksToHtml(doc.blocks)}
</body></html>
`;
}
