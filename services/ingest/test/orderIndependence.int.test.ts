import { describe, expect, it } from 'vitest';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import { createLogger, householdStream, isHouseholdEvent, toHouseholdEvent } from '@bijstand/platform';
import { decide, evolve, foldHousehold, type HouseholdState } from '@bijstand/domain';
import { Ingestor, type InboundMessage } from '../src/index.js';
import { mulberry32 } from '@bijstand/synthetic';
import { caseOpened, ctx, month, statement, validBsn } from './fixtures.js';

/*
 * Issue #12, finding 4: case events before their CaseOpened were rejected for good, so the final
 * state depended on delivery order. Property: the same inputs in any order of arrival give the same
 * household. Stream contents cannot be equal (events are appended in arrival order, and a parked
 * event enters when its case opens), so what is compared is what decides money: the folded state
 * (case facts, grants, measures, declarations, statements in force) and the decisions of nightly
 * runs on it (settled months and payments).
 */
const logger = createLogger('test', { level: 'silent' });
const HOUSEHOLDS = 12;
const PERMUTATIONS = 6;

/** Households with disregards, closures, composition changes, declarations, measures, corrections and parked statements. */
function generate(rand: () => number): Array<{ kind: 'statement' | 'case'; body: unknown; recordedAt: string }> {
  const out: Array<{ kind: 'statement' | 'case'; body: unknown; recordedAt: string }> = [];
  const at = (day: number) =>
    `2027-${String(1 + Math.floor(day / 28)).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')}T09:00:00Z`;
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const householdId = `H-perm-${h}`;
    const bsn = validBsn(100 + h);
    out.push({ kind: 'case', body: caseOpened(householdId, [bsn], '2027-01-01'), recordedAt: at(1) });
    if (rand() < 0.5)
      out.push({
        kind: 'case',
        body: {
          type: 'EarningsDisregardGranted',
          householdId,
          bsn,
          kind: 'work',
          from: '2027-01-01',
          to: '2027-12-31',
        },
        recordedAt: at(5),
      });
    if (rand() < 0.4)
      out.push({
        kind: 'case',
        body: {
          type: 'HouseholdChanged',
          householdId,
          effectiveDate: '2027-03-15',
          category: 'single',
          costSharers: 2,
        },
        recordedAt: at(60),
      });
    if (rand() < 0.4)
      out.push({
        kind: 'case',
        body: {
          type: 'OtherIncomeDeclared',
          householdId,
          declarationId: `D-${h}`,
          bsn,
          kind: 'alimony',
          amount: '150.00',
          receivedOn: '2027-02-10',
        },
        recordedAt: at(45),
      });
    if (rand() < 0.3)
      out.push({
        kind: 'case',
        body: {
          type: 'MeasureImposed',
          householdId,
          measureId: `M-${h}`,
          rate: '0.10',
          from: '2027-04-01',
          to: '2027-04-30',
        },
        recordedAt: at(80),
      });
    if (rand() < 0.3)
      out.push({ kind: 'case', body: { type: 'CaseClosed', householdId, endDate: '2027-05-31' }, recordedAt: at(130) });
    for (let m = 1; m <= 6; m++) {
      const period = month(`2027-${String(m).padStart(2, '0')}`);
      const wage = (400 + Math.floor(rand() * 900)).toFixed(2);
      out.push({
        kind: 'statement',
        body: statement({
          messageId: `s-${h}-${m}`,
          bsn,
          period,
          paymentDate: `${period.end.slice(0, 8)}25`,
          taxableWage: wage,
          withheldTax: '20.00',
        }),
        recordedAt: at(m * 28 + 10),
      });
      if (rand() < 0.25)
        out.push({
          kind: 'statement',
          body: statement({
            messageId: `c-${h}-${m}`,
            bsn,
            period,
            paymentDate: `${period.end.slice(0, 8)}25`,
            taxableWage: (Number(wage) + 50).toFixed(2),
            withheldTax: '22.00',
            kind: 'correction',
          }),
          recordedAt: at(m * 28 + 20),
        });
    }
  }
  return out;
}

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** What decides money, in a form that compares as JSON. */
function projection(state: HouseholdState) {
  const sorted = <V>(m: ReadonlyMap<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    householdId: state.householdId,
    members: state.members,
    startDate: state.startDate,
    endDate: state.endDate,
    compositions: state.compositions,
    disregardGrants: state.disregardGrants,
    measures: state.measures,
    declarations: sorted(state.declarations).map(([k, d]) => [k, d.declaration]),
    statementsInForce: sorted(state.statementsInForce).map(([k, r]) => [k, r.statement, r.recordedAt]),
  };
}

