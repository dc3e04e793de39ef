import type { DecisionContext, RunInstant, StoredHouseholdEvent, WhatIfReport } from '@bijstand/domain';
import type { WhatIfFact } from '@bijstand/documents';
import { parseWhatIfInputs, whatIf, type RejectedWhatIfLine, type ReplayRules } from './replay.js';
import { overriddenNotice, whatIfFactsOf } from './whatIfFacts.js';

/**
 * `replay --with FILE`: the what-if of the corrected facts in `text` (NDJSON). A rejected line is reported
 * and the rest runs (SPEC §11), as for every other input path: each rejected line, then each rejected
 * input, goes to `onRejected` as it is found, and so does each statement a later recorded one overrides (its
 * notice). `facts` are the lines that were taken, for the objection file.
 */
export function whatIfOfText(
  text: string,
  household: { stored: StoredHouseholdEvent[]; runs: RunInstant[] },
  asOf: string,
  ctx: DecisionContext,
  rules: ReplayRules,
  onRejected: (line: string) => void,
): { report: WhatIfReport; rejectedLines: RejectedWhatIfLine[]; facts: WhatIfFact[] } {
  const rejectedLines: RejectedWhatIfLine[] = [];
  const extra = parseWhatIfInputs(text, household.stored, rejectedLines);
  for (const r of rejectedLines) onRejected(`rejected what-if line ${r.line}: ${r.reason}`);
  const facts = whatIfFactsOf(text, extra, household.stored, asOf, rejectedLines);
  for (const f of facts) {
    const notice = overriddenNotice(f);
    if (notice) onRejected(notice);
  }
  const report = whatIf(household.stored, household.runs, asOf, extra, ctx, rules);
  for (const r of report.rejectedInputs ?? [])
    onRejected(`rejected what-if input recorded at ${r.recordedAt}: ${r.reason}`);
  return { report, rejectedLines, facts };
}
