import type { DecisionContext } from './decider.js';
import { decideNight } from './night.js';
import { decisionKey, isDecisionType } from './decisions.js';
import { dateCanChangeDecisions } from './incremental/quietNights.js';
import type { IncrementalLayer } from './incremental/evaluation.js';
import { casePeriod, evolve, initialHouseholdState, statementKey, type HouseholdState } from './household.js';
import type { HouseholdEvent } from './events.js';
import { addMonths, monthOf, type Instant, type IsoDate } from './dates.js';
import { policyFor } from './parameters.js';
import { mayFallOutsideCase, targetMonths } from './rules/allocation.js';
import { money, ZERO, fmt, type Money } from './money.js';
import { instantMillis } from './scenario.js';
import { CommandRejected, decideCaseEvent } from './caseEvents.js';
import type { CaseEvent, PolisIncomeStatement } from './schemas.js';

/** A household event as stored: what it says and when it entered the system. */
export interface StoredHouseholdEvent {
  /** May be parsed only when first read (a getter): most stored decisions are compared as text. */
  readonly event: HouseholdEvent;
  recordedAt: Instant;
  /** The event as stored, when the reader kept it: its type and id without parsing, its data as JSON. */
  stored?: { type: string; eventId: string; dataText: string };
}

const typeOf = (s: StoredHouseholdEvent) => s.stored?.type ?? s.event.type;
export const isStoredDecision = (s: StoredHouseholdEvent) => isDecisionType(typeOf(s));

export interface RunInstant {
  runDate: IsoDate;
  runAt: Instant;
  /** The rules version the night ran under, where it was recorded. */
  rulesVersion?: string;
}

/** The rules to re-run a night under: by default the given ones; `rulesOfRun` may give those of then. */
export type RulesOfRun = (run: RunInstant) => { ctx: DecisionContext; rulesVersion: string } | undefined;

/**
 * Re-run the household's nights up to `asOf` from its inputs alone (SPEC §10): before each run, the
 * inputs recorded up to that instant; then the decider. Pure: the same events give the same decisions.
 * With `incremental`, the nights decide through that layer and nights on which nothing can change are
 * skipped; without it every night is decided from scratch.
 */
export function recomputeDecisions(
  stored: readonly StoredHouseholdEvent[],
  runs: readonly RunInstant[],
  asOf: Instant,
  ctx: DecisionContext,
  rulesVersion: string,
  rulesOfRun?: RulesOfRun,
  options: {
    incremental?: IncrementalLayer | undefined;
    /** Inputs never decided before (what-if case events): through the case-event rules, rejected ones left out. */
    undecided?: ReadonlySet<StoredHouseholdEvent>;
    rejected?: Array<{ recordedAt: Instant; reason: string }>;
    /**
     * Also skip a night whose new inputs are statements that can change nothing that night (see
     * `statementsChangeNothing`); default on, with `incremental` only. Off: every night with an input runs.
     */
    skipQuietStatements?: boolean;
    /**
     * Compare each decision with the stored ones as it is recomputed: `decisions` then holds only those
     * that differ (the comparison has them all). Without, `decisions` holds every recomputed decision.
     */
    comparison?: DecisionComparison;
  } = {},
): { decisions: StoredHouseholdEvent[]; state: HouseholdState; nightsRun: number } {
  const evaluation = options.incremental?.forHousehold();
  const limit = instantMillis(asOf);
  const inputs = stored
    .filter((s) => !isStoredDecision(s))
    .map((s) => ({ s, at: instantMillis(s.recordedAt) }))
    .filter(({ at }) => at <= limit);
  // Each instant parsed once (five years of daily nights: sorting with a parsing comparator parsed ~40,000 times).
  const nights = runs
    .map((run) => ({ run, at: instantMillis(run.runAt) }))
    .filter((n) => n.at <= limit)
    .sort((a, b) => a.at - b.at);
  const state = initialHouseholdState();
  const decisions: StoredHouseholdEvent[] = [];
  let next = 0;
  let nightsRun = 0;
  let previous: { runDate: IsoDate; ctx: DecisionContext } | undefined;
  const skipStatements = evaluation !== undefined && options.skipQuietStatements !== false;
  // Since the last night: whether every input was a statement, and the statements that entered or left force.
  let onlyStatements = true;
  const changed: PolisIncomeStatement[] = [];
  const record = (s: StoredHouseholdEvent) => {
    const e = s.event;
    if (e.type === 'IncomeStatementRecorded') {
      if (!skipStatements) return evolve(state, e);
      const key = statementKey(e.data.statement);
      const before = state.statementsInForce.get(key);
      evolve(state, e);
      const after = state.statementsInForce.get(key);
      if (before !== after) {
        if (before) changed.push(before.statement);
        if (after) changed.push(after.statement);
      }
      return;
    }
    onlyStatements = false;
    if (!options.undecided?.has(s) || !isCaseEvent(s.event)) return evolve(state, s.event);
    // A what-if grant is held to the same rules as one that arrives (e.g. the run rules of art. 34a).
    const { recordedAt, ...event } = s.event.data as CaseEvent & { recordedAt: Instant };
    try {
      for (const e of decideCaseEvent(event as CaseEvent, recordedAt, state, ctx.params)) evolve(state, e);
    } catch (err) {
      if (!(err instanceof CommandRejected)) throw err;
      options.rejected?.push({ recordedAt: s.recordedAt, reason: err.reason });
    }
  };
  for (const { run, at } of nights) {
    const before = next;
    const relationships = state.firstStatementOfRelationship.size;
    onlyStatements = true;
    changed.length = 0;
    while (next < inputs.length && inputs[next]!.at <= at) record(inputs[next++]!.s);
    const rules = rulesOfRun?.(run) ?? { ctx, rulesVersion };
    // Nights run daily; most have nothing new to decide. Skipping them is what keeps a five-year replay fast.
    const quiet =
      evaluation &&
      previous &&
      previous.ctx === rules.ctx &&
      !dateCanChangeDecisions(previous.runDate, run.runDate, rules.ctx.policy) &&
      (next === before ||
        (skipStatements &&
          onlyStatements &&
          state.firstStatementOfRelationship.size === relationships &&
          statementsChangeNothing(changed, state, run.runDate, rules.ctx)));
    if (quiet) continue;
    nightsRun++;
    for (const e of decideNight(
      { type: 'RunNightly', runDate: run.runDate, runAt: run.runAt, rulesVersion: rules.rulesVersion },
      state,
      { ...rules.ctx, evaluation },
    )) {
      evolve(state, e);
      const decision = { event: e, recordedAt: run.runAt };
      if (!options.comparison?.offer(decision)) decisions.push(decision);
    }
    previous = { runDate: run.runDate, ctx: rules.ctx };
  }
  while (next < inputs.length) record(inputs[next++]!.s);
  return { decisions, state, nightsRun };
}

