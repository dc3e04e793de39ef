import { money, type LegalReference } from '@bijstand/domain';
import type { LetterSender } from '@bijstand/platform';
import type { IncomeSource } from './caseFile.js';
import { dutchDate, dutchMonth, euro } from './dutch.js';
import { heading, list, paragraph, type Block, type Document } from './markup.js';
import type { ClaimOffset, AdvanceIncome, MonthDecision } from './monthDecision.js';
import { residentCitation } from './residentWords.js';

/** The Awb basis of the objection term, cited in the annex (never in the body). */
export const OBJECTION_TERM: LegalReference = {
  law: 'Algemene wet bestuursrecht',
  bwbId: 'BWBR0005537',
  article: '6:7',
  label: 'de termijn voor bezwaar is zes weken',
};

/** What an objection must contain (Awb 6:5) and where it goes (Awb 3:45), cited in the annex. */
export const OBJECTION_CONTENT: LegalReference = {
  law: 'Algemene wet bestuursrecht',
  bwbId: 'BWBR0005537',
  article: '6:5',
  label: 'wat in een bezwaarschrift moet staan',
};

/** Where the address stands: the municipality's document system fills it in (the window of the envelope). */
export const ADDRESS_PLACEHOLDER = '[adres uit het documentsysteem]';

/** The head of every letter to a resident: the address window, then the sender, the date, our reference, the subject. */
export function letterhead(sender: LetterSender, date: string, reference: string, subject: string): Block[] {
  return [
    paragraph(ADDRESS_PLACEHOLDER),
    list([
      `Afzender: gemeente ${sender.municipality}, ${sender.postalAddress}`,
      `Telefoon: ${sender.phone}`,
      `Website: ${sender.website}`,
      `Datum: ${dutchDate(date)}`,
      `Ons kenmerk: ${reference}`,
      `Onderwerp: ${subject}`,
    ]),
  ];
}

/** Where the annex starts: everything before it is the body the readability rules apply to. */
export const ANNEX_HEADING = 'Bijlage: de regels achter dit besluit';

const isZero = (s: string) => money(s).isZero();

function whose(role: string): string {
  return role === 'partner' ? ' (uw partner)' : '';
}

/** Income named by what it is: wage from an employer, a benefit, alimony; never "loon" for what is not. */
function incomeLine(i: IncomeSource, month: string): string {
  const what =
    i.kind === 'employment'
      ? `Loon van ${i.name}${whose(i.role)}`
      : i.kind === 'benefit'
        ? `Uitkering van ${i.name}${whose(i.role)}`
        : i.kind === 'alimony'
          ? `Alimentatie die u heeft opgegeven${whose(i.role)}`
          : i.kind === 'gift'
            ? `Giften boven het vrije bedrag${whose(i.role)}`
            : i.kind === 'contribution'
              ? `Bijdragen van anderen in uw kosten${whose(i.role)}`
              : `Ander inkomen dat u heeft opgegeven${whose(i.role)}`;
  const when =
    i.rule === 'c' || i.rule === 'd'
      ? ` Het geld kwam${i.disposalDate ? ` op ${dutchDate(i.disposalDate)}` : ' later'}. Het hoort bij ` +
        `${dutchMonth(month)}.`
      : i.disposalDate
        ? ` Het geld kwam op ${dutchDate(i.disposalDate)}.`
        : '';
  return `${what}: ${euro(i.amount)}.${when}`;
}

export function expectedIncomeText(e: AdvanceIncome): string {
  const what =
    e.kind === 'employment'
      ? `loon van ${e.name}`
      : e.kind === 'benefit'
        ? `een uitkering van ${e.name}`
        : 'alimentatie';
  return `${what}${whose(e.role)}: ${euro(e.amount)}`;
}

