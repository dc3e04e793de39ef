import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Download } from 'playwright-core';
import { chromiumPath } from '@bijstand/documents/output';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { loginAs, workplaceOn } from './support/workplace.js';
import { launchChromium, pageAs } from './support/browser.js';
import { coupleAprilCorrectionLine } from '@bijstand/testkit/statements';

/** The objection handler's flow in a real browser: as-of, what-if by upload, both PDFs (Debian chromium). */
const haveChromium = existsSync(chromiumPath());
/** A later April wage for the partner, recorded after the correction of 3 July so that it stands (SPEC §1.1). */
const LATER_APRIL = coupleAprilCorrectionLine({ recordedAt: '2027-07-10T12:00:00Z', messageId: 'm-0021-corr-2' });

let ex: RunExample;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let dir: string;

beforeAll(async () => {
  if (!haveChromium) return;
  ex = await runExample('couple-correction');
  app = await workplaceOn(ex.store, undefined, undefined, { limits: { maxEventLoopLagMs: 60_000 } });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'werkplek-bezwaar-'));
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ex?.store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The text of a downloaded PDF (poppler's pdftotext), and its page size in points. */
async function pdfText(download: Download): Promise<{ text: string; size: string }> {
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return {
    text: execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }),
    size: /Page size:\s+(.*)/.exec(info)![1]!,
  };
}

describe.skipIf(!haveChromium)('the objection handler in a real browser', () => {
  it('picks a date, downloads that objection file as PDF, runs an uploaded what-if and downloads it too', async () => {
    const page = await pageAs(browser, base, 'Olga Bezwaar', 1366);
    await page.goto(`${base}/households/H-couple`);
    await page.getByRole('link', { name: 'Dossier voor bezwaar (afdrukbaar)' }).click();
    await page.getByLabel('Stand aan het eind van').fill('2027-07-31');
    await page.getByRole('button', { name: 'Toon dossier' }).click();
    await page.waitForURL(`${base}/households/H-couple/report?asOf=2027-07-31`);
    expect(await page.getByText('5 van 7 maanden zijn vastgesteld op 31 juli 2027 om 23:59 uur.').count()).toBe(1);

    const [asOfPdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download als PDF' }).click(),
    ]);
    expect(asOfPdf.suggestedFilename()).toBe('dossier-bezwaar-GM9999-H-couple.pdf');
    const asOf = await pdfText(asOfPdf);
    expect(asOf.text).toContain('Dossier voor bezwaar: huishouden H-couple');
    expect(asOf.text).toContain('5 van 7 maanden zijn vastgesteld op 31 juli 2027 om 23:59 uur.');
    expect(asOf.text).toMatch(/Kenmerk GM9999-H-couple\s+pagina 1 van \d+/);
    expect(asOf.size).toBe('594.96 x 841.92 pts (A4)');

    const before = (await ex.store.readAll()).length;
    const file = join(dir, 'april.ndjson');
    writeFileSync(file, `${LATER_APRIL}\n`);
    await page.getByLabel('Of een bestand').setInputFiles(file);
    await page.getByRole('button', { name: 'Bereken wat als' }).click();
    await page.waitForURL(`${base}/households/H-couple/report/what-if`);
    const status = await page.getByRole('status').innerText();
    expect(status).toContain('Wat als, stand 31 juli 2027: er is niets vastgelegd. 1 regel meegenomen.');
    expect(await page.locator('main').innerText()).toContain('Regel 1: loongegevens m-0021-corr-2 (correctie)');
    const [whatIfPdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download als PDF (met wat als)' }).click(),
    ]);
    const whatIf = await pdfText(whatIfPdf);
    expect(whatIf.text).toContain('Wat als: met de aangeleverde gegevens');
    expect(whatIf.text).toContain('m-0021-corr-2');
    // Two views in the access log (the what-if and its PDF), nothing else stored.
    expect((await ex.store.readAll()).length).toBe(before + 2);
    await page.context().close();
  });

  it('prints one PDF at a time: a second request meanwhile gets 503 with Retry-After, in Dutch', async () => {
    const s = await loginAs(app, 'Olga Bezwaar');
    const pdf = () =>
      app.inject({ url: '/households/H-couple/report.pdf?asOf=2027-07-31', headers: { cookie: s.cookie } });
    const first = pdf();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await pdf();
    expect([second.statusCode, second.headers['retry-after']]).toEqual([503, '5']);
    expect(second.body).toContain('Er wordt al een PDF gemaakt.');
    const done = await first;
    expect([done.statusCode, done.headers['content-type'], done.rawPayload.subarray(0, 5).toString()]).toEqual([
      200,
      'application/pdf',
      '%PDF-',
    ]);
  });
});
