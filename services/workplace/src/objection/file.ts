import type { EventStore } from '@bijstand/event-store';
import { loadMunicipalities, type Municipalities } from '@bijstand/platform';
import type { Document, WhatIfFact } from '@bijstand/documents';
import {
  loadStoredHousehold,
  objectionReportOf,
  replayAsOf,
  whatIfOfText,
  type RejectedWhatIfLine,
} from '@bijstand/replay';
import { loadAcceptances } from '@bijstand/settlement';

/** The objection file as `replay --as-of T [--with FILE] --report` writes it, built for a page: nothing is stored. */
export interface ObjectionFile {
  doc: Document;
  /** What-if lines not taken (field, rule, article); the file's what-if section names the facts that were. */
  rejected: readonly RejectedWhatIfLine[];
  facts: readonly WhatIfFact[];
}

export interface ObjectionFileRequest {
  householdId: string;
  /** The UTC instant the file stands at (the end of the picked day in Europe/Amsterdam). */
  asOf: string;
  /** The what-if's NDJSON (as `replay --with`), when one was given. */
  whatIf?: string;
  issuedOn: string;
  /** The municipality name the file is issued by (the household's own in a deployment of several). */
  municipality: string;
}

/**
 * Reads the household and the nights from the store and re-runs them in memory under the rules each night ran
 * under (`--rules then`); a what-if's facts are merged in memory only. The store is only read.
 */
export async function objectionFileOf(
  store: EventStore,
  municipalities: Municipalities | undefined,
  r: ObjectionFileRequest,
): Promise<ObjectionFile> {
  const { stored, runs, rulesByVersion, municipality: code } = await loadStoredHousehold(store, r.householdId);
  const own = (municipalities ?? loadMunicipalities(undefined)).resolve(code);
  const rules = { mode: 'then' as const, byVersion: rulesByVersion };
  const comparison = replayAsOf(stored, runs, r.asOf, own.ctx, rules);
  const run =
    r.whatIf === undefined
      ? undefined
      : whatIfOfText(r.whatIf, { stored, runs }, r.asOf, own.ctx, rules, () => undefined);
  const doc = await objectionReportOf(store, r.householdId, r.asOf, {
    municipality: r.municipality,
    issuedOn: r.issuedOn,
    comparison,
    municipalityCode: own.code ?? own.letters?.municipalityCode ?? null,
    rulesAcceptances: Object.fromEntries(await loadAcceptances(store)),
    ...(run ? { whatIf: run.report, whatIfFacts: run.facts } : {}),
  });
  return { doc, rejected: run?.rejectedLines ?? [], facts: run?.facts ?? [] };
}
