import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultParameters,
  householdIdOfCaseInputs,
  monthOf,
  money,
  parseScenario,
  simulateScenario,
  type HouseholdEvent,
  type Scenario,
} from '@bijstand/domain';
import type { LetterSender } from '@bijstand/platform';
import { generateHouseholds, type RawInput } from '@bijstand/synthetic';
import {
  ANNEX_HEADING,
  monthDecisionOf,
  paymentSpecification,
  paymentSpecOf,
  readability,
  residentLetter,
  SPEC_ANNEX_HEADING,
  toMarkdown,
} from '../src/index.js';
import { dutchDate, euro } from '../src/dutch.js';

/**
 * Every statement of the resident's letter held to the events it is about: the ten worked examples and a
 * synthetic population, simulated by the domain night by night; for every settled month a letter as the store
 * stood just after that month's latest settlement and one as it stands at the end. What the letter says is
 * checked against the raw events (not against the model it is rendered from), so a model that reads the wrong
 * event fails here.
 */
const SENDER: LetterSender = {
  municipality: 'Voorbeeldstad',
  municipalityCode: 'GM9999',
  postalAddress: 'Postbus 100, 1000 AA Voorbeeldstad',
  phone: '14 0123',
  website: 'www.voorbeeldstad.nl',
  objectionAddress: 'Gemeente Voorbeeldstad, Postbus 100, 1000 AA Voorbeeldstad',
  signedBy: 'de teamleider Werk en Inkomen',
};

const examplesDir = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');

function examples(): Scenario[] {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.scenario.json'))
    .sort()
    .map((f) => parseScenario(JSON.parse(readFileSync(join(examplesDir, f), 'utf8')), defaultParameters));
}

/**
 * The generator's households (the demo's and the bench's), each its own scenario over the same nights; every
 * fourth one closed late (recorded in July, ended in May), so months already paid are settled back and the
 * closed case's letters are there whatever the generator drew.
 */
function synthetic(households: number): Scenario[] {
  const byHousehold = new Map<string, RawInput[]>();
  let current = '';
  for (const input of generateHouseholds({ households, seed: 23, startMonth: '2027-01', months: 12 })) {
    if (input.case) current = String(input.case.householdId);
    byHousehold.set(current, [...(byHousehold.get(current) ?? []), input]);
  }
  return [...byHousehold].map(([householdId, inputs], i) => {
    const closed = inputs.some((x) => x.case?.type === 'CaseClosed');
    const late: RawInput[] =
      i % 4 === 3 && !closed
        ? [{ recordedAt: '2027-07-10T08:00:00Z', case: { type: 'CaseClosed', householdId, endDate: '2027-05-31' } }]
        : [];
    const all = [...inputs, ...late].sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
    return parseScenario({ inputs: all, runs: { from: '2026-11-01', to: '2028-02-29' } }, defaultParameters);
  });
}

interface Checked {
  letters: number;
  youOwe: number;
  weOwe: number;
  belowMinimum: number;
  nothingPaid: number;
  closed: number;
  halves: number;
  bufferDraw: number;
  specs: number;
}

function checkHousehold(scenario: Scenario, seen: Checked, alsoAsDecided = true): void {
  const householdId = householdIdOfCaseInputs(scenario.inputs)!;
  const outcome = simulateScenario(scenario, 'v-test');
  const stored = outcome.stored;
  const settledAt = new Map<string, string>();
  for (const s of stored) if (s.event.type === 'MonthSettled') settledAt.set(s.event.data.month, s.recordedAt);
  const end = outcome.runs.at(-1)!.runAt;
  const all = stored.map((x) => x.event);
  for (const s of stored)
    if (s.event.type === 'PaymentMade') {
      // As decided that night (the examples), or as the store stands at the end (the population: faster).
      const asOf = alsoAsDecided ? s.recordedAt : end;
      const events = alsoAsDecided ? stored.filter((x) => x.recordedAt <= asOf).map((x) => x.event) : all;
      checkSpec(householdId, s.event.data.runDate, asOf, events, seen);
    }
  for (const [month, latestSettlement] of settledAt)
    for (const asOf of new Set(alsoAsDecided ? [latestSettlement, end] : [end])) {
      const events = stored.filter((s) => s.recordedAt <= asOf).map((s) => s.event);
      checkLetter(householdId, month, asOf, events, seen);
    }
}

