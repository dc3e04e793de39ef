import { fmt, money, type WhatIfMonth, type WhatIfReport } from '@bijstand/domain';
import { dutchDate, dutchInstant, dutchMonth, euro, ROLE } from './dutch.js';
import { heading, list, paragraph, table, type Block } from './markup.js';

/**
 * One fact a what-if added (a line of its input), as the objection file names it: never a BSN, the member
 * by role. `overriddenBy` lists the statements of the same income relationship and period recorded after
 * it (up to the as-of instant): those replace it from then on (SPEC §1.1), so it counts only until then.
 */
export interface WhatIfFact {
  line: number;
  recordedAt: string;
  statement?: {
    messageId: string;
    kind: 'initial' | 'correction' | 'withdrawal';
    employer: string;
    role: 'applicant' | 'partner' | 'unknown';
    periodStart: string;
    periodEnd: string;
    taxableWage: string;
  };
  case?: { type: string; date?: string };
  overriddenBy?: Array<{ messageId: string; kind: string; recordedAt: string }>;
}

const STATEMENT_KIND: Record<string, string> = {
  initial: 'eerste opgave',
  correction: 'correctie',
  withdrawal: 'intrekking',
};
const CASE_EVENT: Record<string, string> = {
  CaseOpened: 'begin van de bijstand',
  HouseholdChanged: 'wijziging van het huishouden',
  CaseClosed: 'einde van de bijstand',
  EarningsDisregardGranted: 'vrijlating van inkomsten',
  OtherIncomeDeclared: 'opgegeven inkomen',
  MeasureImposed: 'maatregel',
  MeasureEnded: 'einde van een maatregel',
};

/** A fact in one line of Dutch, with what overrides it. */
export function whatIfFactText(f: WhatIfFact): string {
  const s = f.statement;
  const caseDate = f.case?.date ? ` per ${dutchDate(f.case.date)}` : '';
  const what = s
    ? `loongegevens ${s.messageId} (${STATEMENT_KIND[s.kind] ?? s.kind}) van ${s.employer} ` +
      `over ${periodText(s.periodStart, s.periodEnd)}, fiscaal loon ${euro(s.taxableWage)}, ${ROLE[s.role]}`
    : `${CASE_EVENT[f.case?.type ?? ''] ?? f.case?.type ?? 'gegeven'}${caseDate}`;
  const base = `Regel ${f.line}: ${what}; telt vanaf ${dutchInstant(f.recordedAt)}.`;
  if (!f.overriddenBy?.length) return base;
  const by = f.overriddenBy.map(
    (o) => `${o.messageId} (${STATEMENT_KIND[o.kind] ?? o.kind}, vastgelegd ${dutchInstant(o.recordedAt)})`,
  );
  return (
    `${base} Let op: daarna vastgelegd en dus in de plaats gekomen: ${by.join('; ')}. ` +
    'Dit gegeven telt alleen tot dan; geef een recordedAt na dat moment om het te laten gelden.'
  );
}

function periodText(start: string, end: string): string {
  const lastDay = new Date(Date.UTC(Number(end.slice(0, 4)), Number(end.slice(5, 7)), 0)).getUTCDate();
  const sameMonth = start.slice(0, 7) === end.slice(0, 7) && start.endsWith('-01') && Number(end.slice(8)) === lastDay;
  return sameMonth ? dutchMonth(start.slice(0, 7)) : `${dutchDate(start)} tot en met ${dutchDate(end)}`;
}

const differs = (m: WhatIfMonth, fields: readonly string[]) => fields.some((f) => m.decided[f] !== m.whatIf[f]);
const PAYMENT_FIELDS = ['payment.advance', 'payment.offset', 'payment.bufferDraw', 'payment.amount'] as const;

/**
 * The what-if of an objection file: which facts it changed, the entitlement of the months settled (either
 * way) with the difference in A + R that is owed, and the payments that would have differed. A month not
 * yet settled has no entitlement to compare and is named, not shown as € 0,00; a payment that differs only
 * in timing (a claim offset earlier or later, another advance) is not owed again, so it has its own
 * difference column.
 */
