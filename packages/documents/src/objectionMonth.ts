import { fmt, money, type MonthValues } from '@bijstand/domain';
import type { CaseFile, CaseMonth, IncomeSource, JournalEntry, SettlementVersion } from './caseFile.js';
import { dutchDate, dutchInstant, dutchMonth, euro, ROLE } from './dutch.js';
import { heading, list, paragraph, table, type Block } from './markup.js';

/** The objection file's parts that follow a month through time: its versions, its advance, the journal. */

const VALUE_LABEL: ReadonlyArray<[keyof MonthValues, string]> = [
  ['norm', 'norm'],
  ['measureReduction', 'verlaging door maatregel'],
  ['income', 'inkomen'],
  ['disregard', 'vrijgelaten'],
  ['partnerIncomeCounted', 'meegeteld inkomen partner'],
  ['countableIncome', 'meegeteld inkomen'],
  ['assistance', 'bijstand'],
  ['holidayReserve', 'vakantietoeslag'],
];

const STATEMENT_KIND: Record<string, string> = {
  initial: 'eerste opgave',
  correction: 'correctie',
  withdrawal: 'intrekking',
};

const sourceText = (i: IncomeSource) => {
  const kind = i.statementKind ? `${STATEMENT_KIND[i.statementKind]} ` : '';
  const recorded = i.recordedAt ? `, vastgelegd ${dutchInstant(i.recordedAt)}` : '';
  return `${i.messageId} (${kind}${i.name}${recorded}, ${euro(i.amount)})`;
};

/** What changed from one version to the next: the facts that arrived or fell away, and the amounts that moved. */
export function versionChange(before: SettlementVersion, after: SettlementVersion): string[] {
  const ids = (v: SettlementVersion) => new Set(v.income.map((i) => i.messageId));
  const arrived = after.income.filter((i) => !ids(before).has(i.messageId));
  const gone = before.income.filter((i) => !ids(after).has(i.messageId));
  const moved = VALUE_LABEL.filter(([f]) => before.settled.values[f] !== after.settled.values[f]).map(
    ([f, label]) => `${label} ${euro(before.settled.values[f])} → ${euro(after.settled.values[f])}`,
  );
  return [
    ...(arrived.length > 0 ? [`nieuwe gegevens: ${arrived.map(sourceText).join('; ')}`] : []),
    ...(gone.length > 0 ? [`niet meer meegeteld: ${gone.map(sourceText).join('; ')}`] : []),
    ...(moved.length > 0 ? [`bedragen: ${moved.join('; ')}`] : ['geen bedrag veranderde']),
  ];
}

/** Every version of a settled month (version 1 too), and between two versions what changed. */
export function versionBlocks(m: CaseMonth): Block[] {
  if (m.versions.length < 2) return [];
  const blocks: Block[] = [
    heading(3, 'Versies'),
    table(
      ['versie', 'vastgesteld op', 'inkomen', 'meegeteld', 'bijstand', 'vakantietoeslag', 'naar het saldo', 'saldo na'],
      m.versions.map(({ settled: s }) => [
        String(s.version),
        dutchDate(s.runDate),
        euro(s.values.income),
        euro(s.values.countableIncome),
        euro(s.values.assistance),
        euro(s.values.holidayReserve),
        euro(s.assistanceChange),
        euro(s.ledgerBalanceAfter),
      ]),
      [false, false, true, true, true, true, true, true],
    ),
  ];
  for (let k = 1; k < m.versions.length; k++) {
    const [before, after] = [m.versions[k - 1]!, m.versions[k]!];
    blocks.push(paragraph(`Van versie ${before.settled.version} naar versie ${after.settled.version}:`));
    blocks.push(list(versionChange(before, after)));
  }
  return blocks;
}

const SOURCE_KIND: Record<IncomeSource['kind'], string> = {
  employment: 'loon',
  benefit: 'uitkering',
  alimony: 'alimentatie',
  gift: 'gift',
  contribution: 'bijdrage in de kosten',
  other: 'overig inkomen',
};