/**
 * Whether statements that entered or left force since the last night decided (and nothing else new:
 * no case event, no new income relationship) leave tonight's decisions as they were, on a night whose
 * date changes nothing either (`dateCanChangeDecisions`). The nightly run reads statements only
 * through the months they can land in (`targetMonths`, dates alone), the income-outside-case alert and
 * the projection of a payment. So it decides nothing new when: none of them lands in a month due
 * tonight (every month they land in is after the last eligible one, SPEC §6.1), none can fall outside
 * the case, no payment is pending, and the payment of the month is not due (it was proposed the night
 * before, or its payday has not come: unchanged, since the payday was not crossed). A weekly-paid
 * household's statement for the current month is the usual case: it waits for next month's settlement.
 */
function statementsChangeNothing(
  changed: readonly PolisIncomeStatement[],
  state: HouseholdState,
  runDate: IsoDate,
  ctx: DecisionContext,
): boolean {
  const K = casePeriod(state);
  if (!K || state.householdId === null || state.pendingPayments.size > 0) return false;
  const lastEligible = addMonths(monthOf(runDate), -(1 + policyFor(ctx.policy, runDate).settlementLagMonths));
  return changed.every((s) => !mayFallOutsideCase(s, K) && targetMonths(s, K).every((month) => month > lastEligible));
}

const isCaseEvent = (e: HouseholdEvent) => e.type !== 'IncomeStatementRecorded' && !isDecisionType(e.type);

export interface ReplayDifference {
  decision: string;
  month: string;
  field: string;
  stored: string;
  recomputed: string;
}

export interface ReplayComparison {
  identical: boolean;
  decisionsCompared: number;
  differences: ReplayDifference[];
  /** The rules version each stored decision was made under, with how many decisions. */
  storedRulesVersions: Record<string, number>;
  currentRulesVersion: string;
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value === undefined ? '' : String(value));
}

/** Deep equality of plain JSON values (what events are), stopping at the first difference. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** The same decision data, the rules version aside (reported, not compared). */
function sameDecisionData(a: object, b: object): boolean {
  return sameJson({ ...a, rulesVersion: undefined }, { ...b, rulesVersion: undefined });
}

