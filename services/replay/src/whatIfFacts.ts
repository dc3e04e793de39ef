import { isStoredDecision, statementKey, type StoredHouseholdEvent } from '@bijstand/domain';
import type { WhatIfFact } from '@bijstand/documents';
import type { RejectedWhatIfLine } from './replay.js';

/**
 * The facts a what-if added, each with its line in the input and, for a statement, the statements of the same
 * key (member, income relationship, period) recorded after it up to `asOf`: those replace it from then on
 * (SPEC §1.1), which is why a line without `recordedAt` that a later correction supersedes changes nothing.
 * `extra` is parseWhatIfInputs' result for `text`, in order; `rejected` its rejected lines.
 */
export function whatIfFactsOf(
  text: string,
  extra: readonly StoredHouseholdEvent[],
  stored: readonly StoredHouseholdEvent[],
  asOf: string,
  rejected: readonly RejectedWhatIfLine[],
): WhatIfFact[] {
  const rejectedLines = new Set(rejected.map((r) => r.line));
  const lines = text
    .split('\n')
    .map((l, i) => ({ l, n: i + 1 }))
    .filter(({ l, n }) => l.trim() !== '' && !rejectedLines.has(n))
    .map(({ n }) => n);
  const roleOf = new Map<string, 'applicant' | 'partner'>();
  for (const s of stored)
    if (!isStoredDecision(s) && s.event.type === 'CaseOpened')
      for (const m of s.event.data.members) roleOf.set(m.bsn, m.role);
  const limit = Date.parse(asOf);
  return extra.map((x, i): WhatIfFact => {
    const fact: WhatIfFact = { line: lines[i] ?? i + 1, recordedAt: x.recordedAt };
    const e = x.event;
    if (e.type !== 'IncomeStatementRecorded') {
      const d = e.data as {
        effectiveDate?: string;
        startDate?: string;
        endDate?: string;
        from?: string;
        receivedOn?: string;
      };
      const date = d.effectiveDate ?? d.startDate ?? d.endDate ?? d.from ?? d.receivedOn;
      return { ...fact, case: { type: e.type, ...(date ? { date } : {}) } };
    }
    const st = e.data.statement;
    const key = statementKey(st);
    const overriddenBy = stored.flatMap((s) =>
      !isStoredDecision(s) &&
      s.event.type === 'IncomeStatementRecorded' &&
      statementKey(s.event.data.statement) === key &&
      Date.parse(s.recordedAt) > Date.parse(x.recordedAt) &&
      Date.parse(s.recordedAt) <= limit
        ? [
            {
              messageId: s.event.data.statement.messageId,
              kind: s.event.data.statement.kind,
              recordedAt: s.recordedAt,
            },
          ]
        : [],
    );
    return {
      ...fact,
      statement: {
        messageId: st.messageId,
        kind: st.kind,
        employer: st.employer.name ?? `loonheffingennummer ${st.employer.payrollTaxNumber}`,
        role: roleOf.get(st.bsn) ?? 'unknown',
        periodStart: st.period.start,
        periodEnd: st.period.end,
        taxableWage: st.taxableWage,
      },
      ...(overriddenBy.length > 0 ? { overriddenBy } : {}),
    };
  });
}

/** The notice a handler reads on the terminal when a what-if statement is overridden by a later recorded one. */
export function overriddenNotice(f: WhatIfFact): string | null {
  if (!f.overriddenBy?.length || !f.statement) return null;
  const by = f.overriddenBy.map((o) => `${o.messageId} (${o.kind}, recorded ${o.recordedAt})`).join(', ');
  return (
    `what-if line ${f.line}: ${f.statement.messageId} counts from ${f.recordedAt} only until ${by} replaced it ` +
    '(SPEC §1.1); give "recordedAt" after that instant to let it stand'
  );
}
