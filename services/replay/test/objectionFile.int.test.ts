import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  caseReference,
  objectionReport,
  toMarkdown,
  whatIfBlocks,
  whatIfText,
  type CaseFile,
} from '@bijstand/documents';
import { loadCaseFile } from '../src/caseFile.js';
import { loadStoredHousehold, replayAsOf } from '../src/replay.js';
import { whatIfOfText } from '../src/whatIfText.js';
import { goldenDir, runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { coupleAprilCorrectionLine } from '@bijstand/testkit/statements';

/**
 * The objection file as a court document (issue #23), on the couple example: April is settled twice (the
 * correction m-0021 of 3 July), May's payment offsets March's claim with the bufferbudget, July offsets April's.
 * The what-if golden file is rewritten with UPDATE_GOLDEN=1 (as the worked examples' objection files in
 * documents.int.test.ts): `UPDATE_GOLDEN=1 pnpm exec vitest run services/replay/test/objectionFile.int.test.ts`.
 */
const AS_OF = '2027-08-01T21:59:59.999Z';
// The README's what-if line: a lower April wage for the partner (123456782 in the scenario).
const LOWER_APRIL = (recordedAt?: string) => coupleAprilCorrectionLine(recordedAt ? { recordedAt } : {});

let ex: RunExample;
let file: CaseFile;
let report: string;
const rules = { mode: 'then' as const, byVersion: new Map() };

beforeAll(async () => {
  ex = await runExample('couple-correction');
  file = (await loadCaseFile(ex.store, ex.householdId, AS_OF))!;
  report = toMarkdown(objectionReport(file, { municipality: 'Voorbeeldstad', issuedOn: '2027-08-02' }));
});
afterAll(() => ex.store.close());

async function whatIfOf(text: string) {
  const household = await loadStoredHousehold(ex.store, ex.householdId);
  const ctx = { params: ex.scenario.parameters, policy: ex.scenario.policy };
  const notices: string[] = [];
  const run = whatIfOfText(text, household, AS_OF, ctx, rules, (l) => notices.push(l));
  return { ...run, notices, markdown: toMarkdown({ title: 'wat als', blocks: whatIfBlocks(run.report, run.facts) }) };
}

/** A Markdown table row. */
const row = (...cells: string[]) => `| ${cells.join(' | ')} |`;
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september'];
const sortable = (d: string) => {
  const [day, month, year] = d.split(' ');
  return `${year}-${String(MONTHS.indexOf(month!) + 1).padStart(2, '0')}-${day!.padStart(2, '0')}`;
};

const section = (text: string, from: string, to: string) =>
  text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));

describe('the objection file of a corrected month', () => {
  it('shows every version of April (version 1 too) and what changed between them', () => {
    const april = section(report, '## april 2027', '## mei 2027');
    expect(april).toContain('| 1 | 1 juni 2027 | € 868,80 | € 738,48 | € 1.199,52 | € 32,50 | € 0,00 | € 0,00 |');
    expect(april).toContain(
      '| 2 | 4 juli 2027 | € 1.551,60 | € 1.318,86 | € 619,14 | € 0,00 | −€ 580,38 | −€ 580,38 |',
    );
    expect(april).toContain(
      '- nieuwe gegevens: m-0021 (correctie Zorggroep Noord, vastgelegd 3 juli 2027 om 14:00 uur, € 1.551,60)',
    );
    expect(april).toContain('- niet meer meegeteld: m-0015 (eerste opgave Zorggroep Noord');
    expect(april).toContain('bijstand € 1.199,52 → € 619,14; vakantietoeslag € 32,50 → € 0,00');
  });

  it("puts ledger and reserve in a dated journal: May's offset reads before April's second version", () => {
    const journal = section(report, '## Journaal van saldo en vakantietoeslag', '## Saldo en bufferbudget');
    const paid = (offset: string, buffer: string) => `betaald, verrekend € ${offset}, waarvan bufferbudget € ${buffer}`;
    const mayOffset = row('25 mei 2027', 'mei 2027', paid('738,48', '608,16'), '+€ 738,48', '€ 0,00', '', '€ 236,50');
    const aprilV2 = row('4 juli 2027', 'april 2027', 'vastgesteld (versie 2)', '−€ 580,38', '−€ 580,38', '−€ 32,50');
    const julyOffset = row('25 juli 2027', 'juli 2027', paid('580,38', '391,84'), '+€ 580,38', '€ 0,00');
    expect(journal).toContain(mayOffset);
    expect(journal.indexOf(mayOffset)).toBeLessThan(journal.indexOf(aprilV2));
    expect(journal.indexOf(aprilV2)).toBeLessThan(journal.indexOf(julyOffset));
    // Every line in date order (the order things were decided).
    const dates = [...journal.matchAll(/^\| (\d+ \w+ \d{4}) \|/gm)].map((m) => sortable(m[1]!));
    expect(dates).toHaveLength(10);
    expect(dates).toEqual([...dates].sort());
  });

  it('shows the projection behind each advance: the wage expected, from which statement, on which date', () => {
    const may = section(report, '## mei 2027', '## juni 2027');
    expect(may).toContain('| Zorggroep Noord | loon | partner | m-0015 | € 868,80 | 24 mei 2027 | € 868,80 |');
    expect(may).toContain(
      'Verwacht inkomen van wie recht op bijstand heeft € 868,80, waarvan vrijgelaten € 130,32: ' +
        'meegeteld € 738,48. Voorschot: norm zonder vakantietoeslag € 1.938,00 min meegeteld inkomen, ' +
        'niet minder dan nul: € 1.199,52.',
    );
    expect(section(report, '## januari 2027', '## februari 2027')).toContain(
      'Voorschot: de norm zonder vakantietoeslag, € 1.938,00.',
    );
  });
});