/** How the advance of a paid month was projected (SPEC §6.2): which income it expected, from what. */
export function projectionBlocks(m: CaseMonth): Block[] {
  const p = m.payment;
  if (!p) return [];
  const blocks: Block[] = [heading(3, 'Hoe het voorschot is berekend')];
  if (m.advancePolicy === 'full-norm')
    blocks.push(paragraph('Beleid volle norm: er is geen inkomen verwacht; het voorschot is de norm.'));
  else if (m.expected.length === 0) blocks.push(paragraph('Er is geen inkomen verwacht: er waren geen loongegevens.'));
  else
    blocks.push(
      table(
        ['bron', 'soort', 'ontvanger', 'op basis van', 'per betaling', 'verwacht op', 'verwacht'],
        m.expected.map((e) => [
          e.name,
          SOURCE_KIND[e.kind],
          ROLE[e.role]!,
          e.skipped ? `niet verwacht: ${e.skipped}` : e.basis,
          e.skipped ? '' : euro(e.perPayment),
          e.dates.map(dutchDate).join(', '),
          e.skipped ? '' : euro(e.amount),
        ]),
        [false, false, false, false, true, false, true],
      ),
    );
  // SPEC §6.2: projectedNet = projE + P, projectedCountable = projE − V + P (projE: the entitled members' income).
  const entitled = fmt(money(p.projectedNet).minus(p.projectedPartnerIncomeCounted));
  const countable = fmt(money(p.projectedNet).minus(p.projectedDisregard));
  if (p.projectedNet === '0.00')
    return [...blocks, paragraph(`Voorschot: de norm zonder vakantietoeslag, ${euro(p.advance)}.`)];
  const partner =
    p.projectedPartnerIncomeCounted === '0.00'
      ? ''
      : `; van de partner zonder recht op bijstand telt ${euro(p.projectedPartnerIncomeCounted)} mee`;
  blocks.push(
    paragraph(
      `Verwacht inkomen van wie recht op bijstand heeft ${euro(entitled)}, ` +
        `waarvan vrijgelaten ${euro(p.projectedDisregard)}${partner}: meegeteld ${euro(countable)}. ` +
        `Voorschot: norm zonder vakantietoeslag ${euro(p.normExclHoliday)} min meegeteld inkomen, ` +
        `niet minder dan nul: ${euro(p.advance)}.`,
    ),
  );
  return blocks;
}

const paymentText = (j: JournalEntry): string =>
  [
    'betaald',
    ...(j.offset && j.offset !== '0.00' ? [`verrekend ${euro(j.offset)}`] : []),
    ...(j.bufferDraw && j.bufferDraw !== '0.00' ? [`waarvan bufferbudget ${euro(j.bufferDraw)}`] : []),
    ...(j.holidayPayout && j.holidayPayout !== '0.00' ? [`vakantietoeslag uitbetaald ${euro(j.holidayPayout)}`] : []),
  ].join(', ');

const signed = (amount: string) =>
  amount === '0.00' ? '' : amount.startsWith('-') ? euro(amount) : `+${euro(amount)}`;

/**
 * The ledger and the holiday reserve balance as a dated journal, in the order things were decided: so a
 * month's "saldo na vaststelling" reads after the payments that moved the balance before it.
 */
export function journalBlocks(file: CaseFile): Block[] {
  // A payment that neither offset nor paid out anything leaves both balances as they were: not a line.
  const journal = file.journal.filter((j) => j.ledgerChange !== '0.00' || j.reserveChange !== '0.00');
  if (journal.length === 0) return [];
  return [
    heading(2, 'Journaal van saldo en vakantietoeslag'),
    paragraph(
      'Elke vaststelling en betaling die het saldo (positief: nog te betalen aan het huishouden; negatief: ' +
        'vordering) of de gereserveerde vakantietoeslag veranderde, op datum.',
    ),
    table(
      ['datum', 'maand', 'wat', 'saldo +/−', 'saldo daarna', 'reserve +/−', 'reserve daarna'],
      journal.map((j) => [
        dutchDate(j.date),
        dutchMonth(j.month),
        j.kind === 'settlement' ? `vastgesteld (versie ${j.version})` : paymentText(j),
        signed(j.ledgerChange),
        euro(j.ledgerBalanceAfter),
        signed(j.reserveChange),
        euro(j.reserveBalanceAfter),
      ]),
      [false, false, false, true, true, true, true],
    ),
  ];
}
