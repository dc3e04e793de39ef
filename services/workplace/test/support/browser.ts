import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from '@bijstand/documents/output';
import { repoRoot } from '../../../../packages/cli/test/support/examples.js';
import { TEST_PASSWORD } from './workplace.js';

/** Screenshots land here (git-ignored). */
export const SHOTS = join(repoRoot, 'test-results', 'screenshots');
/** The two widths every page is checked at: a laptop and a phone. */
export const WIDTHS = [1366, 390] as const;

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** What newPage's context records besides the page. */
export interface ContextOptions {
  /** Collects what chromium refused under the Content-Security-Policy (an inline style or script a page has). */
  csp?: string[];
}

/** A new page in a new browser context at `width` px, Dutch, that reaches only 127.0.0.1; not logged in. */
export async function newPage(browser: Browser, width: number, options: ContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    locale: 'nl-NL',
    acceptDownloads: true,
  });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const page = await context.newPage();
  const csp = options.csp;
  if (csp) page.on('console', (m) => void (m.text().includes('Content Security Policy') && csp.push(m.text())));
  return page;
}

/**
 * Logs in as `name` through the login form the start page leads to, sent by the button or by Enter in the password
 * field (keyboard only), and waits until the browser has left /login. On a machine this busy the load shedder may
 * answer "Even te druk" (503): a person tries again, so does this (at most three times).
 */
export async function logIn(page: Page, base: string, name: string, send: 'click' | 'enter' = 'click'): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${base}/`);
    if ((await page.getByLabel('Naam').count()) === 0)
      throw new Error(`no login form for ${name}: ${page.url()} ${(await page.content()).slice(0, 600)}`);
    await page.getByLabel('Naam').fill(name);
    await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/login` && r.request().method() === 'POST'),
      send === 'enter'
        ? page.getByLabel('Wachtwoord').press('Enter')
        : page.getByRole('button', { name: 'Aanmelden' }).click(),
    ]);
    if (answer.status() !== 503 || attempt === 3) break;
    await page.waitForTimeout(2_000);
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A new browser context at `width`, logged in as `name` through the form (null: not logged in, on the start page). */
export async function pageAs(
  browser: Browser,
  base: string,
  name: string | null,
  width: number,
  options: ContextOptions = {},
): Promise<Page> {
  const page = await newPage(browser, width, options);
  if (name === null) await page.goto(`${base}/`);
  else await logIn(page, base, name);
  return page;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The WCAG 2.1 A and AA rules (axe-core's tags). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2.1 AA check of the page as it is. The script is evaluated through the DevTools protocol
 * (playwright's evaluate), which the page's Content-Security-Policy (no script at all) does not govern.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
    }
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, WCAG_TAGS);
}

/** How wide the page is: wider than the window means it scrolls sideways. */
export const pageWidth = (page: Page): Promise<number> => page.evaluate(() => document.documentElement.scrollWidth);
