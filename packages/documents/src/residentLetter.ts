import { legalRefText, money, type LegalReference, type TraceStep } from '@bijstand/domain';
import { paymentSteps, type CaseFile, type IncomeSource } from './caseFile.js';
import { dutchDate, dutchMonth, euro, fullCitation } from './dutch.js';
import { heading, list, paragraph, type Block, type Document } from './markup.js';

/** Who the resident can reach, and where an objection goes: the municipality's own details. */
export interface LetterContact {
  municipality: string;
  phone: string;
  /** Where to send an objection (postal address or web form). */
  objectionAddress: string;
}

export interface ResidentLetterOptions extends LetterContact {
  month: string;
  /** The date on the letter (YYYY-MM-DD). */
  issuedOn: string;
}

/** The Awb basis of the objection term, cited in the annex (never in the body). */
export const OBJECTION_TERM: LegalReference = {
  law: 'Algemene wet bestuursrecht',
  bwbId: 'BWBR0005537',
  article: '6:7',
  label: 'de termijn voor bezwaar is zes weken',
};

const isZero = (s: string) => money(s).isZero();
const isNegative = (s: string) => money(s).isNegative() && !money(s).isZero();
const abs = (s: string) => money(s).abs().toFixed(2);

function incomeLine(i: IncomeSource, month: string): string {
  const whose = i.role === 'partner' ? ' (uw partner)' : '';
  const what =
    i.kind === 'employment'
      ? `Loon van ${i.name}${whose}`
      : i.kind === 'benefit'
        ? `Uitkering van ${i.name}${whose}`
        : i.kind === 'alimony'
          ? `Alimentatie die u heeft opgegeven${whose}`
          : i.kind === 'gift'
            ? `Giften boven het vrije bedrag${whose}`
            : i.kind === 'contribution'
              ? `Bijdragen van anderen in uw kosten boven het vrije bedrag${whose}`
              : `Ander inkomen dat u heeft opgegeven${whose}`;
  const when =
    i.rule === 'c' || i.rule === 'd'
      ? ` Het geld kwam${i.disposalDate ? ` op ${dutchDate(i.disposalDate)}` : ' later'}. Het hoort bij ${dutchMonth(month)}, dus telt het daar mee.`
      : i.disposalDate
        ? ` Het geld kwam op ${dutchDate(i.disposalDate)}.`
        : '';
  return `${what}: ${euro(i.amount)}.${when}`;
}

/**
 * The letter to the resident about one month, in B1 Dutch: what you get and when, which income we
 * counted, what the disregard and the bufferbudget did, what you owe or we owe, and how to object.
 * Articles only in the annex. Pure: from the case file and the municipality's contact details.
 */
