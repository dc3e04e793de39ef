import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath } from '@bijstand/documents/output';
import type { EventStore } from '@bijstand/event-store';
import { Ingestor, listRejected } from '@bijstand/ingest';
import { createLogger, householdStream, loadMunicipalities, REJECTED_HANDLED_STREAM } from '@bijstand/platform';
import { repoRoot, runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { caseOpened, validBsn } from '../../ingest/test/fixtures.js';
import { workplaceOn } from './support/workplace.js';
import { launchChromium, logIn, newPage, SHOTS } from './support/browser.js';

/**
 * Issue #24 "done when", the backoffice: a message rejected because its municipality was not configured is
 * retried from the page in a real browser once the deployment names it, and the page shows it processed with
 * who and when; another is dismissed with a reason. At 1,366 px and at 390 px wide.
 */
const haveChromium = existsSync(chromiumPath());
const NOW = '2027-12-01T10:00:00Z';
const logger = createLogger('test', { level: 'silent' });
const before = loadMunicipalities(join(repoRoot, 'infra', 'config', 'demo-municipality.json'));
const after = loadMunicipalities(join(repoRoot, 'infra', 'config', 'werkplein-drentsche-aa.json'));
const ingestorUnder = (store: EventStore, m: typeof before) =>
  new Ingestor(store, m.defaultMunicipality.ctx, logger, { municipalities: m });

let ex: RunExample;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let gieten: string;
let ansen: string;
const cspViolations: string[] = [];
afterEach(() => expect(cspViolations.splice(0)).toEqual([]));

beforeAll(async () => {
  if (!haveChromium) return;
  ex = await runExample('couple-correction');
  const ingest = ingestorUnder(ex.store, before);
  for (const [id, bsn, line] of [
    ['H-gieten', validBsn(41), 3],
    ['H-ansen', validBsn(42), 4],
  ] as const)
    await ingest.ingest({
      kind: 'case',
      payload: JSON.stringify(caseOpened(id, [bsn], '2027-11-01', { municipality: 'GM1730' })),
      recordedAt: '2027-11-20T08:00:00Z',
      source: { type: 'file', name: 'zaken-tynaarlo.ndjson', line },
    });
  [gieten, ansen] = (await listRejected(ex.store)).map((r) => r.id) as [string, string];
  app = await workplaceOn(ex.store, NOW, undefined, {
    municipalities: after,
    ingestor: ingestorUnder(ex.store, after),
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ex?.store.close();
});

/** Bram logged in through the form at `width`, on his start page; chromium's CSP refusals are collected. */
async function loggedIn(width: number): Promise<Page> {
  const page = await newPage(browser, width, { csp: cspViolations });
  await logIn(page, base, 'Bram Backoffice');
  await page.waitForURL(`${base}/backoffice`);
  return page;
}

describe.skipIf(!haveChromium)('the backoffice in a real browser (Debian chromium)', () => {
  it('retries a message whose cause was fixed, and sees it processed with who and when', async () => {
    const page = await loggedIn(1366);
    const message = page.locator(`article[data-message="${gieten}"]`);
    expect(await message.locator('dl').innerText()).toContain('bestand zaken-tynaarlo.ndjson, regel 3');
    await page.screenshot({ path: join(SHOTS, 'backoffice-messages.png'), fullPage: true });
    const retry = message.locator('form', { has: page.getByRole('button', { name: 'Opnieuw verwerken' }) });
    await retry.getByRole('textbox').fill('GM1730 staat nu in MUNICIPALITY_CONFIG');
    await retry.getByRole('button', { name: 'Opnieuw verwerken' }).click();
    await page.waitForURL(/\/backoffice\?gedaan=verwerkt/);
    expect(await page.getByRole('status').innerText()).toBe(
      `Bericht ${gieten} opnieuw verwerkt: vastgelegd in huishouden H-gieten.`,
    );
    expect(await page.locator(`tr[data-message="${gieten}"]`).innerText()).toContain(
      'opnieuw verwerkt: vastgelegd, door Bram Backoffice op 1 december 2027 om 11:00 uur: GM1730 staat nu in ' +
        'MUNICIPALITY_CONFIG',
    );
    await page.screenshot({ path: join(SHOTS, 'backoffice-retried.png'), fullPage: true });
    // The event: who (the session's user), why, when; and the case it opened.
    const [event] = await ex.store.readStream(REJECTED_HANDLED_STREAM);
    expect(event!.data).toMatchObject({
      action: 'retried',
      by: 'Bram Backoffice',
      reason: 'GM1730 staat nu in MUNICIPALITY_CONFIG',
      at: NOW,
      outcome: 'recorded',
      householdId: 'H-gieten',
    });
    expect((await ex.store.readStream(householdStream('H-gieten'))).map((e) => e.type)).toEqual(['CaseOpened']);
    await page.context().close();
  });

  it('dismisses a message with a reason at 390 px wide, without sideways scrolling outside its tables', async () => {
    const page = await loggedIn(390);
    const message = page.locator(`article[data-message="${ansen}"]`);
    const dismiss = message.locator('form', { has: page.getByRole('button', { name: 'Afwijzen met reden' }) });
    // A dismissal without a reason is not sent (the field is required).
    await dismiss.getByRole('button', { name: 'Afwijzen met reden' }).click();
    expect(page.url()).toBe(`${base}/backoffice`);
    await dismiss.getByRole('textbox').fill('dubbel aangeleverd');
    await dismiss.getByRole('button', { name: 'Afwijzen met reden' }).click();
    await page.waitForURL(/\/backoffice\?gedaan=afgewezen/);
    expect(await page.getByRole('status').innerText()).toBe(`Bericht ${ansen} afgewezen; het wordt niet verwerkt.`);
    expect(await page.getByRole('heading', { name: 'Afgewezen berichten (0)' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'backoffice-390.png'), fullPage: true });
    // Wide tables scroll inside their own box; nothing else is wider than the page's content.
    const wider = await page
      .locator('main')
      .evaluate((m) =>
        [...m.querySelectorAll('*')]
          .filter((e) => !e.closest('.scroll') && e.getBoundingClientRect().right > m.getBoundingClientRect().right + 1)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent?.slice(0, 40)}`),
      );
    expect(wider).toEqual([]);
    const last = (await ex.store.readStream(REJECTED_HANDLED_STREAM)).at(-1)!;
    expect(last.data).toMatchObject({ action: 'dismissed', by: 'Bram Backoffice', reason: 'dubbel aangeleverd' });
    await page.context().close();
  });
});
