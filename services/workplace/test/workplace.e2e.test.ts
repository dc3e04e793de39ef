import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath } from '@bijstand/documents/output';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { workplaceOn } from './support/workplace.js';
import { launchChromium, logIn, newPage, SHOTS } from './support/browser.js';
const haveChromium = existsSync(chromiumPath());
if (!haveChromium)
  console.warn(
    `workplace browser tests skipped: no chromium at ${chromiumPath()} (make test installs Debian's chromium)`,
  );

let ex: RunExample;
let app: FastifyInstance;
let browser: Browser;
let base: string;
/** What chromium refused under the Content-Security-Policy (an inline style or script a page still has). */
const cspViolations: string[] = [];
afterEach(() => expect(cspViolations.splice(0)).toEqual([]));

beforeAll(async () => {
  if (!haveChromium) return;
  ex = await runExample('couple-correction');
  app = await workplaceOn(ex.store);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ex?.store.close();
});

/** Logged in as `name` through the form at 1,280 px; chromium's CSP refusals are collected. */
async function loggedIn(name: string): Promise<Page> {
  const page = await newPage(browser, 1280, { csp: cspViolations });
  await logIn(page, base, name);
  return page;
}

describe.skipIf(!haveChromium)('the workplace in a real browser (Debian chromium)', () => {
  it('consultant: logs in, acknowledges an alert in the inbox, opens the household and its chart', async () => {
    const page = await loggedIn('Karin Klantmanager');
    await page.waitForURL(`${base}/inbox`);
    await expect(page.getByText('3 van 3 signalen.').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SHOTS, 'inbox.png'), fullPage: true });
    const row = page.locator('tr[data-alert="H-couple:below-minimum:2027-07"]');
    await row.getByRole('button', { name: 'Afhandelen' }).click();
    await page.waitForURL(`${base}/inbox`);
    expect(await page.getByText('2 van 3 signalen.').count()).toBe(1);
    await page.goto(`${base}/inbox?state=acknowledged`);
    expect(await page.locator('tr[data-alert="H-couple:below-minimum:2027-07"]').innerText()).toContain(
      'afgehandeld door Karin Klantmanager',
    );
    await page.getByRole('link', { name: 'H-couple' }).first().click();
    await page.waitForURL(`${base}/households/H-couple`);
    const chart = page.locator('svg.chart');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator('g.series').count()).toBe(4);
    expect(await chart.locator('g[data-series="uitbetaald"] circle').count()).toBe(11);
    await page.locator('details[data-month="2027-05"] > summary').click();
    expect(await page.locator('details[data-month="2027-05"]').innerText()).toContain(
      'het bufferbudget vulde € 608,16 aan',
    );
    await page.screenshot({ path: join(SHOTS, 'household.png'), fullPage: true });
    expect(await page.content()).not.toMatch(/111222333|123456782/);
    await page.context().close();
  });

  it('a self-submitting form on another port of the same host (same site): 403, nothing stored', async () => {
    const page = await loggedIn('Karin Klantmanager');
    await page.waitForURL(`${base}/inbox`);
    // The workplace's own stylesheet applies under its Content-Security-Policy (no inline style).
    await page.reload();
    expect(await page.locator('header').evaluate((h) => getComputedStyle(h).backgroundColor)).toBe('rgb(21, 66, 115)');
    const attacker = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<form method="post" action="${base}/alerts/H-couple:buffer-exhausted:2027-07/ack">` +
            '<input name="by" value="csrf-attacker"></form><script>document.forms[0].submit()</script>',
        ),
    );
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const { port } = attacker.address() as AddressInfo;
    const refused = page.waitForResponse((r) => r.url().endsWith('/ack'));
    await page.goto(`http://127.0.0.1:${port}/`);
    expect((await refused).status()).toBe(403);
    attacker.close();
    const acks = (await ex.store.readStream('alerts')).filter((e) => e.type === 'AlertAcknowledged');
    expect(acks.map((e) => (e.data as { alertId: string }).alertId)).not.toContain('H-couple:buffer-exhausted:2027-07');
    expect(JSON.stringify(acks)).not.toContain('csrf-attacker');
    await page.context().close();
  });

  it('objection handler: opens a household, its objection file and the resident letter', async () => {
    const page = await loggedIn('Olga Bezwaar');
    await page.waitForURL(`${base}/households`);
    await page.getByRole('link', { name: 'H-couple' }).click();
    await page.getByRole('link', { name: 'Dossier voor bezwaar (afdrukbaar)' }).click();
    await page.waitForURL(`${base}/households/H-couple/report`);
    expect(await page.locator('h1').innerText()).toBe('Dossier voor bezwaar: huishouden H-couple');
    await page.screenshot({ path: join(SHOTS, 'objection-report.png'), fullPage: true });
    await page.goto(`${base}/households/H-couple/letter?month=2027-05`);
    expect(await page.locator('h1').innerText()).toBe('Besluit over uw bijstand over mei 2027');
    expect(await page.locator('.address-window').innerText()).toBe('[adres uit het documentsysteem]');
    await page.screenshot({ path: join(SHOTS, 'letter.png'), fullPage: true });
    await page.context().close();
  });

  it('backoffice: sees the nightly runs and is refused a household page', async () => {
    const page = await loggedIn('Bram Backoffice');
    await page.waitForURL(`${base}/backoffice`);
    expect(await page.getByRole('heading', { name: 'Laatste nachtruns' }).count()).toBe(1);
    expect(await page.locator('table').first().locator('tbody tr').count()).toBe(14);
    await page.screenshot({ path: join(SHOTS, 'backoffice.png'), fullPage: true });
    const refused = await page.goto(`${base}/households/H-couple`);
    expect(refused?.status()).toBe(403);
    await page.context().close();
  });
});
