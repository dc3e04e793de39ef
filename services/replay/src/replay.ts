import {
  caseEventSchema,
  compareDecisions,
  compareOutcomes,
  DecisionComparison,
  isDecisionType,
  isStoredDecision,
  polisIncomeStatementSchema,
  recomputeDecisions,
  stateAsOf,
  statementKey,
  statementVersionVerdict,
  instant,
  validate,
  type DecisionContext,
  type IncrementalLayer,
  type HouseholdEvent,
  type ReplayComparison,
  type RulesOfRun,
  type RunInstant,
  type StoredHouseholdEvent,
  type WhatIfReport,
} from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import {
  loadRulesVersions,
  type RulesByVersion,
  NIGHTLY_RUNS_STREAM,
  SCHEMA_VERSIONS,
  householdStream,
  incrementalLayer,
  isHouseholdEventType,
  rulesVersionOf,
  toHouseholdEvent,
} from '@bijstand/platform';

/** The parameter tables and policy of each rules version the nights ran under (as recorded then). */

/**
 * The household's events as stored. Inputs are parsed now; a decision only when something reads it
 * (replay compares most decisions as text, and they are most of the stream's bytes).
 */
export async function loadStoredHousehold(
  store: EventStore,
  householdId: string,
): Promise<{
  stored: StoredHouseholdEvent[];
  runs: RunInstant[];
  rulesByVersion: RulesByVersion;
  municipality: string | null;
}> {
  const recorded = await store.readStreamText(householdStream(householdId));
  const stored = recorded.map((r): StoredHouseholdEvent => {
    const parse = () => toHouseholdEvent({ ...r, data: JSON.parse(r.dataText) });
    // None skipped: an unknown type or a newer schema version is read now, to fail with UnknownEventError.
    const readable =
      isHouseholdEventType(r.type) && r.schemaVersion <= SCHEMA_VERSIONS[r.type as keyof typeof SCHEMA_VERSIONS];
    if (!readable || !isDecisionType(r.type)) return { event: parse(), recordedAt: r.recordedAt };
    let event: HouseholdEvent | undefined;
    return {
      recordedAt: r.recordedAt,
      stored: { type: r.type, eventId: r.eventId, dataText: r.dataText },
      get event() {
        return (event ??= parse());
      },
    };
  });
  const municipality = municipalityOfStored(stored);
  return {
    stored,
    runs: runsOfMunicipality(await loadRuns(store), municipality),
    rulesByVersion: await loadRulesVersions(store),
    municipality,
  };
}

/** The municipality the household's (last) CaseOpened names, or null (the deployment's default). */
export function municipalityOfStored(stored: readonly StoredHouseholdEvent[]): string | null {
  let municipality: string | null = null;
  for (const s of stored)
    if (!isStoredDecision(s) && s.event.type === 'CaseOpened') municipality = s.event.data.municipality ?? null;
  return municipality;
}

/** A night as recorded: with several municipalities, the rules version of each and the default then. */
interface RecordedRun extends RunInstant {
  defaultMunicipality?: string;
  rulesVersions?: Record<string, string>;
  /** Municipalities (CBS codes, or `default`) the night left alone: their new rules waited for acceptance. */
  held?: string[];
}

/**
 * The nights as one household's municipality ran them: a night of several municipalities recorded
 * each one's rules version, and the household's is the one it was settled under (its own code, or the
 * default of that night when it names none). A night of one municipality has one rules version for all.
 */
export function runsOfMunicipality(runs: readonly RunInstant[], municipality: string | null): RunInstant[] {
  return runs.flatMap((run) => {
    const r = run as RecordedRun;
    // A night that held the household's municipality back (rules not yet accepted) did not settle it.
    if (r.held?.includes(r.rulesVersions ? (municipality ?? r.defaultMunicipality ?? '') : 'default')) return [];
    if (!r.rulesVersions) return [run];
    const code = municipality ?? r.defaultMunicipality;
    const rulesVersion = code ? r.rulesVersions[code] : undefined;
    return [{ runDate: r.runDate, runAt: r.runAt, ...(rulesVersion ? { rulesVersion } : {}) }];
  });
}

/**
 * The recorded nights (one a day: 1,826 in five years), read once per process and then only the ones
 * recorded since: the stream is append-only, and every replay needs all of them.
 */