describe('the what-if section', () => {
  it('says when a hypothetical fact is overridden by a later recorded one (a line without recordedAt)', async () => {
    const { facts, notices, markdown, report: w } = await whatIfOf(LOWER_APRIL());
    expect(facts).toEqual([
      {
        line: 1,
        recordedAt: '2027-05-20T12:00:00Z',
        statement: {
          messageId: 'm-0021-corr',
          kind: 'correction',
          employer: 'Zorggroep Noord',
          role: 'partner',
          periodStart: '2027-04-01',
          periodEnd: '2027-04-30',
          taxableWage: '1450.00',
        },
        overriddenBy: [{ messageId: 'm-0021', kind: 'correction', recordedAt: '2027-07-03T12:00:00Z' }],
      },
    ]);
    expect(notices).toEqual([
      'what-if line 1: m-0021-corr counts from 2027-05-20T12:00:00Z only until m-0021 (correction, recorded ' +
        '2027-07-03T12:00:00Z) replaced it (SPEC §1.1); give "recordedAt" after that instant to let it stand',
    ]);
    expect(markdown).toContain(
      '- Regel 1: loongegevens m-0021-corr (correctie) van Zorggroep Noord over april 2027, fiscaal loon ' +
        '€ 1.450,00, partner; telt vanaf 20 mei 2027 om 14:00 uur. Let op: daarna vastgelegd en dus in de ' +
        'plaats gekomen: m-0021 (correctie, vastgelegd 3 juli 2027 om 14:00 uur).',
    );
    expect(w.netOwedTotal).toBe('0.00');
    expect(markdown).toContain('Geen vastgestelde maand komt anders uit.');
  });

  it('a fact recorded after the correction: listed, only settled months compared, verschil right', async () => {
    const { facts, notices, markdown, report: w } = await whatIfOf(LOWER_APRIL('2027-07-10T09:00:00Z'));
    expect(facts[0]!.overriddenBy).toBeUndefined();
    expect(notices).toEqual([]);
    const entitlement = section(markdown, '### Recht op bijstand', '### Betalingen');
    expect(entitlement).toContain('| april 2027 | € 619,14 | € 789,14 | € 0,00 | € 0,00 | € 170,00 |');
    // July was not settled on 1 August: named, not shown as € 0,00 against € 0,00.
    expect(entitlement).not.toContain('| juli 2027 |');
    expect(entitlement).toContain('Niet vergeleken, want nog niet vastgesteld: juli 2027.');
    // July's payout differs (April's smaller claim is offset): its own difference, not a verschil of € 0,00.
    expect(markdown).toContain(
      row(
        'juli 2027',
        ...['1.199,52', '1.199,52', '580,38', '410,38', '391,84', '280,06', '1.010,98', '1.069,20', '58,22'].map(
          (a) => `€ ${a}`,
        ),
      ),
    );
    expect(markdown).toContain('- Per saldo heeft het huishouden nog € 170,00 tegoed.');
    // The terminal says the same: July has no entitlement to compare, and its payout differs by 58.22.
    const text = whatIfText(w);
    expect(text).toContain(
      'april 2027       € 619,14    € 789,14    € 0,00    € 0,00   € 170,00  € 1.199,52  € 1.199,52' +
        '            € 0,00',
    );
    expect(text).toContain(
      'juli 2027               -           -         -         -          -  € 1.010,98  € 1.069,20' +
        '           € 58,22',
    );
    expect(text).toContain(
      '\nper saldo aan (+) of door (−) de inwoner verschuldigd (vastgestelde maanden): € 170,00\n',
    );
    const path = join(goldenDir, 'couple-correction.what-if.md');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, markdown);
    expect(markdown, 'couple-correction.what-if.md (UPDATE_GOLDEN=1 rewrites it)').toBe(readFileSync(path, 'utf8'));
  });

  it('carries the case reference in the heading and as the document reference (every PDF footer)', () => {
    const ref = caseReference('GM0106', ex.householdId);
    const doc = objectionReport(file, { municipality: 'Voorbeeldstad', issuedOn: '2027-08-02', reference: ref });
    expect(doc.reference).toBe('GM0106-H-couple');
    expect(toMarkdown(doc)).toContain('- Kenmerk: GM0106-H-couple\n');
  });

  it('the replay check still finds the stored decisions identical', async () => {
    const { stored, runs } = await loadStoredHousehold(ex.store, ex.householdId);
    const ctx = { params: ex.scenario.parameters, policy: ex.scenario.policy };
    expect(replayAsOf(stored, runs, AS_OF, ctx).identical).toBe(true);
  });
});