export function residentLetter(file: CaseFile, options: ResidentLetterOptions): Document {
  const m = file.months.find((x) => x.month === options.month);
  const month = dutchMonth(options.month);
  const blocks: Block[] = [
    heading(1, `Uw bijstand over ${month}`),
    list([
      `Van: gemeente ${options.municipality}`,
      `Datum: ${dutchDate(options.issuedOn)}`,
      `Kenmerk: ${file.householdId}, ${month}`,
    ]),
    paragraph('Beste meneer, mevrouw,'),
    paragraph(
      `In deze brief leest u hoeveel bijstand u krijgt over ${month}. U leest ook hoe wij dat hebben berekend.`,
    ),
  ];
  const refs = new Map<string, LegalReference>();
  const couple = file.members.filter((x) => x.entitled).length === 2;

  blocks.push(heading(2, 'Hoeveel krijgt u?'));
  const p = m?.payment;
  if (!p)
    blocks.push(
      paragraph(`Wij hebben uw bijstand over ${month} nog niet betaald. U krijgt een brief als wij betalen.`),
    );
  else {
    for (const s of paymentSteps(m!)) refs.set(legalRefText(s.legalRef), s.legalRef);
    const lines: string[] = [
      `U krijgt over ${month} ${euro(p.amount)}.`,
      `Wij betalen dit op ${dutchDate(p.runDate)}.`,
    ];
    if (p.payees.partner !== undefined && p.payees.applicant !== undefined)
      lines.push(`U krijgt ${euro(p.payees.applicant)}. Uw partner krijgt ${euro(p.payees.partner)}.`);
    else if (p.payees.partner !== undefined) lines.push('Wij betalen het bedrag aan uw partner.');
    blocks.push(paragraph(lines.join(' ')));
    const parts: string[] = [];
    parts.push(`Wij betalen vooraf ${euro(p.advance)}. Dat bedrag rekenen wij uit met het loon dat wij verwachten.`);
    if (!isZero(p.holidayPayout)) parts.push(`U krijgt ook uw vakantiegeld: ${euro(p.holidayPayout)}.`);
    if (!isZero(p.backPayment)) parts.push(`Wij betalen ${euro(p.backPayment)} na. Dat kreeg u eerder te weinig.`);
    if (!isZero(p.offset)) parts.push(`Wij houden ${euro(p.offset)} in. Dat geld kreeg u eerder te veel.`);
    if (!isZero(p.bufferDraw))
      parts.push(
        `Het bufferbudget betaalt ${euro(p.bufferDraw)} van dat bedrag. Zo houdt u genoeg over om van te leven. Dit hoeft u niet terug te betalen.`,
      );
    else if (!isZero(p.offset) && m?.buffer && 'reason' in m.buffer) {
      const why: Record<string, string> = {
        'not-eligible': 'U kreeg geen bufferbudget. Dat is alleen voor mensen die werken.',
        'budget-exhausted': 'U kreeg geen bufferbudget. Uw bufferbudget voor dit jaar is op.',
        'no-shortfall': 'U houdt genoeg over om van te leven. Daarom was het bufferbudget niet nodig.',
        'buffer-not-in-force': 'Het bufferbudget bestaat pas vanaf 2027.',
      };
      if (why[m.buffer.reason]) parts.push(why[m.buffer.reason]!);
    }
    blocks.push(list(parts));
  }

  blocks.push(heading(2, 'Welk inkomen telden wij mee?'));
  const s = m?.settlement;
  if (!s)
    blocks.push(
      paragraph(
        `Wij rekenen ${month} uit als de maand voorbij is. Dan weten wij uw echte inkomen. U krijgt daarna een nieuwe brief.`,
      ),
    );
  else {
    for (const step of s.explanation.steps) refs.set(legalRefText(step.legalRef), step.legalRef);
    const v = s.values;
    blocks.push(
      m.income.length === 0
        ? paragraph(`Over ${month} telden wij geen inkomen mee.`)
        : list(m.income.map((i) => incomeLine(i, options.month))),
    );
    const lines: string[] = [];
    // SPEC v3: the art. 24a norm and the partner's own disregard (art. 32(3)) in the resident's words (B1).
    if (hasAloSupplement(s.explanation.steps)) {
      lines.push('U krijgt een hoger bedrag omdat u voor uw kind zorgt en uw partner geen recht op bijstand heeft.');
    }
    if (!isZero(v.disregard))
      lines.push(`Een deel van uw inkomen telt niet mee: ${euro(v.disregard)}. Zo houdt u meer over als u werkt.`);
    const partnerDisregard = s.explanation.steps.find((st) => st.rule === 'partnerEarningsDisregard')?.result.disregard;
    if (typeof partnerDisregard === 'string' && !isZero(partnerDisregard)) {
      lines.push(`Ook van het loon van uw partner telt een deel niet mee: ${euro(partnerDisregard)}.`);
    }
    if (!isZero(v.partnerIncomeCounted))
      lines.push(
        `Uw partner krijgt zelf geen bijstand. Van het inkomen van uw partner telt ${euro(v.partnerIncomeCounted)} mee.`,
      );
    if (!isZero(v.measureReduction))
      lines.push(`Uw bijstand is lager door een maatregel. U krijgt ${euro(v.measureReduction)} minder.`);
    lines.push(`U heeft recht op ${euro(v.assistance)} bijstand over ${month}.`);
    if (!isZero(v.holidayReserve)) lines.push(`Daarnaast sparen wij ${euro(v.holidayReserve)} vakantiegeld voor u op.`);
    blocks.push(paragraph(lines.join(' ')));
    if (!isZero(s.advancePaid) || !isZero(s.assistanceChange)) {
      const before =
        s.version > 1 ? 'Wij hadden dit eerder anders berekend.' : `U kreeg vooraf ${euro(s.advancePaid)}.`;
      const change = s.assistanceChange;
      blocks.push(
        paragraph(
          `${before} ${isZero(change) ? 'Dat klopt precies.' : isNegative(change) ? `U kreeg dus ${euro(abs(change))} te veel.` : `U krijgt dus nog ${euro(change)} van ons.`}`,
        ),
      );
    }
  }

  blocks.push(heading(2, 'Moet u geld terugbetalen?'));
  const ledger = file.ledgerBalance;
  blocks.push(
    paragraph(
      isNegative(ledger)
        ? `Ja. U moet nog ${euro(abs(ledger))} terugbetalen. U hoeft zelf niets te doen. Wij houden het bedrag in op uw volgende betalingen.`
        : isZero(ledger)
          ? 'Nee. U hoeft niets terug te betalen. Wij hoeven u ook niets meer te betalen.'
          : `Nee. Wij moeten u nog ${euro(ledger)} betalen. U krijgt dit bij de volgende betaling.`,
    ),
  );

  blocks.push(heading(2, 'Bent u het niet eens met deze brief?'));
  blocks.push(
    paragraph(
      `Dan kunt u bezwaar maken. Doe dat binnen zes weken na de datum van deze brief. Schrijf op waarom u het niet eens bent. Stuur uw brief naar ${options.objectionAddress}.`,
    ),
  );
  blocks.push(paragraph(`Heeft u vragen? Bel ons op ${options.phone}. Noem dan het kenmerk ${file.householdId}.`));
  blocks.push(paragraph(couple ? 'Deze brief is voor u en uw partner.' : 'Deze brief is voor u.'));
  blocks.push(paragraph(`Met vriendelijke groet,`));
  blocks.push(paragraph(`Gemeente ${options.municipality}`));

  refs.set(legalRefText(OBJECTION_TERM), OBJECTION_TERM);
  blocks.push(heading(2, 'Bijlage: de regels achter deze brief'));
  blocks.push(list([...refs.values()].map(fullCitation)));
  return { title: `Uw bijstand over ${month}`, blocks };
}

/** Where the annex starts: everything before it is the body the readability rules apply to. */
export const ANNEX_HEADING = 'Bijlage: de regels achter deze brief';

/** The month's norm holds the single-parent supplement of art. 24a (a segment of category single-parent-no-alo). */
function hasAloSupplement(steps: readonly TraceStep[]): boolean {
  const norm = steps.find((st) => st.rule === 'normOfMonth');
  const segments = norm?.inputs.segments;
  return (
    Array.isArray(segments) &&
    segments.some((seg: { aloSupplementPerMonth?: string }) => seg.aloSupplementPerMonth !== undefined)
  );
}