/** Why a month's claim exists, in the resident's words. */
export function claimText(c: ClaimOffset): string {
  const why =
    c.cause === 'recalculated'
      ? `Wij hebben ${dutchMonth(c.month)} opnieuw berekend met nieuwe gegevens over uw inkomen.`
      : `Uw inkomen over ${dutchMonth(c.month)} was hoger dan wij vooraf dachten.`;
  return `Over ${dutchMonth(c.month)} kreeg u ${euro(c.amount)} te veel. ${why}`;
}

/** The payees of a payment: halves to each partner (art. 45(4)), or one of them. */
function payeesText(d: MonthDecision): string[] {
  const p = d.payment!;
  if (p.payees.applicant !== undefined && p.payees.partner !== undefined)
    return [`U kreeg ${euro(p.payees.applicant)}. Uw partner kreeg ${euro(p.payees.partner)}.`];
  if (p.payees.partner !== undefined) return ['Wij betaalden het bedrag aan uw partner.'];
  return [];
}

/**
 * The decision about one month as a letter (beschikking) in B1 Dutch, rendered only from the month's decision
 * model: dated with the night that decided it, its reference, the college's decision, what was paid, which
 * income counted, what this decision means for what you owe or we owe, and how to object (Awb 3:45, 6:5, 6:7).
 * Articles only in the annex, in words a resident reads.
 */
