import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseReference, objectionReport } from '@bijstand/documents';
import { writeDocument } from '@bijstand/documents/output';
import { loadMunicipalities } from '@bijstand/platform';
import { loadCaseFile } from '../src/caseFile.js';
import { residentLetterOf, writeLetter } from '../src/residentLetterOf.js';
import { loadStoredHousehold } from '../src/replay.js';
import { whatIfOfText } from '../src/whatIfText.js';
import { repoRoot, runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { coupleAprilCorrectionLine } from '@bijstand/testkit/statements';

/**
 * A worked example's letter and objection file printed to PDF (chromium through playwright-core), turned into
 * PNG pages with pdftoppm (test-results/screenshots/, git-ignored) and read back with pdftotext: every page A4
 * (595×842 pt; the landscape pages of wide tables 842×595), with "pagina N van M" and the reference in its
 * footer, and every column header of the widest tables on the page, no word outside it.
 */
const AS_OF = '2027-08-01T21:59:59.999Z';
const REFERENCE = caseReference('GM0106', 'H-couple');
const shots = join(repoRoot, 'test-results', 'screenshots');
const dir = mkdtempSync(join(tmpdir(), 'bijstand-pdf-e2e-'));
let ex: RunExample;
let letterPdf: string;
let filePdf: string;

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const pageCount = (pdf: string) => Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [pdf]))![1]);
const pageText = (pdf: string, n: number) => run('pdftotext', ['-layout', '-f', `${n}`, '-l', `${n}`, pdf, '-']);
/** Each word with its page size, from pdftotext's bounding boxes. */
function words(pdf: string): Array<{ page: number; text: string; xMax: number; yMax: number; w: number; h: number }> {
  const html = run('pdftotext', ['-bbox', pdf, '-']);
  const out = [];
  let page = 0;
  let size = { w: 0, h: 0 };
  for (const line of html.split('\n')) {
    const p = /<page width="([\d.]+)" height="([\d.]+)"/.exec(line);
    if (p) ((page += 1), (size = { w: Number(p[1]), h: Number(p[2]) }));
    const w = /<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/.exec(line);
    if (w) out.push({ page, text: w[3]!, xMax: Number(w[1]), yMax: Number(w[2]), ...size });
  }
  return out;
}

beforeAll(async () => {
  ex = await runExample('couple-correction');
  const file = (await loadCaseFile(ex.store, ex.householdId, AS_OF))!;
  const household = await loadStoredHousehold(ex.store, ex.householdId);
  const ctx = { params: ex.scenario.parameters, policy: ex.scenario.policy };
  const line = coupleAprilCorrectionLine({ recordedAt: '2027-07-10T09:00:00Z' });
  const w = whatIfOfText(line, household, AS_OF, ctx, { mode: 'then', byVersion: new Map() }, () => {});
  const options = { municipality: 'Voorbeeldstad', issuedOn: '2027-08-02', reference: REFERENCE };
  const report = objectionReport(file, { ...options, whatIf: w.report, whatIfFacts: w.facts });
  // The letter as the CLI writes it: the decision of May from the demo municipality (its letters block).
  const demo = loadMunicipalities(join(repoRoot, 'infra', 'config', 'demo-municipality.json'));
  const letter = await residentLetterOf(ex.store, ex.householdId, demo, { month: '2027-05', asOf: AS_OF });
  filePdf = join(dir, 'bezwaardossier.pdf');
  letterPdf = join(dir, 'brief.pdf');
  await writeDocument(report, filePdf);
  await writeLetter(letter, letterPdf);
  mkdirSync(shots, { recursive: true });
  for (const f of readdirSync(shots)) if (/^(objection-file|letter-pdf)-\d+\.png$/.test(f)) rmSync(join(shots, f));
  run('pdftoppm', ['-r', '60', '-png', filePdf, join(shots, 'objection-file')]);
  run('pdftoppm', ['-r', '60', '-png', letterPdf, join(shots, 'letter-pdf')]);
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await ex?.store.close();
});

