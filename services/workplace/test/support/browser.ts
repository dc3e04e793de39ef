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

/** A new browser context at `width`, only 127.0.0.1 reachable, logged in as `name` (null: not logged in). */
export async function pageAs(browser: Browser, base: string, name: string | null, width: number): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    locale: 'nl-NL',
    acceptDownloads: true,
  });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto(`${base}/`);
  if (name === null) return page;
  if ((await page.getByLabel('Naam').count()) === 0)
    throw new Error(`no login form for ${name} at ${width} px: ${page.url()} ${(await page.content()).slice(0, 600)}`);
  await page.getByLabel('Naam').fill(name);
  await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
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