/** A decision's rules version read from its stored JSON: a top-level field, before its explanation. */
function rulesVersionInText(text: string): string | undefined {
  const match = /"rulesVersion":"([^"\\]*)"/.exec(text);
  return match?.[1];
}

const monthOfDecision = (e: HouseholdEvent) => ('month' in e.data ? String(e.data.month) : '');

/**
 * Compares recomputed decisions with the stored ones as they are recomputed (`offer`), then reports
 * (`result`). A recomputed decision whose text is the stored one's is kept as no more than its key and
 * rules version, so that the replay holds only what differs: five years of explanations would
 * otherwise be held until the end and outlive several garbage collections. Gives exactly what
 * `compareDecisions` gives for the same decisions (that is this class, offered every decision at once).
 */
export class DecisionComparison {
  private readonly storedByKey: Map<string, StoredHouseholdEvent>;
  /** Per key, the last recomputed decision, or the stored rules version when it equals the stored one. */
  private readonly recomputedByKey = new Map<string, StoredHouseholdEvent | { matched: string | undefined }>();

  constructor(stored: readonly StoredHouseholdEvent[]) {
    this.storedByKey = new Map(
      stored.filter(isStoredDecision).map((s) => [s.stored?.eventId ?? decisionKey(s.event), s]),
    );
  }

  /** Takes a recomputed decision; true when it equals the stored one as written (the caller need not keep it). */
  offer(b: StoredHouseholdEvent): boolean {
    const key = decisionKey(b.event);
    const a = this.storedByKey.get(key);
    // The usual case, without parsing the stored decision: its text is the recomputed one's.
    if (a?.stored && a.recordedAt === b.recordedAt) {
      const storedVersion = rulesVersionInText(a.stored.dataText);
      const data = b.event.data as object;
      // The rules version is reported, not compared: the recomputed one is written as the stored one.
      const recomputedText = JSON.stringify(
        storedVersion !== undefined && 'rulesVersion' in data ? { ...data, rulesVersion: storedVersion } : data,
      );
      if (recomputedText === a.stored.dataText) {
        this.recomputedByKey.set(key, { matched: storedVersion });
        return true;
      }
    }
    this.recomputedByKey.set(key, b);
    return false;
  }

  result(currentRulesVersion: string): ReplayComparison {
    return compareKeyed(this.storedByKey, this.recomputedByKey, currentRulesVersion);
  }
}

/**
 * Compare the decisions stored up to T with the recomputed ones, field by field. The rules version is
 * not an outcome: it is reported, not compared; a difference elsewhere means the rules changed since T.
 */
export function compareDecisions(
  stored: readonly StoredHouseholdEvent[],
  recomputed: readonly StoredHouseholdEvent[],
  currentRulesVersion: string,
): ReplayComparison {
  const comparison = new DecisionComparison(stored);
  for (const s of recomputed) comparison.offer(s);
  return comparison.result(currentRulesVersion);
}

function compareKeyed(
  storedByKey: ReadonlyMap<string, StoredHouseholdEvent>,
  recomputedByKey: ReadonlyMap<string, StoredHouseholdEvent | { matched: string | undefined }>,
  currentRulesVersion: string,
): ReplayComparison {
  const keys = [...new Set([...storedByKey.keys(), ...recomputedByKey.keys()])].sort();
  const differences: ReplayDifference[] = [];
  const versions: Record<string, number> = {};
  for (const key of keys) {
    const a = storedByKey.get(key);
    const b = recomputedByKey.get(key);
    if (b && 'matched' in b) {
      if (b.matched !== undefined) versions[b.matched] = (versions[b.matched] ?? 0) + 1;
      continue;
    }
    const month = monthOfDecision((b ?? a)!.event);
    if (a && 'rulesVersion' in a.event.data)
      versions[String(a.event.data.rulesVersion)] = (versions[String(a.event.data.rulesVersion)] ?? 0) + 1;
    if (!a || !b) {
      differences.push({
        decision: key,
        month,
        field: '(decision)',
        stored: a ? 'present' : 'absent',
        recomputed: b ? 'present' : 'absent',
      });
      continue;
    }
    // Equal as written (the usual case): no need to walk every field of the explanation.
    if (a.recordedAt === b.recordedAt && sameDecisionData(a.event.data, b.event.data)) continue;
    const fa = new Map<string, string>();
    const fb = new Map<string, string>();
    flatten({ ...a.event.data, rulesVersion: undefined, recordedAt: a.recordedAt }, '', fa);
    flatten({ ...b.event.data, rulesVersion: undefined, recordedAt: b.recordedAt }, '', fb);
    let explanationDiffers = 0;
    for (const field of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
      if (field === 'rulesVersion' || fa.get(field) === fb.get(field)) continue;
      // The explanation follows the amounts; one line says it differs, the amounts say how.
      if (field.startsWith('explanation.')) explanationDiffers++;
      else
        differences.push({
          decision: key,
          month,
          field,
          stored: fa.get(field) ?? '(none)',
          recomputed: fb.get(field) ?? '(none)',
        });
    }
    if (explanationDiffers > 0)
      differences.push({
        decision: key,
        month,
        field: 'explanation',
        stored: `differs in ${explanationDiffers} places`,
        recomputed: '(see the month explanation)',
      });
  }
  return {
    identical: differences.length === 0,
    decisionsCompared: keys.length,
    differences,
    storedRulesVersions: versions,
    currentRulesVersion,
  };
}