export function residentLetter(d: MonthDecision, sender: LetterSender): Document {
  const month = dutchMonth(d.month);
  const v = d.settlement.values;
  const blocks: Block[] = [
    ...letterhead(sender, d.decidedOn, d.reference, `besluit over uw bijstand over ${month}`),
    heading(1, `Besluit over uw bijstand over ${month}`),
    paragraph('Beste meneer, mevrouw,'),
    paragraph(
      `Het college van burgemeester en wethouders van ${sender.municipality} heeft besloten over uw bijstand over ` +
        `${month}. In deze brief leest u wat wij besloten. U leest ook hoe wij dat hebben berekend.`,
    ),
  ];

  blocks.push(heading(2, 'Wat hebben wij besloten?'));
  const decided = [`U heeft recht op ${euro(v.assistance)} bijstand over ${month}.`];
  // A case that ended in or before this month (a late closure settles paid months back): say when it stopped.
  if (d.caseEnd && d.caseEnd.slice(0, 7) <= d.month) decided.unshift(`Uw bijstand stopte op ${dutchDate(d.caseEnd)}.`);
  if (d.previousAssistance !== null)
    decided.push(`Dit besluit vervangt ons eerdere besluit over ${month}. Toen was het ${euro(d.previousAssistance)}.`);
  if (d.ledger.kind === 'you-owe') decided.push(`U kreeg ${euro(d.ledger.amount)} te veel.`);
  else if (d.ledger.kind === 'we-owe') decided.push(`U kreeg ${euro(d.ledger.amount)} te weinig.`);
  else
    decided.push(
      d.previousAssistance !== null
        ? 'Dat verandert niets aan wat u kreeg.'
        : 'Dat is net zoveel als wij vooraf betaalden.',
    );
  blocks.push(paragraph(decided.join(' ')));

  blocks.push(heading(2, `Wat betaalden wij over ${month}?`));
  blocks.push(...paymentBlocks(d));

  blocks.push(heading(2, 'Welk inkomen telden wij mee?'));
  blocks.push(
    d.settlement.income.length === 0
      ? paragraph(`Over ${month} telden wij geen inkomen mee.`)
      : list(d.settlement.income.map((i) => incomeLine(i, d.month))),
  );
  const lines: string[] = [];
  if (d.settlement.aloSupplement)
    lines.push('U krijgt een hoger bedrag omdat u voor uw kind zorgt en uw partner geen recht op bijstand heeft.');
  else if (d.members.partner === 'not-entitled') lines.push('Uw partner heeft zelf geen recht op bijstand.');
  if (!isZero(v.disregard))
    lines.push(`Een deel van uw loon telt niet mee: ${euro(v.disregard)}. Zo houdt u meer over als u werkt.`);
  if (!isZero(d.settlement.partnerDisregard))
    lines.push(`Ook van het loon van uw partner telt een deel niet mee: ${euro(d.settlement.partnerDisregard)}.`);
  if (!isZero(v.partnerIncomeCounted))
    lines.push(`Van het inkomen van uw partner telt ${euro(v.partnerIncomeCounted)} mee.`);
  if (!isZero(v.measureReduction))
    lines.push(`Wij hebben uw bijstand verlaagd. Dat is een maatregel. U krijgt ${euro(v.measureReduction)} minder.`);
  if (!isZero(v.holidayReserve)) lines.push(`Wij sparen ${euro(v.holidayReserve)} vakantiegeld voor u op.`);
  if (lines.length > 0) blocks.push(paragraph(lines.join(' ')));
  if (!isZero(d.settlement.advancePaid) && d.previousAssistance === null)
    blocks.push(
      paragraph(
        `Wij betaalden vooraf ${euro(d.settlement.advancePaid)} bijstand. Nu weten wij uw echte inkomen. Daarom ` +
          `heeft u recht op ${euro(v.assistance)}.`,
      ),
    );

  blocks.push(heading(2, 'Moet u geld terugbetalen?'));
  blocks.push(paragraph(ledgerText(d)));

  if (d.belowMinimum) {
    blocks.push(heading(2, 'Heeft u te weinig geld om rond te komen?'));
    const reason = d.buffer?.reason;
    const why = d.belowMinimum.bufferUsedUp
      ? 'Uw bufferbudget voor dit jaar is op.'
      : reason === 'buffer-not-in-force'
        ? 'Het bufferbudget bestond toen nog niet.'
        : reason === 'not-eligible'
          ? 'U kon geen bufferbudget krijgen. Dat is alleen voor mensen die werken.'
          : 'Het bufferbudget vulde dit niet helemaal aan.';
    blocks.push(
      paragraph(
        `Na de betaling over ${month} had u ${euro(d.belowMinimum.amount)} minder dan het minimum om van te leven. ` +
          `${why} Bel ons op ${sender.phone}. Dan zoeken wij samen met u een oplossing.`,
      ),
    );
  }

  blocks.push(heading(2, 'Bent u het niet eens met dit besluit?'));
  blocks.push(
    paragraph(
      'Dan kunt u bezwaar maken. U heeft daarvoor zes weken. Die tijd begint op de dag na de datum van deze brief.',
    ),
    paragraph(`Stuur uw bezwaar naar: ${sender.objectionAddress}.`),
    paragraph('Zet in uw brief:'),
    list([
      'uw naam en adres',
      'de datum',
      `het kenmerk van dit besluit: ${d.reference}`,
      'waarom u het niet eens bent met dit besluit',
      'uw handtekening',
    ]),
  );
  blocks.push(heading(2, 'Heeft u vragen?'));
  blocks.push(
    paragraph(
      `Bel ons op ${sender.phone}. Noem dan het kenmerk ${d.reference}. Meer informatie staat op ${sender.website}.`,
    ),
  );
  blocks.push(
    paragraph(d.members.partner === 'entitled' ? 'Deze brief is voor u en uw partner.' : 'Deze brief is voor u.'),
  );
  blocks.push(paragraph('Met vriendelijke groet,'));
  blocks.push(
    paragraph(`Het college van burgemeester en wethouders van ${sender.municipality}, namens hen ${sender.signedBy}`),
  );

  blocks.push(heading(2, ANNEX_HEADING));
  const refs = [...d.legalBases, OBJECTION_CONTENT, OBJECTION_TERM];
  blocks.push(list([...new Set(refs.map(residentCitation))]));
  return { title: `Besluit over uw bijstand over ${month}`, blocks, reference: d.reference };
}