export function whatIfBlocks(w: WhatIfReport, facts: readonly WhatIfFact[] = []): Block[] {
  const blocks: Block[] = [heading(2, 'Wat als: met de aangeleverde gegevens')];
  blocks.push(
    facts.length === 0 ? paragraph('De gewijzigde gegevens zijn niet meegegeven.') : list(facts.map(whatIfFactText)),
  );
  const settled = w.months.filter((m) => m.settled.decided || m.settled.whatIf);
  const unsettled = w.months.filter((m) => !m.settled.decided && !m.settled.whatIf);
  const changed = settled.filter((m) => differs(m, ['assistance', 'holidayReserve']));
  const side = (m: WhatIfMonth, which: 'decided' | 'whatIf', f: string) =>
    m.settled[which] ? euro(m[which][f]!) : 'niet vastgesteld';
  blocks.push(heading(3, 'Recht op bijstand per vastgestelde maand'));
  if (settled.length === 0) blocks.push(paragraph('Er is nog geen maand vastgesteld.'));
  else
    blocks.push(
      table(
        [
          'maand',
          'bijstand besloten',
          'bijstand wat-als',
          'vakantietoeslag besloten',
          'vakantietoeslag wat-als',
          'verschil',
        ],
        settled.map((m) => [
          dutchMonth(m.month),
          side(m, 'decided', 'assistance'),
          side(m, 'whatIf', 'assistance'),
          side(m, 'decided', 'holidayReserve'),
          side(m, 'whatIf', 'holidayReserve'),
          euro(m.netOwed),
        ]),
        [false, true, true, true, true, true],
      ),
    );
  blocks.push(
    paragraph(
      'Verschil is (bijstand wat-als − besloten) + (vakantietoeslag wat-als − besloten): ' +
        'positief krijgt het huishouden nog, negatief moet het terugbetalen. ' +
        (changed.length === 0
          ? 'Geen vastgestelde maand komt anders uit.'
          : `Anders uit: ${changed.map((m) => dutchMonth(m.month)).join(', ')}.`),
    ),
  );
  if (unsettled.length > 0)
    blocks.push(
      paragraph(
        `Niet vergeleken, want nog niet vastgesteld: ${unsettled.map((m) => dutchMonth(m.month)).join(', ')}. ` +
          'Het recht daarop volgt als de loongegevens binnen zijn.',
      ),
    );
  const payments = w.months.filter((m) => (m.paid.decided || m.paid.whatIf) && differs(m, PAYMENT_FIELDS));
  blocks.push(heading(3, 'Betalingen die anders zouden zijn'));
  if (payments.length === 0) blocks.push(paragraph('Geen betaling zou anders zijn geweest.'));
  else {
    const e = (m: WhatIfMonth, which: 'decided' | 'whatIf', f: string) => (m.paid[which] ? euro(m[which][f]!) : 'geen');
    blocks.push(
      table(
        [
          'maand',
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
        payments.map((m) => [
          dutchMonth(m.month),
          e(m, 'decided', 'payment.advance'),
          e(m, 'whatIf', 'payment.advance'),
          e(m, 'decided', 'payment.offset'),
          e(m, 'whatIf', 'payment.offset'),
          e(m, 'decided', 'payment.bufferDraw'),
          e(m, 'whatIf', 'payment.bufferDraw'),
          e(m, 'decided', 'payment.amount'),
          e(m, 'whatIf', 'payment.amount'),
          euro(fmt(money(m.whatIf['payment.amount']!).minus(m.decided['payment.amount']!))),
        ]),
        [false, true, true, true, true, true, true, true, true, true],
      ),
    );
    blocks.push(
      paragraph(
        'Een betaling verschilt als een vordering eerder of later wordt verrekend, het bufferbudget anders ' +
          'wordt ingezet of het voorschot anders is. Wat het huishouden per saldo tegoed heeft of moet ' +
          'terugbetalen staat hieronder.',
      ),
    );
  }
  const total = w.netOwedTotal;
  blocks.push(
    list([
      total.startsWith('-')
        ? `Per saldo moet het huishouden ${euro(total.slice(1))} terugbetalen.`
        : total === '0.00'
          ? 'Per saldo verandert er niets: het huishouden krijgt niets bij en hoeft niets terug te betalen.'
          : `Per saldo heeft het huishouden nog ${euro(total)} tegoed.`,
      `Saldo op de peildatum: besloten ${euro(w.ledgerBalance.decided)}, wat-als ${euro(w.ledgerBalance.whatIf)}.`,
      `Bufferbudget gebruikt: besloten ${euro(w.bufferDrawn.decided)}, wat-als ${euro(w.bufferDrawn.whatIf)}.`,
    ]),
  );
  // Inputs the case-event rules rejected (e.g. a grant past the 12 months of art. 34a) did not count.
  for (const r of w.rejectedInputs ?? [])
    blocks.push(paragraph(`Niet meegenomen (afgewezen, ${dutchInstant(r.recordedAt)}): ${r.reason}`));
  return blocks;
}