const knownRuns = new WeakMap<EventStore, { revision: number; runs: RunInstant[] }>();
async function loadRuns(store: EventStore): Promise<RunInstant[]> {
  const known = knownRuns.get(store) ?? { revision: -1, runs: [] };
  for (const r of await store.readStream(NIGHTLY_RUNS_STREAM, { fromRevision: known.revision + 1 })) {
    known.runs.push(r.data as RunInstant);
    known.revision = r.streamRevision;
  }
  knownRuns.set(store, known);
  return known.runs;
}

/** Today's engine with the tables of then: the version a recomputed decision is made under. */
const recomputedVersions = new WeakMap<DecisionContext, string>();
function recomputedVersionOf(ctx: DecisionContext): string {
  let version = recomputedVersions.get(ctx);
  if (version === undefined) recomputedVersions.set(ctx, (version = rulesVersionOf(ctx.params, ctx.policy)));
  return version;
}

/**
 * Which rules a replay re-runs the nights under: 'then' (default) the tables and policy each night
 * ran under, as recorded, with today's engine; 'now' today's tables and policy for every night.
 */
export interface ReplayRules {
  mode: 'then' | 'now';
  byVersion: RulesByVersion;
}

function rulesOfRun(rules: ReplayRules | undefined): RulesOfRun | undefined {
  if (!rules || rules.mode === 'now') return undefined;
  return (run) => {
    const ctx = run.rulesVersion ? rules.byVersion.get(run.rulesVersion) : undefined;
    return ctx ? { ctx, rulesVersion: recomputedVersionOf(ctx) } : undefined;
  };
}

/**
 * REPLAY_SHORTCUTS=off turns replay's own shortcuts off (nights whose new statements change nothing
 * are re-run, and every recomputed decision is kept until all are compared; for diagnosis and the
 * differential tests). Default on. Anything else is refused.
 * SETTLEMENT_INCREMENTAL=off turns them off too (they skip nights through the incremental layer).
 */
export function replayShortcutsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.REPLAY_SHORTCUTS ?? 'on';
  if (value !== 'on' && value !== 'off') throw new Error(`REPLAY_SHORTCUTS: must be "on" or "off", not "${value}"`);
  return value === 'on';
}

/**
 * `cli replay H --as-of T`: recompute the decisions from the events recorded up to T and compare. A
 * night whose rules version was not recorded runs under `ctx` (today's rules).
 */
export function replayAsOf(
  stored: StoredHouseholdEvent[],
  runs: RunInstant[],
  asOf: string,
  ctx: DecisionContext,
  rules?: ReplayRules,
  incremental: IncrementalLayer | undefined = incrementalLayer(),
  shortcuts: boolean = replayShortcutsEnabled(),
): ReplayComparison {
  const rulesVersion = recomputedVersionOf(ctx);
  const limit = Date.parse(asOf);
  const storedDecisions = stored.filter((s) => isStoredDecision(s) && Date.parse(s.recordedAt) <= limit);
  // With the shortcuts, each decision is compared as it is recomputed and not kept when it is the stored one.
  const comparison = shortcuts ? new DecisionComparison(storedDecisions) : undefined;
  const { decisions } = recomputeDecisions(stored, runs, asOf, ctx, rulesVersion, rulesOfRun(rules), {
    incremental,
    skipQuietStatements: shortcuts,
    comparison,
  });
  return comparison?.result(rulesVersion) ?? compareDecisions(storedDecisions, decisions, rulesVersion);
}

/** A what-if line that was not taken, with the field, rule and article; the other lines still run. */
export interface RejectedWhatIfLine {
  line: number;
  reason: string;
}

/**
 * What-if inputs: NDJSON lines {recordedAt?, statement} or {recordedAt?, case}. A line without
 * recordedAt counts from when the statement it corrects was recorded (as if it had been right from
 * the start), or else from the household's first event. With `rejected`, a line that fails is recorded
 * there and the rest is read (SPEC §11: a rejected input never stops the run); without, it throws.
 */
