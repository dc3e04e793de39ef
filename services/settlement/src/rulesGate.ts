import { defaultParameters, defaultPolicy, type DecisionContext, type Instant, type IsoDate } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import {
  canonicalJson,
  NIGHTLY_RUNS_STREAM,
  RULES_ACCEPTANCES_STREAM,
  RULES_VERSIONS_STREAM,
  rulesVersionOf,
} from '@bijstand/platform';

/**
 * A rules change is a decision (issue #21): a night whose rules version differs from the one the last
 * night ran under for a municipality writes nothing for it until someone accepts that version. The key
 * of a municipality here is its CBS code, or `default` in a deployment of one municipality.
 */
export const SINGLE_MUNICIPALITY_KEY = 'default';

/** A night as `recordRun` stores it in `nightly-runs`. */
export interface RecordedNight {
  runDate: IsoDate;
  runAt: Instant;
  rulesVersion: string;
  defaultMunicipality?: string;
  rulesVersions?: Record<string, string>;
  /** Municipalities this night did not settle: their new rules were waiting for acceptance. */
  held?: string[];
}

/** `./cli rules accept VERSION --by NAME --reason …`, as stored. */
export interface RulesAcceptance {
  rulesVersion: string;
  acceptedBy: string;
  reason: string;
  acceptedAt: Instant;
  /** The municipalities that run under it, each with the version it replaces (null: none recorded). */
  municipalities: Record<string, string | null>;
  changes: string[];
}

/** One municipality whose rules differ from those of its last night. */
export interface RulesChange {
  municipality: string;
  name: string;
  previous: string;
  current: string;
  /** What differs: table rows, policy values, the engine version. */
  changes: string[];
  accepted: RulesAcceptance | null;
}

/** A night refused before its first append: the changes nobody accepted yet. */
export class RulesChangeNotAcceptedError extends Error {
  constructor(readonly changes: RulesChange[]) {
    super(
      `the rules changed and are not accepted: ${changes
        .map((c) => `${c.municipality} ${c.previous} → ${c.current}`)
        .join('; ')}; nothing was written (accept with ./cli rules accept VERSION --by NAME --reason …)`,
    );
    this.name = 'RulesChangeNotAcceptedError';
  }
}

export const recordedNightOf = (e: RecordedEvent): RecordedNight => e.data as RecordedNight;

export async function readNights(store: EventStore): Promise<RecordedNight[]> {
  return (await store.readStream(NIGHTLY_RUNS_STREAM)).map(recordedNightOf);
}

/**
 * The rules version the municipality's households were last settled under: the newest night that
 * settled it (a night of one municipality settled every household under its one version; a night of
 * several, each under its own, a held one under none). Undefined: never settled.
 */
export function lastRulesVersion(nights: readonly RecordedNight[], key: string, multi: boolean): string | undefined {
  for (let i = nights.length - 1; i >= 0; i--) {
    const night = nights[i]!;
    if (!night.rulesVersions) {
      if (night.held?.length) continue;
      return night.rulesVersion;
    }
    const code = multi ? key : night.defaultMunicipality;
    if (code === undefined || night.held?.includes(code)) continue;
    const version = night.rulesVersions[code];
    if (version) return version;
  }
  return undefined;
}

export async function loadAcceptances(store: EventStore): Promise<Map<string, RulesAcceptance>> {
  const accepted = new Map<string, RulesAcceptance>();
  for (const e of await store.readStream(RULES_ACCEPTANCES_STREAM))
    if (e.type === 'RulesVersionAccepted')
      accepted.set((e.data as RulesAcceptance).rulesVersion, e.data as RulesAcceptance);
  return accepted;
}

const engineOf = (version: string) => /^engine-([^+]+)\+/.exec(version)?.[1] ?? version;
const contentOf = (version: string) => /\+rules-(.+)$/.exec(version)?.[1] ?? version;

/** The values of a row that decide money (its source and legal basis only document it). */
function rowValues(row: Record<string, unknown>): Record<string, unknown> {
  const { validFrom: _v, source: _s, legalBasis: _l, ...values } = row;
  return values;
}

const show = (v: unknown) => (typeof v === 'string' ? v : canonicalJson(v));
const fieldsText = (values: Record<string, unknown>) =>
  Object.keys(values)
    .sort()
    .map((k) => `${k} ${show(values[k])}`)
    .join(', ');

