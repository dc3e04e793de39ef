import {
  legalRefText,
  type LegalReference,
  type ReplayComparison,
  type TraceStep,
  type WhatIfReport,
} from '@bijstand/domain';
import { paymentSteps, type CaseFile, type CaseMonth, type IncomeSource } from './caseFile.js';
import {
  ALERT_KIND,
  BUFFER_DECISION,
  CATEGORY,
  ROLE,
  dutchDate,
  dutchInstant,
  dutchMonth,
  euro,
  fullCitation,
  shortCitation,
} from './dutch.js';
import { heading, list, paragraph, table, type Block, type Document } from './markup.js';
import { journalBlocks, projectionBlocks, versionBlocks } from './objectionMonth.js';
import { whatIfBlocks, type WhatIfFact } from './objectionWhatIf.js';

export interface ObjectionReportOptions {
  municipality: string;
  /** The date the report is issued (YYYY-MM-DD). */
  issuedOn: string;
  /** The replay's check of the stored decisions, when one was made. */
  check?: { identical: boolean; decisionsCompared: number; differences: number; rulesVersions: string[] };
  whatIf?: WhatIfReport;
  /** The facts the what-if changed (its input lines), named in its section. */
  whatIfFacts?: readonly WhatIfFact[];
  /** The case reference (*kenmerk*, see reference.ts) in the heading and every PDF footer; else the household id. */
  reference?: string;
  /** Who accepted a rules version, when and why (`rules accept`), by version: said at each month decided under it. */
  rulesAcceptances?: Readonly<Record<string, RulesAcceptanceView>>;
}

/** An accepted rules change as the objection file cites it. */
export interface RulesAcceptanceView {
  acceptedBy: string;
  acceptedAt: string;
  reason: string;
}

/** The report's check from a replay's comparison: whether the stored decisions came out the same, and how many. */
export function replayCheck(comparison: ReplayComparison): NonNullable<ObjectionReportOptions['check']> {
  return {
    identical: comparison.identical,
    decisionsCompared: comparison.decisionsCompared,
    differences: comparison.differences.length,
    rulesVersions: Object.keys(comparison.storedRulesVersions),
  };
}

const RULE_TEXT: Record<IncomeSource['rule'], string> = {
  a: 'regel a: maand waarin erover beschikt kon worden',
  b: 'regel b: alleen over de bijstandsperiode',
  c: 'regel c: na de periode ontvangen, over de maanden van verwerving',
  d: 'regel d: bedoeld voor latere perioden, over die perioden',
  declared: 'opgegeven inkomen',
};

const ALLOCATION_STEP: Record<IncomeSource['rule'], string> = {
  a: 'allocation.a.disposalMonth',
  b: 'allocation.b.onlyTheCasePeriod',
  c: 'allocation.c.earnedInCaseReceivedAfter',
  d: 'allocation.d.intendedForFuturePeriods',
  declared: 'declaredIncome',
};

const SOURCE_KIND: Record<IncomeSource['kind'], string> = {
  employment: 'loon',
  benefit: 'uitkering',
  alimony: 'alimentatie',
  gift: 'gift',
  contribution: 'bijdrage in de kosten',
  other: 'overig inkomen',
};

const n = (flags: boolean[]) => flags;

