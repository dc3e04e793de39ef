import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passesElfproef } from '@bijstand/domain';
import { loadStoredHousehold, replayAsOf } from '../src/replay.js';
import { loadCaseFile } from '../src/caseFile.js';
import {
  ANNEX_HEADING,
  fullCitation,
  objectionReport,
  readability,
  residentLetter,
  toHtml,
  toMarkdown,
  type CaseFile,
} from '@bijstand/documents';
// The worked examples run through the services (the CLI's scenario pipeline); shared with the CLI's tests.
import { exampleNames, goldenDir, runExample } from '../../../packages/cli/test/support/examples.js';

const CONTACT = {
  municipality: 'Voorbeeldstad (demo)',
  phone: '14 0123',
  objectionAddress: 'Gemeente Voorbeeldstad, Postbus 100, 1000 AA Voorbeeldstad',
};
const update = process.env.UPDATE_GOLDEN === '1';

/** The month a worked example's letter is about: the one that shows the most (buffer, offset, holiday payout, income). */
export function letterMonth(file: CaseFile): string {
  const settledAndPaid = file.months.filter((m) => m.settlement && m.payment);
  const pick = (f: (m: (typeof settledAndPaid)[number]) => boolean) => settledAndPaid.find(f)?.month;
  return (
    pick((m) => m.payment!.bufferDraw !== '0.00') ??
    pick((m) => m.payment!.offset !== '0.00') ??
    pick((m) => m.payment!.holidayPayout !== '0.00') ??
    pick((m) => m.income.length > 0) ??
    settledAndPaid[0]?.month ??
    file.months[0]!.month
  );
}

function compareGolden(file: string, actual: string): void {
  const path = join(goldenDir, file);
  if (update || !existsSync(path)) writeFileSync(path, actual);
  expect(actual, `${file} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
}

/** No 9-digit run that passes the elfproef: a BSN never appears in clear text. */
const clearBsns = (text: string) => [...text.matchAll(/(?<!\d)\d{9}(?!\d)/g)].map((m) => m[0]).filter(passesElfproef);

describe('objection file and resident letter of each worked example (golden files)', () => {
  for (const name of exampleNames()) {
    it(name, async () => {
      const ex = await runExample(name);
      const file = (await loadCaseFile(ex.store, ex.householdId, ex.asOf))!;
      const { stored, runs } = await loadStoredHousehold(ex.store, ex.householdId);
      const cmp = replayAsOf(stored, runs, ex.asOf, { params: ex.scenario.parameters, policy: ex.scenario.policy });
      const check = {
        identical: cmp.identical,
        decisionsCompared: cmp.decisionsCompared,
        differences: cmp.differences.length,
        rulesVersions: Object.keys(cmp.storedRulesVersions),
      };
      const report = toMarkdown(
        objectionReport(file, { municipality: CONTACT.municipality, issuedOn: ex.asOf.slice(0, 10), check }),
      );
      const month = letterMonth(file);
      const letter = toMarkdown(residentLetter(file, { ...CONTACT, month, issuedOn: ex.asOf.slice(0, 10) }));
      compareGolden(`${name}.report.md`, report);
      compareGolden(`${name}.letter-${month}.md`, letter);
      expect(cmp.identical).toBe(true);
      expect(clearBsns(report + letter)).toEqual([]);
      // Legal bases once per report, not per month.
      for (const ref of file.legalBases) expect(report.split(`${fullCitation(ref)}\n`).length - 1, ref.label).toBe(1);
      // Every month of the case up to the as-of month is there, settled or marked as not yet settled.
      for (const m of file.months)
        expect(report).toMatch(m.settlement ? `vastgesteld (versie ${m.settlement.version})` : 'nog niet vastgesteld');
      // The letter's body reads at B1: short sentences, no jargon, no article numbers (the annex has them).
      const body = letter.slice(0, letter.indexOf(`## ${ANNEX_HEADING}`));
      const r = readability(body);
      expect(r.jargon, name).toEqual([]);
      expect(r.articleNumbers, name).toEqual([]);
      expect(r.longestSentence.words, r.longestSentence.text).toBeLessThanOrEqual(20);
      expect(r.averageWords).toBeLessThanOrEqual(12);
      expect(letter.slice(letter.indexOf(`## ${ANNEX_HEADING}`))).toContain(
        'Algemene wet bestuursrecht (BWBR0005537), art. 6:7',
      );
      await ex.store.close();
    });
  }

  it('the couple example in detail: March is paid in halves, May uses the buffer, the claim of April is offset', async () => {
    const ex = await runExample('couple-correction');
    const file = (await loadCaseFile(ex.store, ex.householdId, ex.asOf))!;
    const letter = toMarkdown(residentLetter(file, { ...CONTACT, month: '2027-05', issuedOn: '2027-06-01' }));
    expect(letter).toContain('U krijgt over mei 2027 € ');
    expect(letter).toContain('Wij betalen dit op 25 mei 2027.');
    expect(letter).toContain('Het bufferbudget betaalt € 608,16 van dat bedrag.');
    const html = toHtml(
      residentLetter(file, { ...CONTACT, municipality: '<b>Stad & Co</b>', month: '2027-05', issuedOn: '2027-06-01' }),
    );
    expect(html).toContain('gemeente &lt;b&gt;Stad &amp; Co&lt;/b&gt;');
    expect(html).not.toContain('<b>Stad');
    await ex.store.close();
  });
});