export function parseWhatIfInputs(
  text: string,
  stored: StoredHouseholdEvent[],
  rejected?: RejectedWhatIfLine[],
): StoredHouseholdEvent[] {
  const recordedAtOfKey = new Map<string, string>();
  for (const s of stored)
    if (
      !isStoredDecision(s) &&
      s.event.type === 'IncomeStatementRecorded' &&
      !recordedAtOfKey.has(statementKey(s.event.data.statement))
    )
      recordedAtOfKey.set(statementKey(s.event.data.statement), s.recordedAt);
  const first = stored[0]?.recordedAt ?? '1970-01-01T00:00:00Z';
  const members = new Set(
    stored.flatMap((s) =>
      !isStoredDecision(s) && s.event.type === 'CaseOpened' ? s.event.data.members.map((m) => m.bsn) : [],
    ),
  );
  const out: StoredHouseholdEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const input = whatIfLine(line, { recordedAtOfKey, first, members, history: [...stored, ...out] });
    if (typeof input !== 'string') out.push(input);
    else if (rejected) rejected.push({ line: i + 1, reason: input });
    else throw new Error(`what-if line ${i + 1}: ${input}`);
  });
  return out;
}

/** One what-if line as a stored input, or the reason it is rejected. */
function whatIfLine(
  line: string,
  known: { recordedAtOfKey: Map<string, string>; first: string; members: Set<string>; history: StoredHouseholdEvent[] },
): StoredHouseholdEvent | string {
  let raw: { recordedAt?: unknown; statement?: unknown; case?: unknown };
  try {
    raw = JSON.parse(line);
  } catch {
    return 'is not valid JSON';
  }
  if (!raw || typeof raw !== 'object') return 'must be a JSON object';
  let recordedAt: string | undefined;
  if (raw.recordedAt !== undefined) {
    const v = validate(instant, raw.recordedAt);
    if (!v.ok) return `recordedAt: ${v.reason.replace(/^\(message\): /, '')}`;
    recordedAt = v.value;
  }
  if (raw.statement !== undefined) {
    const v = validate(polisIncomeStatementSchema, raw.statement);
    if (!v.ok) return `statement.${v.reason}`;
    if (!known.members.has(v.value.bsn)) return 'statement.bsn: is not a member of this household';
    const at = recordedAt ?? known.recordedAtOfKey.get(statementKey(v.value)) ?? known.first;
    // SPEC §1.1 as ingest applies it: an initial after a correction or withdrawal of its key is superseded.
    const verdict = statementVersionVerdict(stateAsOf(known.history, at), v.value);
    if (verdict.kind === 'superseded') return `statement.${verdict.reason}`;
    const data = { statement: v.value, recordedAt: at, channel: 'inline' as const };
    return { event: { type: 'IncomeStatementRecorded', data }, recordedAt: at };
  }
  if (raw.case !== undefined) {
    const v = validate(caseEventSchema, raw.case);
    if (!v.ok) return `case.${v.reason}`;
    const at = recordedAt ?? known.first;
    const event = { type: v.value.type, data: { ...v.value, recordedAt: at } } as StoredHouseholdEvent['event'];
    return { event, recordedAt: at };
  }
  return 'must hold a statement or a case event';
}

/** Decided vs what-if: the stored inputs plus the what-if ones, re-run over the same nights. */
export function whatIf(
  stored: StoredHouseholdEvent[],
  runs: RunInstant[],
  asOf: string,
  extra: StoredHouseholdEvent[],
  ctx: DecisionContext,
  rules?: ReplayRules,
  incremental: IncrementalLayer | undefined = incrementalLayer(),
  shortcuts: boolean = replayShortcutsEnabled(),
): WhatIfReport {
  const inputs = stored.filter((s) => !isStoredDecision(s));
  // Stable merge by recordedAt: at equal instants the what-if input comes after the stored one, so it replaces it.
  const merged = [...inputs.map((s, i) => ({ s, i, extra: 0 })), ...extra.map((s, i) => ({ s, i, extra: 1 }))]
    .sort((a, b) => Date.parse(a.s.recordedAt) - Date.parse(b.s.recordedAt) || a.extra - b.extra || a.i - b.i)
    .map((x) => x.s);
  const rulesVersion = rulesVersionOf(ctx.params, ctx.policy);
  const rejected: Array<{ recordedAt: string; reason: string }> = [];
  const options = { incremental, undecided: new Set(extra), rejected, skipQuietStatements: shortcuts };
  const alternative = recomputeDecisions(merged, runs, asOf, ctx, rulesVersion, rulesOfRun(rules), options).state;
  const report = compareOutcomes(stateAsOf(stored, asOf), alternative);
  return rejected.length > 0 ? { ...report, rejectedInputs: rejected } : report;
}