function checkLetter(householdId: string, month: string, asOf: string, events: HouseholdEvent[], seen: Checked) {
  const decision = monthDecisionOf(events, { householdId, month, asOf, municipalityCode: 'GM9999' });
  const letter = toMarkdown(residentLetter(decision, SENDER));
  const body = letter.slice(0, letter.indexOf(`## ${ANNEX_HEADING}`));
  const annex = letter.slice(letter.indexOf(`## ${ANNEX_HEADING}`));
  const where = `${householdId} ${month} as of ${asOf}`;
  seen.letters++;

  // The raw events of the month, as recorded by then.
  const settled = events.filter((e) => e.type === 'MonthSettled' && e.data.month === month).at(-1)!;
  if (settled.type !== 'MonthSettled') throw new Error('unreachable');
  const paid = events.find((e) => e.type === 'PaymentMade' && e.data.month === month);
  const alerts = events.filter((e) => e.type === 'AlertRaised' && e.data.month === month);
  const closed = events.filter((e) => e.type === 'CaseClosed').at(-1);

  expect(body, where).toContain(`Datum: ${dutchDate(settled.data.runDate)}`);
  expect(body, where).toContain(`Ons kenmerk: GM9999-${householdId}-${month.replace('-', '')}-${settled.data.version}`);
  expect(body, where).toContain(`U heeft recht op ${euro(settled.data.values.assistance)} bijstand`);

  // "You owe / we owe / nothing" agrees with this decision's ledger change, never with a balance.
  const change = money(settled.data.assistanceChange);
  const owe = /moet u € [\d.,]+ terugbetalen/.test(body);
  const weOwe = /Wij moeten u nog € [\d.,]+ betalen/.test(body);
  const nothing = body.includes('niets terug te betalen');
  if (change.isNegative()) {
    seen.youOwe++;
    expect(body, where).toContain(`moet u ${euro(change.abs().toFixed(2))} terugbetalen`);
    expect([weOwe, nothing], where).toEqual([false, false]);
  } else if (change.greaterThan(0)) {
    seen.weOwe++;
    expect(body, where).toContain(`Wij moeten u nog ${euro(change.toFixed(2))} betalen`);
    expect([owe, nothing], where).toEqual([false, false]);
  } else expect([owe, weOwe, nothing], where).toEqual([false, false, true]);

  // A below-minimum month says so and whom to call; no letter ever says there is enough to live on.
  expect(body, where).not.toMatch(/genoeg om van te leven/);
  const below = alerts.find((a) => a.type === 'AlertRaised' && a.data.kind === 'below-minimum');
  if (below?.type === 'AlertRaised') {
    seen.belowMinimum++;
    expect(body, where).toContain(`had u ${euro(below.data.amount!)} minder dan het minimum`);
    expect(body, where).toContain(`Bel ons op ${SENDER.phone}.`);
  }

  // A payday only beside an amount that is paid; a payment of € 0,00 has none.
  if (paid?.type === 'PaymentMade') {
    const sentence = `Op ${dutchDate(paid.data.runDate)} betaalden wij u ${euro(paid.data.amount)}.`;
    if (money(paid.data.amount).isZero()) {
      seen.nothingPaid++;
      expect(body, where).not.toContain(`Op ${dutchDate(paid.data.runDate)}`);
      expect(body, where).toContain('betaalden wij niets uit');
    } else expect(body, where).toContain(sentence);
    if (paid.data.payees.partner !== undefined && paid.data.payees.applicant !== undefined) seen.halves++;
    if (!money(paid.data.bufferDraw).isZero()) {
      seen.bufferDraw++;
      expect(body, where).toContain(`Het bufferbudget betaalde ${euro(paid.data.bufferDraw)}.`);
    }
    // The claims the payment offset add up to the offset, each named by its month.
    const offsets = decision.payment!.offsetFrom;
    expect(offsets.reduce((s, c) => s.plus(c.amount), money('0')).toFixed(2), where).toBe(paid.data.offset);
    for (const c of offsets) expect(body, where).toContain(`kreeg u ${euro(c.amount)} te veel.`);
  }
  expect(body, where).not.toMatch(/U krijgt over /);

  // A case that has ended by then promises no next payment.
  if (closed?.type === 'CaseClosed' && monthOf(closed.data.endDate) <= monthOf(asOf.slice(0, 10))) {
    seen.closed++;
    expect(body, where).not.toMatch(/volgende betaling/);
    // A month in which or after which it ended (a late closure settles paid months back) says when it stopped.
    if (monthOf(closed.data.endDate) <= month)
      expect(body, where).toContain(`Uw bijstand stopte op ${dutchDate(closed.data.endDate)}.`);
  }

  // Income by its kind: no wage for a household that has none.
  if (
    !events.some(
      (e) => e.type === 'IncomeStatementRecorded' && (e.data.statement.incomeKind ?? 'employment') === 'employment',
    )
  )
    expect(body, where).not.toMatch(/\bloon\b/i);

  // B1: short sentences, no jargon, no article numbers; an annex in words a resident reads.
  const r = readability(body);
  expect(r.jargon, where).toEqual([]);
  expect(r.articleNumbers, where).toEqual([]);
  expect(r.longestSentence.words, `${where}: ${r.longestSentence.text}`).toBeLessThanOrEqual(20);
  expect(r.averageWords, where).toBeLessThanOrEqual(12);
  expect(annex, where).not.toMatch(/Programmaplan|seed|PIB|maatregel \d/);
  expect(annex, where).toContain('Algemene wet bestuursrecht, art. 6:7');
}

