import type { EventStore } from '@bijstand/event-store';
import type { ReplayComparison } from '@bijstand/domain';
import { objectionReport, replayCheck, type Document, type ObjectionReportOptions } from '@bijstand/documents';
import { loadCaseFile } from './caseFile.js';

/**
 * `replay --report FILE`: the objection file (bezwaardossier) of a household with a case, as of `asOf`,
 * with the replay's check of the stored decisions (and the what-if, when one was run).
 */
export async function objectionReportOf(
  store: EventStore,
  householdId: string,
  asOf: string,
  options: Omit<ObjectionReportOptions, 'check'> & { comparison: ReplayComparison },
): Promise<Document> {
  const file = (await loadCaseFile(store, householdId, asOf))!;
  const { comparison, ...rest } = options;
  return objectionReport(file, { ...rest, check: replayCheck(comparison) });
}