/** The objection file (*bezwaardossier*) of a household as of an instant: pure, from its case file. */
export function objectionReport(file: CaseFile, options: ObjectionReportOptions): Document {
  const number = new Map<string, number>(file.legalBases.map((r, i) => [legalRefText(r), i + 1]));
  const cite = (steps: readonly TraceStep[], rules: string[]): string => {
    const refs = new Map<string, LegalReference>();
    for (const s of steps) if (rules.includes(s.rule)) refs.set(legalRefText(s.legalRef), s.legalRef);
    return [...refs.values()].map((r) => `${shortCitation(r)} [${number.get(legalRefText(r))}]`).join('; ');
  };
  const settled = file.months.filter((m) => m.settlement);
  const first = file.months[0]?.month;
  const last = file.months.at(-1)?.month;
  const blocks: Block[] = [
    heading(1, `Dossier voor bezwaar: huishouden ${file.householdId}`),
    list([
      `Gemeente: ${options.municipality}`,
      `Kenmerk: ${options.reference ?? file.householdId}`,
      `Datum van afgifte: ${dutchDate(options.issuedOn)}`,
      `Periode: ${first ? `${dutchMonth(first)} tot en met ${dutchMonth(last!)}` : 'geen'}`,
      `Stand van zaken op: ${dutchInstant(file.asOf)}`,
    ]),
    paragraph(
      'Dit dossier laat per maand zien welke inkomsten zijn meegeteld en volgens welke regel, hoe de bijstand is berekend, wat is betaald en verrekend, wat het bufferbudget deed en welke signalen de klantmanager kreeg. Het nummer tussen haken verwijst naar de lijst met wettelijke grondslagen achteraan.',
    ),
  ];
  if (options.check) {
    const c = options.check;
    blocks.push(
      paragraph(
        c.identical
          ? `Controle: alle ${c.decisionsCompared} beslissingen zijn opnieuw berekend uit de gegevens van toen en zijn gelijk aan wat is besloten (regelversie ${c.rulesVersions.join(', ') || 'geen'}).`
          : `Controle: opnieuw berekend verschillen ${c.differences} gegevens van wat is besloten (regelversie ${c.rulesVersions.join(', ') || 'geen'}). De regels of hun uitvoering zijn sindsdien gewijzigd.`,
      ),
    );
  }

  blocks.push(heading(2, 'Huishouden'));
  blocks.push(
    table(
      ['rol', 'BSN', 'recht op bijstand'],
      file.members.map((m) => [ROLE[m.role]!, m.maskedBsn, m.entitled ? 'ja' : 'nee']),
    ),
  );
  blocks.push(
    list([
      `Bijstand vanaf ${file.caseStart ? dutchDate(file.caseStart) : 'onbekend'}${file.caseEnd ? ` tot en met ${dutchDate(file.caseEnd)} (beëindigd)` : ' (lopend)'}`,
      ...file.compositions.map(
        (c) =>
          `Vanaf ${dutchDate(c.from)}: ${CATEGORY[c.category] ?? c.category}, ${c.costSharers} kostendeler${c.costSharers === 1 ? '' : 's'}`,
      ),
    ]),
  );

  blocks.push(heading(2, 'Overzicht per maand'));
  blocks.push(
    table(
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
      file.months.map((m) => {
        const v = m.settlement?.values;
        const p = m.payment;
        const e = (s: string | undefined) => (s === undefined ? '' : euro(s));
        return [
          dutchMonth(m.month),
          e(v?.norm),
          e(v?.income),
          e(v?.disregard),
          e(v?.countableIncome),
          e(v?.assistance),
          e(p?.advance),
          e(p?.holidayPayout),
          e(p?.offset),
          e(p?.bufferDraw),
          e(p?.amount),
          m.settlement ? `vastgesteld (versie ${m.settlement.version})` : 'nog niet vastgesteld',
        ];
      }),
      n([false, true, true, true, true, true, true, true, true, true, true, false]),
    ),
  );

  for (const m of file.months) blocks.push(...monthBlocks(m, cite, options.rulesAcceptances ?? {}));

  blocks.push(...journalBlocks(file));
  blocks.push(heading(2, 'Saldo en bufferbudget'));
  const ledger = file.ledgerBalance;
  blocks.push(
    list([
      ledger.startsWith('-')
        ? `Openstaande vordering: ${euro(ledger.slice(1))}`
        : ledger === '0.00'
          ? 'Saldo: € 0,00 (geen vordering, niets na te betalen)'
          : `Nog te betalen aan het huishouden: ${euro(ledger)}`,
      `Gereserveerde vakantietoeslag: ${euro(file.reserveBalance)}`,
      ...(file.buffer.length === 0
        ? ['Bufferbudget: niet gebruikt']
        : file.buffer.map((b) => `Bufferbudget ${b.year}: ${euro(b.drawn)} gebruikt, ${euro(b.remaining)} over`)),
    ]),
  );

  blocks.push(heading(2, 'Signalen aan de klantmanager'));
  blocks.push(
    file.alerts.length === 0
      ? paragraph('Er zijn geen signalen gegeven.')
      : table(
          ['maand', 'signaal', 'bedrag', 'gegeven op'],
          file.alerts.map((a) => [
            dutchMonth(a.month),
            ALERT_KIND[a.kind],
            a.amount ? euro(a.amount) : '',
            dutchDate(a.runDate),
          ]),
          n([false, false, true, false]),
        ),
  );

  if (options.whatIf) blocks.push(...whatIfBlocks(options.whatIf, options.whatIfFacts));

  blocks.push(heading(2, 'Wettelijke grondslagen'));
  blocks.push(list(file.legalBases.map((r, i) => `[${i + 1}] ${fullCitation(r)}`)));
  blocks.push(
    paragraph(`${settled.length} van ${file.months.length} maanden zijn vastgesteld op ${dutchInstant(file.asOf)}.`),
  );
  return {
    title: `Dossier voor bezwaar ${file.householdId}`,
    blocks,
    ...(options.reference ? { reference: options.reference } : {}),
  };
}

