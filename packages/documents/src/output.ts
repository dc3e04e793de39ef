import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { maskBsnRuns } from '@bijstand/platform';
import { escapeHtml, toHtml, toMarkdown, type Document } from './markup.js';

export type DocumentFormat = 'md' | 'html' | 'pdf';

/** The format a file name asks for: .html/.htm, .pdf, else Markdown. */
export function formatOfPath(path: string): DocumentFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.pdf' ? 'pdf' : ext === '.html' || ext === '.htm' ? 'html' : 'md';
}

/** Debian's chromium (CHROMIUM_PATH to name another), the one browser this machine has. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What every page's footer says: the reference (*kenmerk*) and "pagina N van M", filled in by chromium. */
export function footerTemplate(reference?: string): string {
  const ref = reference ? `Kenmerk ${escapeHtml(reference)}` : '';
  const style =
    'font-size:8pt;font-family:system-ui,sans-serif;width:100%;margin:0 12mm;' +
    'display:flex;justify-content:space-between;color:#333';
  const page = 'pagina <span class="pageNumber"></span> van <span class="totalPages"></span>';
  return `<div style="${style}"><span>${ref}</span><span>${page}</span></div>`;
}

/**
 * HTML printed to PDF by headless chromium through playwright-core: A4 (the page size and the landscape
 * pages of wide tables come from the document's @page CSS), a footer on every page with the reference and
 * the page number. No network: the page is set as content, nothing is fetched.
 */
export async function htmlToPdf(html: string, outPath: string, options: { reference?: string } = {}): Promise<void> {
  // Loaded when a PDF is asked for: Markdown and HTML (and the CLI's start) do without the browser driver.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 60_000,
  });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({
      path: outPath,
      format: 'A4',
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(options.reference),
    });
  } finally {
    await browser.close();
  }
}

/**
 * Writes the document in the format its file name asks for. Every text passes maskBsnRuns: a household
 * id or a reason from another system may hold a BSN, and a document leaves the system. A PDF's footer
 * carries `options.reference`, else the document's own reference.
 */
export async function writeDocument(
  doc: Document,
  path: string,
  options: { reference?: string } = {},
): Promise<DocumentFormat> {
  const format = formatOfPath(path);
  const reference = options.reference ?? doc.reference;
  if (format === 'md') writeFileSync(path, maskBsnRuns(toMarkdown(doc)));
  else if (format === 'html') writeFileSync(path, maskBsnRuns(toHtml(doc)));
  else await htmlToPdf(maskBsnRuns(toHtml(doc)), path, reference ? { reference: maskBsnRuns(reference) } : {});
  return format;
}