/** What is left of this year's bufferbudget after the decision; nothing when no decision said. */
const bufferLeft = (left: string | null): string =>
  left === null
    ? ''
    : isZero(left)
      ? ' Uw bufferbudget voor dit jaar is nu op.'
      : ` Van uw bufferbudget is dit jaar nog ${euro(left)} over.`;

function paymentBlocks(d: MonthDecision): Block[] {
  const month = dutchMonth(d.month);
  const p = d.payment;
  if (!p) return [paragraph(`Over ${month} hebben wij niets betaald.`)];
  const parts: string[] = [];
  parts.push(
    p.expectedIncome.length === 0
      ? `Wij betaalden vooraf ${euro(p.advance)} bijstand. Wij verwachtten geen inkomen.`
      : `Wij betaalden vooraf ${euro(p.advance)} bijstand. Wij verwachtten dit inkomen: ` +
          `${p.expectedIncome.map(expectedIncomeText).join('; ')}.`,
  );
  if (!isZero(p.holidayPayout)) parts.push(`U kreeg ook uw vakantiegeld: ${euro(p.holidayPayout)}.`);
  if (!isZero(p.backPayment)) parts.push(`Wij betaalden ${euro(p.backPayment)} na. Dat kreeg u eerder te weinig.`);
  if (!isZero(p.offset)) {
    parts.push(`Wij hielden ${euro(p.offset)} in. Dat kreeg u eerder te veel.`);
    for (const c of p.offsetFrom) parts.push(claimText(c));
  }
  if (!isZero(p.bufferDraw))
    parts.push(
      `Het bufferbudget betaalde ${euro(p.bufferDraw)}. Zo hield u meer over. Dit hoeft u niet terug te ` +
        `betalen.${bufferLeft(d.buffer?.leftThisYear ?? null)}`,
    );
  else if (!isZero(p.offset) && d.buffer) {
    const why: Record<string, string> = {
      'not-eligible': 'U kreeg geen bufferbudget. Dat is alleen voor mensen die werken.',
      'budget-exhausted': 'U kreeg geen bufferbudget. Uw bufferbudget voor dit jaar is op.',
      'no-shortfall': 'Het bufferbudget was niet nodig. U hield genoeg over.',
      'buffer-not-in-force': 'Het bufferbudget bestaat pas vanaf 2027.',
    };
    if (why[d.buffer.reason]) parts.push(why[d.buffer.reason]!);
  }
  const paid = isZero(p.amount)
    ? `Over ${month} betaalden wij niets uit.`
    : `Op ${dutchDate(p.payday)} betaalden wij u ${euro(p.amount)}.`;
  return [paragraph([paid, ...(isZero(p.amount) ? [] : payeesText(d))].join(' ')), list(parts)];
}

/** What this decision means for what is owed, as this decision made it (never the balance of today). */
function ledgerText(d: MonthDecision): string {
  const month = dutchMonth(d.month);
  if (d.ledger.kind === 'you-owe')
    return d.furtherPayments
      ? `Ja. Door dit besluit moet u ${euro(d.ledger.amount)} terugbetalen over ${month}. U hoeft zelf niets te ` +
          `doen. Wij houden het bedrag in op uw volgende betalingen.`
      : `Ja. Door dit besluit moet u ${euro(d.ledger.amount)} terugbetalen over ${month}. Uw bijstand is gestopt. ` +
          `Daarom kunnen wij het niet inhouden. U krijgt een aparte brief over het terugbetalen.`;
  if (d.ledger.kind === 'we-owe')
    return d.furtherPayments
      ? `Nee. Wij moeten u nog ${euro(d.ledger.amount)} betalen over ${month}. U krijgt dit bij een volgende betaling.`
      : `Nee. Wij moeten u nog ${euro(d.ledger.amount)} betalen over ${month}. Uw bijstand is gestopt. Wij betalen ` +
          `dit apart aan u uit.`;
  return (
    `Nee. Door dit besluit hoeft u over ${month} niets terug te betalen. Wij hoeven u over ${month} ook niets ` +
    `na te betalen.`
  );
}