function monthBlocks(
  m: CaseMonth,
  cite: (steps: readonly TraceStep[], rules: string[]) => string,
  acceptances: Readonly<Record<string, RulesAcceptanceView>>,
): Block[] {
  const blocks: Block[] = [heading(2, dutchMonth(m.month))];
  const s = m.settlement;
  if (!s)
    blocks.push(
      paragraph('Nog niet vastgesteld: deze maand wordt vastgesteld als de loongegevens over de maand binnen zijn.'),
    );
  else {
    const steps = s.explanation.steps;
    const v = s.values;
    blocks.push(
      paragraph(
        `Vastgesteld op ${dutchDate(s.runDate)} (versie ${s.version}${m.settlementVersions > 1 ? `; ${m.settlementVersions - 1} eerdere versie${m.settlementVersions > 2 ? 's' : ''} in dit dossier` : ''}; regelversie ${s.rulesVersion}).${acceptedText(acceptances[s.rulesVersion])}`,
      ),
    );
    blocks.push(...versionBlocks(m));
    blocks.push(heading(3, 'Meegeteld inkomen'));
    if (m.income.length === 0) blocks.push(paragraph('Er is in deze maand geen inkomen meegeteld.'));
    else
      blocks.push(
        table(
          ['gegevens', 'soort', 'van', 'ontvanger', 'beschikbaar op', 'regel', 'grondslag', 'bedrag'],
          m.income.map((i) => [
            i.messageId,
            SOURCE_KIND[i.kind],
            i.kind === 'employment' || i.kind === 'benefit' ? i.name : '',
            ROLE[i.role]!,
            i.disposalDate ? dutchDate(i.disposalDate) : '',
            RULE_TEXT[i.rule],
            cite(steps, [ALLOCATION_STEP[i.rule]]),
            euro(i.amount),
          ]),
          n([false, false, false, false, false, false, false, true]),
        ),
      );
    blocks.push(heading(3, 'Berekening'));
    const rows: string[][] = [
      ['bijstandsnorm', euro(v.norm), cite(steps, ['normOfMonth', 'coupleNormOfMonth'])],
      ...aloSupplementRows(steps),
      ...(v.measureReduction !== '0.00'
        ? [['verlaging door maatregel', euro(v.measureReduction), cite(steps, ['normOfMonth', 'measureOfMonth'])]]
        : []),
      [
        'reservering vakantietoeslag',
        euro(v.holidayReserveFull),
        cite(steps, ['holidayReserveOfNorm', 'holidayReserveOfCoupleNorm']),
      ],
      ['norm zonder vakantietoeslag', euro(v.normExclHoliday), ''],
      [
        'inkomen',
        euro(v.income),
        cite(steps, [
          'incomeOfMonth',
          'netIncomeOfStatement',
          'declaredIncome',
          'giftsAboveFreeAmount',
          'contributionsAboveFreeAmount',
        ]),
      ],
      ['vrijgelaten inkomen', euro(v.disregard), cite(steps, ['earningsDisregard'])],
      ...partnerDisregardRows(steps, cite),
      ...(v.partnerIncomeCounted !== '0.00'
        ? [
            [
              'meegeteld inkomen partner zonder recht op bijstand',
              euro(v.partnerIncomeCounted),
              cite(steps, ['partnerIncomeCounted']),
            ],
          ]
        : []),
      ['in aanmerking genomen inkomen', euro(v.countableIncome), ''],
      ['bijstand over de maand', euro(v.assistance), cite(steps, ['assistanceOfMonth'])],
      ['vakantietoeslag opgebouwd', euro(v.holidayReserve), cite(steps, ['holidayStandardMethod'])],
      ['voorschot betaald', euro(s.advancePaid), ''],
      [
        'naar het saldo (bijstand min eerder vastgesteld of voorschot)',
        euro(s.assistanceChange),
        cite(steps, ['settlementOfMonth']),
      ],
      ['saldo na vaststelling', euro(s.ledgerBalanceAfter), ''],
    ];
    blocks.push(table(['onderdeel', 'bedrag', 'grondslag'], rows, n([false, true, false])));
  }
  const p = m.payment;
  if (p) {
    const steps = paymentSteps(m);
    blocks.push(heading(3, `Betaling op ${dutchDate(p.runDate)}`));
    const payees = [
      p.payees.applicant !== undefined ? `aanvrager ${euro(p.payees.applicant)}` : '',
      p.payees.partner !== undefined ? `partner ${euro(p.payees.partner)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    blocks.push(
      table(
        ['onderdeel', 'bedrag', 'grondslag'],
        [
          ['voorschot (verwacht inkomen)', euro(p.advance), cite(steps, ['advanceOfMonth', 'projectedIncome'])],
          ['uitbetaling vakantietoeslag', euro(p.holidayPayout), cite(steps, ['holidayReservePayout'])],
          ...(p.backPayment !== '0.00' ? [['nabetaling', euro(p.backPayment), '']] : []),
          ['verrekend met de vordering', euro(p.offset), cite(steps, ['claimOffset'])],
          ['bufferbudget', euro(p.bufferDraw), cite(steps, ['bufferbudget'])],
          ['uitbetaald', euro(p.amount), cite(steps, ['paymentOfMonth'])],
          ['aan', payees, cite(steps, ['payeesOfPayment'])],
        ],
        n([false, true, false]),
      ),
    );
    blocks.push(...projectionBlocks(m));
    if (m.buffer)
      blocks.push(
        paragraph(
          `Bufferbudget: ${'amount' in m.buffer ? `${BUFFER_DECISION.drawn}, ${euro(m.buffer.amount)}; daarna ${euro(m.buffer.remainingAfter)} over in ${m.buffer.year}` : BUFFER_DECISION[m.buffer.reason]}.`,
        ),
      );
  } else blocks.push(paragraph('Voor deze maand is (nog) niets betaald.'));
  if (m.alerts.length > 0)
    blocks.push(
      paragraph(
        `Signalen: ${m.alerts.map((a) => `${ALERT_KIND[a.kind]}${a.amount ? ` (${euro(a.amount)})` : ''}`).join('; ')}.`,
      ),
    );
  return blocks;
}

/** SPEC v3 §5.1 (art. 24a): the part of the norm that is one twelfth of the yearly single-parent supplement. */
function aloSupplementRows(steps: readonly TraceStep[]): string[][] {
  const segments = steps.find((s) => s.rule === 'normOfMonth')?.inputs.segments;
  const withSupplement = (x: { aloSupplementPerMonth?: string }) => x.aloSupplementPerMonth !== undefined;
  const seg = Array.isArray(segments) ? segments.find(withSupplement) : undefined;
  if (!seg) return [];
  const perYear = euro(seg.aloSupplementPerYear as string);
  const ref = seg.aloSupplementLegalRef as LegalReference;
  const label = `waarvan 1/12 van de alleenstaande-ouderkop (${perYear} per jaar)`;
  return [[label, euro(seg.aloSupplementPerMonth as string), `${ref.law} ${shortCitation(ref)}`]];
}

/** SPEC v3 §5.5 (art. 32(3)): the partner's own disregard, off the partner's income before the couple-norm test. */
function partnerDisregardRows(
  steps: readonly TraceStep[],
  cite: (steps: readonly TraceStep[], rules: string[]) => string,
): string[][] {
  const v = steps.find((s) => s.rule === 'partnerEarningsDisregard')?.result.disregard;
  if (typeof v !== 'string' || v === '0.00') return [];
  const label = 'vrijgelaten inkomen partner zonder recht op bijstand (vóór de toets aan de gezinsnorm)';
  return [[label, euro(v), cite(steps, ['partnerEarningsDisregard'])]];
}

/** A month decided under an accepted rules change says who accepted it, when and why. */
function acceptedText(a: RulesAcceptanceView | undefined): string {
  return a ? ` Deze regelversie is aanvaard door ${a.acceptedBy} op ${dutchInstant(a.acceptedAt)}: ${a.reason}.` : '';
}