/** Field by field, the values that differ between two rows of the same validFrom. */
function rowDifference(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const a = rowValues(before);
  const b = rowValues(after);
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changed = fields
    .filter((f) => canonicalJson(a[f] ?? null) !== canonicalJson(b[f] ?? null))
    .map((f) => `${f} ${a[f] === undefined ? '—' : show(a[f])} → ${b[f] === undefined ? '—' : show(b[f])}`);
  return changed.length > 0 ? changed.join(', ') : 'source or legal basis only';
}

/**
 * What changed between two rules versions, one line per table row added, removed or changed (by its
 * validFrom), per policy value, and the engine version. Without the previous tables (not recorded)
 * that is said instead.
 */
export function rulesDifferences(
  previous: string,
  before: Pick<DecisionContext, 'params' | 'policy'> | undefined,
  current: string,
  after: Pick<DecisionContext, 'params' | 'policy'>,
): string[] {
  const lines: string[] = [];
  if (engineOf(previous) !== engineOf(current)) lines.push(`engine ${engineOf(previous)} → ${engineOf(current)}`);
  if (contentOf(previous) === contentOf(current)) return lines;
  if (!before) return [...lines, `the tables and policy of ${previous} are not recorded in this store`];
  const tablesBefore = before.params as unknown as Record<string, Array<Record<string, unknown>>>;
  const tablesAfter = after.params as unknown as Record<string, Array<Record<string, unknown>>>;
  for (const table of [...new Set([...Object.keys(tablesBefore), ...Object.keys(tablesAfter)])].sort())
    lines.push(...rowDifferences(`parameters.${table}`, tablesBefore[table], tablesAfter[table]));
  const policyBefore = before.policy as Record<string, unknown>;
  const policyAfter = after.policy as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(policyBefore), ...Object.keys(policyAfter)])].sort()) {
    if (key === 'changes') continue;
    if (canonicalJson(policyBefore[key] ?? null) !== canonicalJson(policyAfter[key] ?? null))
      lines.push(`policy.${key}: ${show(policyBefore[key] ?? '—')} → ${show(policyAfter[key] ?? '—')}${UNDATED}`);
  }
  // Dated policy changes read like table rows, by validFrom.
  lines.push(
    ...rowDifferences(
      'policy.changes',
      policyBefore.changes as Array<Record<string, unknown>> | undefined,
      policyAfter.changes as Array<Record<string, unknown>> | undefined,
    ),
  );
  return lines;
}

const UNDATED =
  ' (undated: every month settled again gets it; a change from a month on goes under policy.changes with its validFrom)';

/** The rows added, removed or changed between two versions of a dated table, by validFrom. */
function rowDifferences(
  name: string,
  before: ReadonlyArray<Record<string, unknown>> = [],
  after: ReadonlyArray<Record<string, unknown>> = [],
): string[] {
  const lines: string[] = [];
  const rowsBefore = new Map(before.map((r) => [String(r.validFrom), r]));
  const rowsAfter = new Map(after.map((r) => [String(r.validFrom), r]));
  for (const from of [...new Set([...rowsBefore.keys(), ...rowsAfter.keys()])].sort()) {
    const a = rowsBefore.get(from);
    const b = rowsAfter.get(from);
    if (a && b && canonicalJson(a) === canonicalJson(b)) continue;
    const at = `${name} from ${from}`;
    if (!a) lines.push(`${at}: added (${fieldsText(rowValues(b!))})`);
    else if (!b) lines.push(`${at}: removed`);
    else lines.push(`${at}: ${rowDifference(a, b)}`);
  }
  return lines;
}

/** The national tables and default policy's content hash: what a store without a configuration runs under. */
export const NATIONAL_DEFAULTS_RULES = contentOf(rulesVersionOf(defaultParameters, defaultPolicy));

/**
 * True when a night of this store ran under a municipality's configuration (tables or policy other than
 * the national defaults): a process without MUNICIPALITY_CONFIG would then settle under other rules.
 */
export async function storeHadConfiguration(store: EventStore): Promise<string | undefined> {
  for (const e of await store.readStream(RULES_VERSIONS_STREAM)) {
    const version = (e.data as { rulesVersion: string }).rulesVersion;
    if (contentOf(version) !== NATIONAL_DEFAULTS_RULES) return version;
  }
  return undefined;
}