describe('letter and objection file as printed PDF', () => {
  for (const [name, prefix, reference] of [
    ['objection file', 'objection-file', REFERENCE],
    ['letter', 'letter-pdf', 'GM9999-H-couple-202705-1'],
  ] as const)
    it(`${name}: every page is A4, a PNG, and has "pagina N van M" and the reference in its footer`, () => {
      const pdf = name === 'letter' ? letterPdf : filePdf;
      const total = pageCount(pdf);
      expect(total).toBeGreaterThan(name === 'letter' ? 0 : 3);
      const pngs = readdirSync(shots).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.png'));
      expect(pngs).toHaveLength(total);
      const sizes = run('pdfinfo', ['-f', '1', '-l', `${total}`, pdf]);
      for (const m of sizes.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)) {
        const [w, h] = [Math.round(Number(m[1])), Math.round(Number(m[2]))].sort((a, b) => a - b);
        expect([w, h]).toEqual([595, 842]);
      }
      for (let n = 1; n <= total; n++) {
        const text = pageText(pdf, n);
        expect(text, `page ${n}`).toContain(`pagina ${n} van ${total}`);
        expect(text, `page ${n}`).toContain(`Kenmerk ${reference}`);
      }
    });

  it('the widest tables keep every column: each header on its page, no word beyond the page edge', () => {
    const total = pageCount(filePdf);
    const text = Array.from({ length: total }, (_, i) => pageText(filePdf, i + 1));
    const wordsOf = (page: string) => new Set(page.split(/\s+/));
    const tables = [
      // The month overview (12 columns) and the what-if's payments (10 columns): on landscape pages.
      [
        'maand',
        'norm',
        'inkomen',
        'vrijgelaten',
        'meegeteld',
        'bijstand',
        'voorschot',
        'vakantietoeslag',
        'verrekend',
        'bufferbudget',
        'uitbetaald',
        'stand',
      ],
      [
        'voorschot besloten',
        'voorschot wat-als',
        'verrekend besloten',
        'verrekend wat-als',
        'bufferbudget besloten',
        'bufferbudget wat-als',
        'uitbetaald besloten',
        'uitbetaald wat-als',
        'verschil uitbetaald',
      ],
      ['bijstand besloten', 'bijstand wat-als', 'vakantietoeslag besloten', 'vakantietoeslag wat-als', 'verschil'],
    ];
    for (const head of tables) {
      // Chromium leaves out what falls beyond the page, so a cut-off column is a header missing from every page.
      const page = text.find((t) => head.every((h) => h.split(' ').every((w) => wordsOf(t).has(w))));
      expect(page, `a page with every column of: ${head.join(', ')}`).toBeDefined();
    }
    // The last columns' values are printed: the overview's state, the what-if's payment difference of July.
    expect(text.join('\n')).toMatch(/vastgesteld \(versie 2\)/);
    expect(text.join('\n')).toMatch(/€ 58,22/);
    for (const w of words(filePdf)) {
      expect(w.xMax, `"${w.text}" on page ${w.page}`).toBeLessThanOrEqual(w.w);
      expect(w.yMax, `"${w.text}" on page ${w.page}`).toBeLessThanOrEqual(w.h);
    }
  });

  it('letter: the address block is at the window of an envelope (20 mm in, 50 mm down)', () => {
    const bbox = run('pdftotext', ['-bbox', '-f', '1', '-l', '1', letterPdf, '-']);
    const word = /<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>\[adres<\/word>/.exec(bbox);
    expect(word, 'the address placeholder on page 1').not.toBeNull();
    const mm = (pt: string) => (Number(pt) * 25.4) / 72;
    // The block's text sits inside its 3 mm / 2 mm padding: the window of a DL envelope is 20 mm in, 45-50 mm down.
    expect(mm(word![1]!)).toBeGreaterThan(20);
    expect(mm(word![1]!)).toBeLessThan(26);
    expect(mm(word![2]!)).toBeGreaterThan(50);
    expect(mm(word![2]!)).toBeLessThan(56);
  });
});
