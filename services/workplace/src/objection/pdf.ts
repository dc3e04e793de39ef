import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskBsnRuns } from '@bijstand/platform';
import { toHtml, type Document } from '@bijstand/documents';
import { htmlToPdf } from '@bijstand/documents/output';

/** Thrown when a PDF is asked for while another one is printing: the route answers 503 with Retry-After. */
export class PdfBusyError extends Error {
  constructor() {
    super('another PDF is being printed');
    this.name = 'PdfBusyError';
  }
}

/**
 * One PDF at a time: each print starts a chromium (hundreds of MB), so a second request waits for nobody
 * and is told to come back, instead of a queue of browsers on a machine the nightly run shares.
 */
export class PdfPrinter {
  private busy = false;

  constructor(private readonly print: (doc: Document) => Promise<Buffer> = printPdf) {}

  async render(doc: Document): Promise<Buffer> {
    if (this.busy) throw new PdfBusyError();
    this.busy = true;
    try {
      return await this.print(doc);
    } finally {
      this.busy = false;
    }
  }
}

/** The document through @bijstand/documents' PDF renderer (A4, reference and page numbers in each footer). */
async function printPdf(doc: Document): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'workplace-pdf-'));
  try {
    const path = join(dir, 'dossier.pdf');
    const reference = doc.reference ? { reference: maskBsnRuns(doc.reference) } : {};
    await htmlToPdf(maskBsnRuns(toHtml(doc)), path, reference);
    return await readFile(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
