import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { maskBsnRuns } from '@bijstand/platform';
import { toHtml, toMarkdown, type Document } from './markup.js';

export type DocumentFormat = 'md' | 'html' | 'pdf';

/** The format a file name asks for: .html/.htm, .pdf, else Markdown. */
export function formatOfPath(path: string): DocumentFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.pdf' ? 'pdf' : ext === '.html' || ext === '.htm' ? 'html' : 'md';
}

/** Debian's chromium (CHROMIUM_PATH to name another), the one browser this machine has. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** HTML printed to PDF by headless chromium; no network, a throw-away profile. */
export async function htmlToPdf(html: string, outPath: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bijstand-pdf-'));
  try {
    const page = join(dir, 'document.html');
    writeFileSync(page, html);
    await promisify(execFile)(
      chromiumPath(),
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${resolve(outPath)}`,
        `file://${page}`,
      ],
      { timeout: 60_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes the document in the format its file name asks for. Every text passes maskBsnRuns: a household
 * id or a reason from another system may hold a BSN, and a document leaves the system.
 */
export async function writeDocument(doc: Document, path: string): Promise<DocumentFormat> {
  const format = formatOfPath(path);
  if (format === 'md') writeFileSync(path, maskBsnRuns(toMarkdown(doc)));
  else if (format === 'html') writeFileSync(path, maskBsnRuns(toHtml(doc)));
  else await htmlToPdf(maskBsnRuns(toHtml(doc)), path);
  return format;
}
