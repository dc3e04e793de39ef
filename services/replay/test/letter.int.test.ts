import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passesElfproef } from '@bijstand/domain';
import { letterToHtml, toMarkdown } from '@bijstand/documents';
import { ConfigurationError, loadMunicipalities } from '@bijstand/platform';
import { MonthNotDecidedError, residentLetterOf } from '../src/residentLetterOf.js';
import { paymentSpecificationOf } from '../src/paymentSpecOf.js';
// The worked examples run through the services (the CLI's scenario pipeline); shared with the CLI's tests.
import { goldenDir, repoRoot, runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';

/**
 * The resident's letter (a decision about one month) of the worked examples, as the CLI writes it: golden files,
 * and one test per defect issue #23 found in the letter. Regenerate the golden files after a deliberate change:
 *   UPDATE_GOLDEN=1 pnpm exec vitest run services/replay/test/letter.int.test.ts
 */
const update = process.env.UPDATE_GOLDEN === '1';
const demo = loadMunicipalities(join(repoRoot, 'infra', 'config', 'demo-municipality.json'));

const runs = new Map<string, Promise<RunExample>>();
const example = (name: string) => {
  if (!runs.has(name)) runs.set(name, runExample(name));
  return runs.get(name)!;
};
afterAll(async () => {
  for (const ex of runs.values()) await (await ex).store.close();
});

/** The letter about `month` as the store stood at the example's last night (or `asOf`), in Markdown. */
async function letter(name: string, month: string, asOf?: string): Promise<string> {
  const ex = await example(name);
  return toMarkdown(await residentLetterOf(ex.store, ex.householdId, demo, { month, asOf: asOf ?? ex.asOf }));
}

/** One month each, chosen for what it shows. */
const GOLDEN: Record<string, [string, string]> = {
  'couple-correction': ['2027-07', 'below the minimum, buffer used up, a corrected April offset, halves'],
  'disregard-kinds-2026-2027': ['2026-05', 'a claim and an offset in one month, below the minimum before the buffer'],
  'ferd-four-weekly': ['2027-03', 'an offset of January covered by the buffer'],
  'gifts-and-measure': ['2027-04', 'alimony and gifts, a measure, a claim'],
  'ikb-december': ['2027-12', 'a claim in December'],
  'job-ends-rule-c': ['2027-06', 'the last month of a closed case: a claim, holiday allowance'],
  'partner-not-entitled': ['2027-03', 'a partner without a right, we owe, an offset with the buffer'],
  'payslip-then-polis': ['2027-03', 'a second version, an offset, below the minimum'],
  'single-parent-partner-abroad': ['2027-05', 'the single-parent supplement, offset, buffer, below the minimum'],
  'work-disregard-run': ['2028-06', 'an offset of April with holiday allowance'],
};

const clearBsns = (text: string) => [...text.matchAll(/(?<!\d)\d{9}(?!\d)/g)].map((m) => m[0]).filter(passesElfproef);

describe('the letter of each worked example (golden files)', () => {
  for (const [name, [month, why]] of Object.entries(GOLDEN))
    it(`${name} ${month}: ${why}`, async () => {
      const text = await letter(name, month);
      const path = join(goldenDir, `${name}.letter-${month}.md`);
      if (update || !existsSync(path)) writeFileSync(path, text);
      expect(text, `${path} differs (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
      expect(clearBsns(text)).toEqual([]);
    });
});

describe('what the letter says is what that decision said (issue #23)', () => {
  it("a claim reads as a claim, whatever a later payment did with it (H-gift April; today's ledger is 0)", async () => {
    const text = await letter('gifts-and-measure', '2027-04');
    expect(text).toContain('U heeft recht op € 902,34 bijstand over april 2027. U kreeg € 150,00 te veel.');
    expect(text).toContain('Ja. Door dit besluit moet u € 150,00 terugbetalen over april 2027.');
    expect(text).not.toContain('U hoeft niets terug te betalen');
  });

  it('a month that was right says so, not a balance of a later year (H-ferd March)', async () => {
    const text = await letter('ferd-four-weekly', '2027-03');
    expect(text).toContain('Dat is net zoveel als wij vooraf betaalden.');
    expect(text).toContain('Nee. Door dit besluit hoeft u over maart 2027 niets terug te betalen.');
    expect(text).not.toContain('685,50 betalen');
  });

  it('a closed case promises no next payment; a month after its end or not settled is refused', async () => {
    const text = await letter('job-ends-rule-c', '2027-06');
    expect(text).not.toMatch(/volgende betaling/);
    expect(text).toContain('Uw bijstand is gestopt. Daarom kunnen wij het niet inhouden.');
    expect(text).toContain('Uw bijstand stopte op 30 juni 2027. U heeft recht op € 0,00 bijstand over juni 2027.');
    await expect(letter('job-ends-rule-c', '2027-09')).rejects.toThrow(
      new MonthNotDecidedError('2027-09 is after the case ended (2027-06-30): there is no decision'),
    );
    await expect(letter('couple-correction', '2029-01')).rejects.toThrow(/2029-01 has not happened yet/);
    await expect(letter('couple-correction', '2027-07', '2027-08-15T00:00:00Z')).rejects.toThrow(
      '2027-07 is not settled yet (as of 2027-08-15): the letter can be written after the night that settles it',
    );
  });

  it('below the minimum, buffer used up: what happened and whom to call; the offset names its month', async () => {
    const text = await letter('couple-correction', '2027-07');
    expect(text).toContain(
      'Na de betaling over juli 2027 had u € 58,22 minder dan het minimum om van te leven. Uw bufferbudget voor ' +
        'dit jaar is op. Bel ons op 14 0123.',
    );
    expect(text).toContain(
      '- Over april 2027 kreeg u € 580,38 te veel. Wij hebben april 2027 opnieuw berekend met nieuwe gegevens over ' +
        'uw inkomen.',
    );
    expect(text).not.toMatch(/genoeg om van te leven/);
  });

  it('no payment beside a right to nothing, no payday beside € 0,00', async () => {
    const exit = await letter('job-ends-rule-c', '2027-06');
    expect(exit).toContain('U heeft recht op € 0,00 bijstand over juni 2027. U kreeg € 1.356,60 te veel.');
    expect(exit).toContain('Op 25 juni 2027 betaalden wij u € 1.642,20.');
    expect(exit).not.toMatch(/U krijgt over/);
    const ferd = await letter('ferd-four-weekly', '2027-11');
    expect(ferd).toContain('Over november 2027 betaalden wij niets uit.');
    expect(ferd).not.toMatch(/Op \d+ november 2027 betaalden/);
  });

  it('income by its kind: alimony is not a wage', async () => {
    const text = await letter('gifts-and-measure', '2027-04');
    expect(text).toContain('Wij verwachtten dit inkomen: alimentatie: € 250,00.');
    expect(text).toContain('- Alimentatie die u heeft opgegeven: € 250,00.');
    expect(text).not.toMatch(/\bloon\b/i);
    expect(text).toContain('Wij hebben uw bijstand verlaagd. Dat is een maatregel. U krijgt € 57,12 minder.');
  });

  it('halves, a buffer draw with what is left this year, a partner without a right', async () => {
    expect(await letter('couple-correction', '2027-03')).toContain('U kreeg € 969,00. Uw partner kreeg € 969,00.');
    expect(await letter('ferd-four-weekly', '2027-03')).toContain(
      'Het bufferbudget betaalde € 671,10. Zo hield u meer over. Dit hoeft u niet terug te betalen. Van uw ' +
        'bufferbudget is dit jaar nog € 328,90 over.',
    );
    const np = await letter('partner-not-entitled', '2027-03');
    expect(np).toContain('Uw partner heeft zelf geen recht op bijstand.');
    expect(np).toContain('Nee. Wij moeten u nog € 318,60 betalen over maart 2027.');
    expect(np).toContain('Deze brief is voor u.');
  });
});

describe('the letter is a decision a municipality can send (Awb 3:40-3:45, 6:5, 6:7)', () => {
  it('dated by the night that settled the month; reference, college, objection clause, sender', async () => {
    const text = await letter('couple-correction', '2027-05');
    for (const line of [
      '[adres uit het documentsysteem]',
      '- Afzender: gemeente Voorbeeldstad (demo), Postbus 100, 1000 AA Voorbeeldstad',
      '- Datum: 1 juli 2027',
      '- Ons kenmerk: GM9999-H-couple-202705-1',
      'Het college van burgemeester en wethouders van Voorbeeldstad (demo) heeft besloten over uw bijstand over ' +
        'mei 2027.',
      'Dan kunt u bezwaar maken. U heeft daarvoor zes weken. Die tijd begint op de dag na de datum van deze brief.',
      'Stuur uw bezwaar naar: Gemeente Voorbeeldstad, t.a.v. team Bezwaar, Postbus 100, 1000 AA Voorbeeldstad.',
      '- uw naam en adres\n- de datum\n- het kenmerk van dit besluit: GM9999-H-couple-202705-1\n- waarom u het ' +
        'niet eens bent met dit besluit\n- uw handtekening',
      'Het college van burgemeester en wethouders van Voorbeeldstad (demo), namens hen de teamleider Werk en Inkomen',
      '- Algemene wet bestuursrecht, art. 6:5: wat er in uw bezwaar moet staan',
    ])
      expect(text).toContain(line);
    expect(text).not.toMatch(/Programmaplan|seed|H-couple,/);
  });

  it('a corrected month is a new decision with its own reference, and says what it replaces', async () => {
    const text = await letter('couple-correction', '2027-04');
    expect(text).toContain('- Ons kenmerk: GM9999-H-couple-202704-2');
    expect(text).toContain('- Datum: 4 juli 2027');
    expect(text).toContain('Dit besluit vervangt ons eerdere besluit over april 2027. Toen was het € 1.199,52.');
    const before = await letter('couple-correction', '2027-04', '2027-07-01T12:00:00Z');
    expect(before).toContain('- Ons kenmerk: GM9999-H-couple-202704-1');
    expect(before).toContain('Nee. Door dit besluit hoeft u over april 2027 niets terug te betalen.');
  });

  it('in HTML the address block sits at the window of the envelope, and every text is escaped', async () => {
    const ex = await example('couple-correction');
    const html = letterToHtml(
      await residentLetterOf(ex.store, ex.householdId, demo, { month: '2027-05', asOf: ex.asOf }),
    );
    expect(html).toContain(
      '<div class="letter-head"><div class="address-window">[adres uit het documentsysteem]</div></div>',
    );
    expect(html).toMatch(/\.address-window\{position:absolute;top:calc\(50mm - var\(--page-top-margin\)\)/);
  });

  it('a municipality without its letters block gets no letter: the missing fields are named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'letters-'));
    const path = join(dir, 'municipality.json');
    writeFileSync(path, JSON.stringify({ municipality: 'Zonderbrief', letters: { phone: '14 0000' } }));
    const ex = await example('couple-correction');
    const attempt = residentLetterOf(ex.store, ex.householdId, loadMunicipalities(path), { month: '2027-05' });
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(attempt).rejects.toThrow(
      'missing: letters.municipalityCode, letters.postalAddress, letters.website, letters.objectionAddress, ' +
        'letters.signedBy',
    );
  });
});

describe('the payment specification (betaalspecificatie) of a payday', () => {
  async function spec(name: string, payday: string, asOf?: string): Promise<string> {
    const ex = await example(name);
    const request = { payday, asOf: asOf ?? ex.asOf };
    return toMarkdown(await paymentSpecificationOf(ex.store, ex.householdId, demo, request));
  }

  it('what is paid on which date to whom, the advance and its expected income, the offset and the buffer', async () => {
    const text = await spec('couple-correction', '2027-07-25');
    for (const line of [
      '- Ons kenmerk: GM9999-H-couple-B20270725',
      'Op 25 juli 2027 betalen wij € 1.010,98. U krijgt € 505,49. Uw partner krijgt € 505,49.',
      '| Voorschot bijstand over juli 2027 | € 1.199,52 |\n| Inhouding: te veel ontvangen over april 2027 | - € ' +
        '580,38 |\n| Bufferbudget | € 391,84 |\n| Totaal | € 1.010,98 |',
      'Uw bijstandsnorm zonder vakantiegeld is € 1.938,00. Wij verwachten dit inkomen: loon van Zorggroep Noord ' +
        '(uw partner): € 868,80. Van het loon telt € 130,32 niet mee. Daarom is het voorschot € 1.199,52.',
      '- Over april 2027 kreeg u € 580,38 te veel. Wij hebben april 2027 opnieuw berekend met nieuwe gegevens over ' +
        'uw inkomen.',
      'Het bufferbudget betaalt € 391,84. Zo houdt u meer over. Dit hoeft u niet terug te betalen. Uw bufferbudget ' +
        'voor dit jaar is nu op.',
      'Na deze betaling heeft u € 58,22 minder dan het minimum om van te leven. Bel ons op 14 0123.',
    ])
      expect(text).toContain(line);
  });

  it('holiday allowance, alimony named as alimony, the buffer left this year', async () => {
    const gift = await spec('gifts-and-measure', '2027-06-25');
    expect(gift).toContain('| Vakantiegeld | € 275,60 |');
    expect(gift).toContain('Wij verwachten dit inkomen: alimentatie: € 250,00.');
    expect(gift).not.toMatch(/\bloon\b/i);
    expect(await spec('ferd-four-weekly', '2027-03-25')).toContain('Dit jaar is er nog € 328,90 over.');
  });

  it('a day without a payment, or a payday not yet reached, is refused', async () => {
    await expect(spec('couple-correction', '2027-07-24')).rejects.toThrow(
      new MonthNotDecidedError("no payment on 2027-07-24 (as of 2027-11-30); that month's payday: 2027-07-25"),
    );
    await expect(spec('couple-correction', '2027-08-25', '2027-08-01T00:00:00Z')).rejects.toThrow(
      /no payment on 2027-08-25 yet \(as of 2027-08-01\)/,
    );
  });
});
