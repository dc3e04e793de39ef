import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath } from '@bijstand/documents/output';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { workplaceOn } from './support/workplace.js';
import {
  axeViolations,
  launchChromium,
  logIn,
  newPage,
  pageWidth,
  SHOTS,
  WIDTHS,
  type AxeViolation,
} from './support/browser.js';

/**
 * Issue #24's design checks over every page of every role, at 1,366 px and 390 px: axe-core finds no WCAG 2.1
 * AA violation, the page does not scroll sideways, and no English word is left in what a user reads.
 * A screenshot of each page at each width lands in test-results/screenshots/ (git-ignored).
 */
const haveChromium = existsSync(chromiumPath());

/** English words a Dutch user must not meet (the words the issue found, and their kin). */
const FORBIDDEN =
  /\b(households?|alerts?|pending|claims?|offset|payments?|runs?|failed|not recorded|details|acknowledged|settled|rejected|reason|source|month|amount)\b/gi;

/**
 * English still on pages other helpers of issue #24 own (the alert reasons: the alerts' Dutch texts; the inbox: the
 * consultant's pages). Listed so that this branch's test holds what it owns; delete an entry once it is Dutch.
 */
const ENGLISH_ELSEWHERE: Record<string, readonly string[]> = {};

/** A page as a role reaches it: by its address, or by what the user does on another page. */
interface PageCase {
  name: string;
  user: string | null;
  open: (page: Page, base: string) => Promise<void>;
}
const at = (path: string) => async (page: Page, base: string) => void (await page.goto(`${base}${path}`));
const LOWER_APRIL = JSON.stringify({
  statement: {
    messageId: 'm-0021-corr',
    bsn: '123456782',
    employer: { payrollTaxNumber: '123456789L01', name: 'Zorggroep Noord' },
    incomeRelationshipId: 'IKV-zorg-7',
    period: { start: '2027-04-01', end: '2027-04-30', kind: 'month' },
    taxableWage: '1450.00',
    withheldTax: '98.40',
    kind: 'correction',
    paymentDate: '2027-04-24',
    holidayAllowanceAccrued: '132.00',
  },
});
const whatIfResult = async (page: Page, base: string) => {
  await page.goto(`${base}/households/H-couple/report?asOf=2027-08-01`);
  await page.getByLabel('Gewijzigde gegevens').fill(LOWER_APRIL);
  await page.getByRole('button', { name: 'Bereken wat als' }).click();
  await page.waitForURL(`${base}/households/H-couple/report/what-if`);
};

const CONSULTANT = 'Karin Klantmanager';
const BACKOFFICE = 'Bram Backoffice';
const HANDLER = 'Olga Bezwaar';
const PAGES: PageCase[] = [
  { name: 'login', user: null, open: at('/login') },
  { name: 'inbox', user: CONSULTANT, open: at('/inbox') },
  { name: 'households', user: CONSULTANT, open: at('/households') },
  { name: 'household', user: CONSULTANT, open: at('/households/H-couple') },
  { name: 'objection-as-of', user: CONSULTANT, open: at('/households/H-couple/report?asOf=2027-07-31') },
  { name: 'objection-what-if', user: CONSULTANT, open: whatIfResult },
  { name: 'letter', user: CONSULTANT, open: at('/households/H-couple/letter?month=2027-05') },
  { name: 'backoffice', user: BACKOFFICE, open: at('/backoffice') },
  { name: 'handler-households', user: HANDLER, open: at('/households') },
  { name: 'handler-household', user: HANDLER, open: at('/households/H-couple') },
  { name: 'handler-objection-as-of', user: HANDLER, open: at('/households/H-couple/report') },
  { name: 'handler-objection-what-if', user: HANDLER, open: whatIfResult },
];

interface Finding {
  page: string;
  width: number;
  violations: AxeViolation[];
  scrollWidth: number;
  english: string[];
}

let ex: RunExample;
let app: FastifyInstance;
let browser: Browser;
let base: string;
const findings: Finding[] = [];

/** The screenshot of a page as `c` opens it, then what the checks below need from it. */
async function visit(page: Page, c: PageCase, width: number): Promise<Finding> {
  await c.open(page, base);
  await page.screenshot({ path: join(SHOTS, `${c.name}-${width}.png`), fullPage: true });
  const text = await page.evaluate(() => document.body.innerText);
  return {
    page: c.name,
    width,
    violations: await axeViolations(page),
    scrollWidth: await pageWidth(page),
    english: [...new Set([...text.matchAll(FORBIDDEN)].map((m) => m[0].toLowerCase()))].sort(),
  };
}

/**
 * One user's pages at both widths in one browser context, logged in once through the form: a login per visit
 * (a context, the form, scrypt, the redirect) cost more than the visit itself. Each page is opened afresh after
 * the window takes the width, so what is checked is the page as it loads at that width.
 */
async function visitAs(user: string | null): Promise<Finding[]> {
  const page = await newPage(browser, WIDTHS[0]);
  if (user !== null) await logIn(page, base, user);
  const found: Finding[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const c of PAGES.filter((p) => p.user === user)) found.push(await visit(page, c, width));
  }
  await page.context().close();
  return found;
}

beforeAll(async () => {
  if (!haveChromium) return;
  ex = await runExample('couple-correction');
  // The machine is shared while the browser runs axe: the load shedder's lag check is load.e2e.test.ts's business.
  app = await workplaceOn(ex.store, undefined, undefined, { limits: { maxEventLoopLagMs: 60_000 } });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  // Two users at a time: while one page waits on the server or the browser's other process, the other works.
  const users = [...new Set(PAGES.map((c) => c.user))];
  const lanes = [0, 1].map(async () => {
    for (let user = users.shift(); user !== undefined; user = users.shift()) findings.push(...(await visitAs(user)));
  });
  await Promise.all(lanes);
  // In the order of the pages and widths, whichever user's lane finished first.
  const order = (f: Finding) =>
    (WIDTHS as readonly number[]).indexOf(f.width) * PAGES.length + PAGES.findIndex((c) => c.name === f.page);
  findings.sort((a, b) => order(a) - order(b));
  // What was found, page by page, for whoever fixes it (git-ignored with the screenshots).
  writeFileSync(join(SHOTS, '..', 'design-findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ex?.store.close();
});

describe.skipIf(!haveChromium)('every page, every role, at 1,366 px and 390 px (Debian chromium)', () => {
  it('axe-core: no WCAG 2.1 AA violation', () => {
    expect(findings.filter((f) => f.violations.length > 0)).toEqual([]);
  });

  it('no page scrolls sideways: wide tables scroll inside their own box, the header wraps', () => {
    expect(findings.filter((f) => f.scrollWidth > f.width).map((f) => [f.page, f.width, f.scrollWidth])).toEqual([]);
  });

  it('no English word in what a user reads', () => {
    const left = (f: Finding) => f.english.filter((w) => !ENGLISH_ELSEWHERE[f.page]?.includes(w));
    expect(findings.filter((f) => left(f).length > 0).map((f) => [f.page, f.width, left(f)])).toEqual([]);
  });
});