/** The payment specification of a payday, as decided that night, held to its PaymentMade. */
function checkSpec(householdId: string, payday: string, asOf: string, events: HouseholdEvent[], seen: Checked) {
  const spec = paymentSpecOf(events, { householdId, payday, asOf, municipalityCode: 'GM9999' });
  const text = toMarkdown(paymentSpecification(spec, SENDER));
  const body = text.slice(0, text.indexOf(`## ${SPEC_ANNEX_HEADING}`));
  const where = `${householdId} payday ${payday}`;
  const paid = events.find((e) => e.type === 'PaymentMade' && e.data.runDate === payday)!;
  if (paid.type !== 'PaymentMade') throw new Error('unreachable');
  seen.specs++;
  expect(body, where).toContain(`| Totaal | ${euro(paid.data.amount)} |`);
  expect(body, where).toContain(`| Voorschot bijstand over `);
  if (money(paid.data.amount).isZero()) expect(body, where).not.toContain(`Op ${dutchDate(payday)} betalen`);
  else expect(body, where).toContain(`Op ${dutchDate(payday)} betalen wij ${euro(paid.data.amount)}.`);
  if (!money(paid.data.holidayPayout).isZero())
    expect(body, where).toContain(`| Vakantiegeld | ${euro(paid.data.holidayPayout)} |`);
  if (!money(paid.data.bufferDraw).isZero())
    expect(body, where).toContain(`| Bufferbudget | ${euro(paid.data.bufferDraw)} |`);
  if (!money(paid.data.offset).isZero())
    expect(body, where).toContain(`Daarom houden wij ${euro(paid.data.offset)} in:`);
  expect(body, where).not.toMatch(/genoeg om van te leven/);
  if (
    !events.some(
      (e) => e.type === 'IncomeStatementRecorded' && (e.data.statement.incomeKind ?? 'employment') === 'employment',
    )
  )
    expect(body, where).not.toMatch(/\bloon\b/i);
  const r = readability(body);
  expect(r.jargon, where).toEqual([]);
  expect(r.articleNumbers, where).toEqual([]);
  expect(r.longestSentence.words, `${where}: ${r.longestSentence.text}`).toBeLessThanOrEqual(20);
  expect(r.averageWords, where).toBeLessThanOrEqual(12);
}

const none = (): Checked => ({
  letters: 0,
  youOwe: 0,
  weOwe: 0,
  belowMinimum: 0,
  nothingPaid: 0,
  closed: 0,
  halves: 0,
  bufferDraw: 0,
  specs: 0,
});

describe('every statement of the letter agrees with the events it is about', () => {
  it('the ten worked examples, every settled month, as decided then and as it stands', () => {
    const seen = none();
    const all = examples();
    expect(all).toHaveLength(10);
    for (const scenario of all) checkHousehold(scenario, seen);
    // The examples hold every case the letter has: a claim, a back payment, below the minimum, halves, the buffer,
    // an end.
    expect(seen.letters).toBeGreaterThan(150);
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(0);
    expect(seen.specs).toBeGreaterThan(100);
  });

  it('a synthetic population (24 households), every settled month as it stands', () => {
    const seen = none();
    for (const scenario of synthetic(24)) checkHousehold(scenario, seen, false);
    expect(seen.letters).toBeGreaterThan(150);
    expect(seen.youOwe).toBeGreaterThan(0);
    expect(seen.closed).toBeGreaterThan(0);
    expect(seen.specs).toBeGreaterThan(250);
  });
});
