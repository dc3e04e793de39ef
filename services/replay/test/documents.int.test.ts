import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passesElfproef } from '@bijstand/domain';
import { loadStoredHousehold, replayAsOf } from '../src/replay.js';
import { loadCaseFile } from '../src/caseFile.js';
import { fullCitation, objectionReport, toMarkdown } from '@bijstand/documents';
// The worked examples run through the services (the CLI's scenario pipeline); shared with the CLI's tests.
import { exampleNames, goldenDir, runExample } from '../../../packages/cli/test/support/examples.js';

const CONTACT = {
  municipality: 'Voorbeeldstad (demo)',
  phone: '14 0123',
  objectionAddress: 'Gemeente Voorbeeldstad, Postbus 100, 1000 AA Voorbeeldstad',
};
const update = process.env.UPDATE_GOLDEN === '1';

function compareGolden(file: string, actual: string): void {
  const path = join(goldenDir, file);
  if (update || !existsSync(path)) writeFileSync(path, actual);
  expect(actual, `${file} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
}

/** No 9-digit run that passes the elfproef: a BSN never appears in clear text. */
const clearBsns = (text: string) => [...text.matchAll(/(?<!\d)\d{9}(?!\d)/g)].map((m) => m[0]).filter(passesElfproef);

describe('objection file of each worked example (golden files; the letters: letter.int.test.ts)', () => {
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
      compareGolden(`${name}.report.md`, report);
      expect(cmp.identical).toBe(true);
      expect(clearBsns(report)).toEqual([]);
      // Legal bases once per report, not per month.
      for (const ref of file.legalBases) expect(report.split(`${fullCitation(ref)}\n`).length - 1, ref.label).toBe(1);
      // Every month of the case up to the as-of month is there, settled or marked as not yet settled.
      for (const m of file.months)
        expect(report).toMatch(m.settlement ? `vastgesteld (versie ${m.settlement.version})` : 'nog niet vastgesteld');
      await ex.store.close();
    });
  }
});
