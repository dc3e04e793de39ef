import { legalRefText, money, type HouseholdEvent, type LegalReference, type YearMonth } from '@bijstand/domain';
import type { LetterSender } from '@bijstand/platform';
import { dutchDate, dutchMonth, euro } from './dutch.js';
import { heading, list, paragraph, table, type Block, type Document } from './markup.js';
import {
  bufferOf,
  monthPaymentOf,
  MonthNotDecidedError,
  type MonthBuffer,
  type MonthPayment,
} from './monthDecision.js';
import { caseReference } from './reference.js';
import { claimText, expectedIncomeText, letterhead } from './residentLetter.js';
import { residentCitation } from './residentWords.js';

/**
 * The payment specification (betaalspecificatie) of one payday, built from that payday's payment decision as it
 * was taken: what is paid, to whom, the advance and the income it expects, holiday allowance, back payment, the
 * claims offset (their month and cause), and what the bufferbudget paid and has left this year. Pure.
 */
export interface PaymentSpec {
  householdId: string;
  caseReference: string;
  reference: string;
  payday: string;
  month: YearMonth;
  payment: MonthPayment;
  buffer: MonthBuffer | null;
  partner: 'entitled' | 'not-entitled' | 'none';
  /** The payment leaves the household below the minimum (the alert of that night), by this amount. */
  belowMinimum: string | null;
  legalBases: LegalReference[];
}

export function paymentSpecOf(
  events: readonly HouseholdEvent[],
  request: { householdId: string; payday: string; asOf: string; municipalityCode: string },
): PaymentSpec {
  const { householdId, payday, asOf } = request;
  const made = events.find((e) => e.type === 'PaymentMade' && e.data.runDate === payday);
  if (made?.type !== 'PaymentMade') {
    const paydays = events.flatMap((e) => (e.type === 'PaymentMade' ? [e.data.runDate] : []));
    const near = paydays.filter((d) => d.slice(0, 7) === payday.slice(0, 7));
    throw new MonthNotDecidedError(
      payday > asOf.slice(0, 10)
        ? `no payment on ${payday} yet (as of ${asOf.slice(0, 10)}): a payment is decided on its payday's night`
        : `no payment on ${payday} (as of ` +
            `${asOf.slice(0, 10)})${near.length ? `; that month's payday: ${near.join(', ')}` : ''}`,
    );
  }
  const month = made.data.month;
  const payment = monthPaymentOf(events, month)!;
  const decision = events.find(
    (e) => (e.type === 'BufferDrawn' || e.type === 'BufferNotDrawn') && e.data.month === month,
  );
  const opened = events.find((e) => e.type === 'CaseOpened');
  const partner = opened?.type === 'CaseOpened' ? opened.data.members.find((m) => m.role === 'partner') : undefined;
  const proposal = events.find((e) => e.type === 'PaymentProposed' && e.data.month === month);
  const bases = new Map<string, LegalReference>();
  for (const st of [
    ...(proposal?.type === 'PaymentProposed' ? proposal.data.explanation.steps : []),
    ...made.data.explanation.steps,
  ])
    if (!bases.has(legalRefText(st.legalRef))) bases.set(legalRefText(st.legalRef), st.legalRef);
  const caseRef = caseReference(request.municipalityCode, householdId);
  return {
    householdId,
    caseReference: caseRef,
    reference: `${caseRef}-B${payday.replaceAll('-', '')}`,
    payday,
    month,
    payment,
    buffer:
      decision && (decision.type === 'BufferDrawn' || decision.type === 'BufferNotDrawn')
        ? bufferOf(events, month, decision.data)
        : null,
    partner: !partner ? 'none' : partner.entitled === false ? 'not-entitled' : 'entitled',
    belowMinimum:
      events.flatMap((e) =>
        e.type === 'AlertRaised' && e.data.month === month && e.data.kind === 'below-minimum'
          ? [e.data.amount ?? '0.00']
          : [],
      )[0] ?? null,
    legalBases: [...bases.values()],
  };
}

/** Where the annex starts: the body before it is held to the same B1 rules as the letter. */
export const SPEC_ANNEX_HEADING = 'Bijlage: de regels achter deze betaling';

const isZero = (s: string) => money(s).isZero();
const minus = (s: string) => `- ${euro(s)}`;