/** Nightly runs (and buffer decisions) on each payday of 2027: the settled months and payments. */
function nightlyDecisions(state: HouseholdState) {
  const decisions: unknown[] = [];
  for (let m = 2; m <= 8; m++) {
    const runDate = `2027-${String(m).padStart(2, '0')}-25`;
    const runAt = `${runDate}T01:00:00Z`;
    const night = decide({ type: 'RunNightly', runDate, runAt, rulesVersion: 'test' }, state, ctx);
    for (const e of night) evolve(state, e);
    const buffer = decide(
      { type: 'DecideBuffer', month: runDate.slice(0, 7), runDate, rulesVersion: 'test' },
      state,
      ctx,
    );
    for (const e of buffer) evolve(state, e);
    for (const e of [...night, ...buffer]) {
      if (e.type === 'MonthSettled') decisions.push([e.type, e.data.month, e.data.version, e.data.values]);
      if (e.type === 'PaymentMade') decisions.push([e.type, e.data.month, e.data.amount, e.data.payees]);
    }
  }
  return decisions;
}

async function ingestInOrder(inputs: ReturnType<typeof generate>): Promise<{ store: EventStore; outcomes: string[] }> {
  const store = await openEventStore({ kind: 'memory' });
  const ingestor = new Ingestor(store, ctx, logger);
  const outcomes: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const message: InboundMessage = {
      kind: input.kind,
      payload: JSON.stringify(input.body),
      recordedAt: input.recordedAt,
      source: { type: 'inline', reference: `perm-${i}` },
    };
    outcomes.push((await ingestor.ingest(message)).status);
  }
  return { store, outcomes };
}

async function households(store: EventStore) {
  const result: Record<string, unknown> = {};
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const state = foldHousehold(
      (await store.readStream(householdStream(`H-perm-${h}`))).filter(isHouseholdEvent).map(toHouseholdEvent),
    );
    result[`H-perm-${h}`] = { state: projection(state), decisions: nightlyDecisions(state) };
  }
  return result;
}

describe('order-independent ingest (issue #12, 4)', () => {
  it('a case event before its CaseOpened is parked and applied when the case opens', async () => {
    const inputs = generate(mulberry32(7)).filter(
      (i) =>
        (i.body as { householdId?: string }).householdId === 'H-perm-0' ||
        (i.body as { messageId?: string }).messageId === 's-0-1',
    );
    const caseFirst = [
      ...inputs.filter((i) => i.kind === 'case' && (i.body as { type: string }).type !== 'CaseOpened'),
      ...inputs.filter((i) => i.kind !== 'case' || (i.body as { type: string }).type === 'CaseOpened'),
    ];
    const { store, outcomes } = await ingestInOrder(caseFirst);
    const parkedCount = caseFirst.findIndex((i) => (i.body as { type?: string }).type === 'CaseOpened');
    expect(outcomes.slice(0, parkedCount)).toEqual(Array.from({ length: parkedCount }, () => 'parked'));
    expect(outcomes).not.toContain('rejected');
    const inOrder = await ingestInOrder(inputs);
    expect(await households(store).then((h) => h['H-perm-0'])).toEqual(
      await households(inOrder.store).then((h) => h['H-perm-0']),
    );
  });

  it(`the same inputs in ${PERMUTATIONS} seeded random orders give the same households and nightly decisions`, async () => {
    const inputs = generate(mulberry32(2027));
    const reference = await households((await ingestInOrder(inputs)).store);
    // Sanity: the reference has money in it (a comparison of empty households could not fail).
    expect(Object.values(reference).filter((h) => (h as { decisions: unknown[] }).decisions.length > 0)).toHaveLength(
      HOUSEHOLDS,
    );
    for (let p = 0; p < PERMUTATIONS; p++) {
      const order = shuffled(inputs, mulberry32(100 + p));
      const { store, outcomes } = await ingestInOrder(order);
      // Nothing is lost: every message is recorded, parked-then-applied, or an initial superseded by its correction.
      expect(outcomes.filter((o) => o === 'rejected').length).toBeLessThanOrEqual(
        inputs.filter((i) => (i.body as { kind?: string }).kind === 'correction').length,
      );
      expect(await households(store)).toEqual(reference);
    }
  });
});
