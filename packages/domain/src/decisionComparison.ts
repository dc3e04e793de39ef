import { decisionKey } from './decisions.js';
import type { HouseholdEvent } from './events.js';
import { isStoredDecision, type StoredHouseholdEvent } from './storedEvent.js';

/**
 * A replay's stored decisions against the recomputed ones, field by field: what an objection handler reads as
 * "identical" or as the list of differences (the rules version each was made under reported, not compared).
 */

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