/** The payment specification in B1 Dutch, from the payment decision only. */
export function paymentSpecification(spec: PaymentSpec, sender: LetterSender): Document {
  const p = spec.payment;
  const month = dutchMonth(spec.month);
  const day = dutchDate(spec.payday);
  const blocks: Block[] = [
    ...letterhead(sender, spec.payday, spec.reference, `betaling van uw bijstand over ${month}`),
    heading(1, `Betaalspecificatie: uw bijstand over ${month}`),
    paragraph('Beste meneer, mevrouw,'),
    paragraph(`In deze brief leest u wat wij betalen over ${month}. U leest ook hoe wij dat bedrag berekenden.`),
    heading(2, 'Wat betalen wij?'),
  ];
  if (isZero(p.amount)) blocks.push(paragraph(`Over ${month} betalen wij niets uit.`));
  else {
    const who =
      p.payees.applicant !== undefined && p.payees.partner !== undefined
        ? ` U krijgt ${euro(p.payees.applicant)}. Uw partner krijgt ${euro(p.payees.partner)}.`
        : p.payees.partner !== undefined
          ? ' Wij betalen het bedrag aan uw partner.'
          : '';
    blocks.push(paragraph(`Op ${day} betalen wij ${euro(p.amount)}.${who}`));
  }
  const rows: string[][] = [[`Voorschot bijstand over ${month}`, euro(p.advance)]];
  if (!isZero(p.holidayPayout)) rows.push(['Vakantiegeld', euro(p.holidayPayout)]);
  if (!isZero(p.backPayment)) rows.push(['Nabetaling: dat kreeg u eerder te weinig', euro(p.backPayment)]);
  for (const c of p.offsetFrom)
    rows.push([`Inhouding: te veel ontvangen over ${dutchMonth(c.month)}`, minus(c.amount)]);
  if (!isZero(p.bufferDraw)) rows.push(['Bufferbudget', euro(p.bufferDraw)]);
  rows.push(['Totaal', euro(p.amount)]);
  blocks.push(table(['Onderdeel', 'Bedrag'], rows, [false, true]));

  blocks.push(heading(2, 'Hoe rekenden wij het voorschot uit?'));
  const advance = [`Uw bijstandsnorm zonder vakantiegeld is ${euro(p.normExclHoliday)}.`];
  if (p.expectedIncome.length === 0) advance.push('Wij verwachten geen inkomen. Daarom krijgt u de hele norm.');
  else
    advance.push(
      `Wij verwachten dit inkomen: ${p.expectedIncome.map(expectedIncomeText).join('; ')}.`,
      ...(isZero(p.projectedDisregard) ? [] : [`Van het loon telt ${euro(p.projectedDisregard)} niet mee.`]),
      `Daarom is het voorschot ${euro(p.advance)}.`,
    );
  advance.push('Na de maand rekenen wij uit wat uw echte inkomen was. Daarover krijgt u een besluit.');
  blocks.push(paragraph(advance.join(' ')));

  if (p.offsetFrom.length > 0) {
    blocks.push(heading(2, 'Waarom houden wij geld in?'));
    blocks.push(paragraph(`U kreeg eerder te veel bijstand. Daarom houden wij ${euro(p.offset)} in:`));
    blocks.push(list(p.offsetFrom.map(claimText)));
  }
  if (spec.buffer && (!isZero(p.bufferDraw) || p.offsetFrom.length > 0)) {
    blocks.push(heading(2, 'Wat deed het bufferbudget?'));
    const b = spec.buffer;
    const left =
      b.leftThisYear === null
        ? ''
        : isZero(b.leftThisYear)
          ? ' Uw bufferbudget voor dit jaar is nu op.'
          : ` Dit jaar is er nog ${euro(b.leftThisYear)} over.`;
    const text: Record<string, string> = {
      drawn:
        `Het bufferbudget betaalt ${euro(p.bufferDraw)}. Zo houdt u meer over. Dit hoeft u niet terug te ` +
        `betalen.${left}`,
      'budget-exhausted': 'Uw bufferbudget voor dit jaar is op. Heeft u te weinig geld? Bel ons dan.',
      'not-eligible': 'U krijgt geen bufferbudget. Dat is alleen voor mensen die werken.',
      'no-shortfall': `Het bufferbudget is niet nodig. U houdt genoeg over.${left}`,
      'buffer-not-in-force': 'Het bufferbudget bestaat pas vanaf 2027.',
      'no-claim-offset': `Het bufferbudget is niet nodig.${left}`,
    };
    blocks.push(paragraph(text[b.reason] ?? ''));
  }

  if (spec.belowMinimum) {
    blocks.push(heading(2, 'Heeft u te weinig geld om rond te komen?'));
    blocks.push(
      paragraph(
        `Na deze betaling heeft u ${euro(spec.belowMinimum)} minder dan het minimum om van te leven. Bel ons op ` +
          `${sender.phone}. Dan zoeken wij samen met u een oplossing.`,
      ),
    );
  }
  blocks.push(heading(2, 'Heeft u vragen?'));
  blocks.push(
    paragraph(
      `Bel ons op ${sender.phone}. Noem dan het kenmerk ${spec.reference}. Meer informatie staat op ${sender.website}.`,
    ),
    paragraph('Dit is geen besluit. Tegen deze brief kunt u geen bezwaar maken. Dat kan wel tegen ons besluit.'),
    paragraph(spec.partner === 'entitled' ? 'Deze brief is voor u en uw partner.' : 'Deze brief is voor u.'),
    paragraph('Met vriendelijke groet,'),
    paragraph(`Het college van burgemeester en wethouders van ${sender.municipality}, namens hen ${sender.signedBy}`),
    heading(2, SPEC_ANNEX_HEADING),
    list([...new Set(spec.legalBases.map(residentCitation))]),
  );
  return { title: `Betaalspecificatie: uw bijstand over ${month}`, blocks, reference: spec.reference };
}
