import { ADDRESS_PLACEHOLDER } from './residentLetter.js';
import { escapeHtml, toHtml, type Document } from './markup.js';

/**
 * A window envelope (DL/C5/6 with the window on the left) shows the address 20 mm from the left edge and about
 * 50 mm from the top of an A4 sheet. The address block is positioned there in print, measured from the page's
 * top margin (`--page-top-margin`, the margin of the document's @page rule), and keeps its place in the flow so
 * the text below never runs under the window. On screen it is a marked box.
 */
export const ADDRESS_WINDOW_CSS = [
  '.address-window{border:1px dashed #888;padding:2mm 3mm;width:85mm;min-height:30mm;color:#555;margin-bottom:1rem}',
  '@media print{:root{--page-top-margin:18mm;--page-left-margin:16mm}',
  '.letter-head{position:relative;height:calc(95mm - var(--page-top-margin))}',
  '.address-window{position:absolute;top:calc(50mm - var(--page-top-margin));',
  'left:calc(20mm - var(--page-left-margin));height:40mm;margin:0;box-sizing:border-box}}',
].join('\n');

const placeholderParagraph = `<p>${escapeHtml(ADDRESS_PLACEHOLDER)}</p>`;

/** The letter as HTML: the document's own page, with the address block at the window position. */
export function letterToHtml(doc: Document): string {
  const page = toHtml(doc);
  if (!page.includes(placeholderParagraph)) return page;
  return page
    .replace('</style>', `${ADDRESS_WINDOW_CSS}</style>`)
    .replace(
      placeholderParagraph,
      `<div class="letter-head"><div class="address-window">${escapeHtml(ADDRESS_PLACEHOLDER)}</div></div>`,
    );
}
