import type { EventStore } from '@bijstand/event-store';
import type { ReplayComparison } from '@bijstand/domain';
import {
  caseReference,
  objectionReport,
  replayCheck,
  type Document,
  type ObjectionReportOptions,
} from '@bijstand/documents';
import { loadCaseFile } from './caseFile.js';

/**
 * `replay --report FILE`: the objection file (bezwaardossier) of a household with a case, as of `asOf`,
 * with the replay's check of the stored decisions (and the what-if, when one was run). Its reference is the
 * case reference of the household's municipality (CBS code), or the household id where the deployment has none.
 */
export async function objectionReportOf(
  store: EventStore,
  householdId: string,
  asOf: string,
  options: Omit<ObjectionReportOptions, 'check' | 'reference'> & {
    comparison: ReplayComparison;
    municipalityCode?: string | null;
  },
): Promise<Document> {
  const file = (await loadCaseFile(store, householdId, asOf))!;
  const { comparison, municipalityCode, ...rest } = options;
  const reference = municipalityCode ? caseReference(municipalityCode, householdId) : householdId;
  return objectionReport(file, { ...rest, reference, check: replayCheck(comparison) });
}