/** The state the stored events up to T give (what was actually decided). */
export function stateAsOf(stored: readonly StoredHouseholdEvent[], asOf: Instant): HouseholdState {
  const limit = instantMillis(asOf);
  const state = initialHouseholdState();
  for (const s of stored) if (instantMillis(s.recordedAt) <= limit) evolve(state, s.event);
  return state;
}

export interface WhatIfMonth {
  month: string;
  decided: Record<string, string>;
  whatIf: Record<string, string>;
  /** (A' − A) + (R' − R): positive is owed to the resident, negative is owed by the resident. */
  netOwed: string;
  /** Whether the month was settled, and paid, either way: a month not settled has no A or R to compare. */
  settled: { decided: boolean; whatIf: boolean };
  paid: { decided: boolean; whatIf: boolean };
}

export interface WhatIfReport {
  months: WhatIfMonth[];
  netOwedTotal: string;
  ledgerBalance: { decided: string; whatIf: string };
  bufferDrawn: { decided: string; whatIf: string };
  /** What-if inputs the case-event rules rejected, with the reason; absent when none was. */
  rejectedInputs?: Array<{ recordedAt: Instant; reason: string }>;
}

const MONTH_FIELDS = Object.freeze([
  'measureReduction',
  'income',
  'disregard',
  'partnerIncomeCounted',
  'countableIncome',
  'assistance',
  'holidayReserve',
] as const);
const PAYMENT_FIELDS = Object.freeze(['advance', 'holidayPayout', 'offset', 'bufferDraw', 'amount'] as const);

function monthView(state: HouseholdState, month: string): Record<string, string> {
  const m = state.months.get(month);
  const p = state.payments.get(month);
  const out: Record<string, string> = {};
  for (const f of MONTH_FIELDS) out[f] = m ? m.values[f] : '0.00';
  for (const f of PAYMENT_FIELDS) out[`payment.${f}`] = p ? p[f] : '0.00';
  // Art. 45(4): who received it.
  out['payment.toApplicant'] = p?.payees.applicant ?? '0.00';
  out['payment.toPartner'] = p?.payees.partner ?? '0.00';
  return out;
}

function totalBuffer(state: HouseholdState): Money {
  let t: Money = ZERO;
  for (const v of state.bufferDrawnPerYear.values()) t = money(t.plus(v));
  return t;
}

/** Decided vs what-if, month by month, and the net amount owed either way (SPEC §10). */
export function compareOutcomes(decided: HouseholdState, whatIf: HouseholdState): WhatIfReport {
  const months = [
    ...new Set([
      ...decided.months.keys(),
      ...whatIf.months.keys(),
      ...decided.payments.keys(),
      ...whatIf.payments.keys(),
    ]),
  ].sort();
  let total: Money = ZERO;
  const rows: WhatIfMonth[] = months.map((month) => {
    const a = monthView(decided, month);
    const b = monthView(whatIf, month);
    const owed = money(
      money(b.assistance!).minus(a.assistance!).plus(money(b.holidayReserve!).minus(a.holidayReserve!)),
    );
    total = money(total.plus(owed));
    const settled = { decided: decided.months.has(month), whatIf: whatIf.months.has(month) };
    const paid = { decided: decided.payments.has(month), whatIf: whatIf.payments.has(month) };
    return { month, decided: a, whatIf: b, netOwed: fmt(owed), settled, paid };
  });
  return {
    months: rows,
    netOwedTotal: fmt(total),
    ledgerBalance: { decided: fmt(decided.ledgerBalance), whatIf: fmt(whatIf.ledgerBalance) },
    bufferDrawn: { decided: fmt(totalBuffer(decided)), whatIf: fmt(totalBuffer(whatIf)) },
  };
}
