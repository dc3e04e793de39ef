import { ENGINE_VERSION, type ReplayComparison, type WhatIfReport } from '@bijstand/domain';
import { table } from '@bijstand/terminal/table';

/** `replay`: identical (one line), or the differences as a table, with the rules they were made under. */
export function replayComparisonText(comparison: ReplayComparison, mode: 'then' | 'now'): string {
  const stored = Object.keys(comparison.storedRulesVersions).join(', ');
  if (comparison.identical) {
    const compared = `${comparison.decisionsCompared} decisions; rules versions ${stored}`;
    return `identical (${compared}; recomputed under the rules of ${mode})\n`;
  }
  const under = mode === 'now' ? comparison.currentRulesVersion : `the rules of then with engine ${ENGINE_VERSION}`;
  const rows = comparison.differences.map((d) => [d.decision, d.month, d.field, d.stored, d.recomputed]);
  return (
    `${comparison.differences.length} differences (stored under ${stored}; recomputed under ${under})\n` +
    `${table([['decision', 'month', 'field', 'stored', 'recomputed'], ...rows])}\n`
  );
}

/** `replay --with`: decided and what-if side by side per month, then what is owed on balance. */
export function whatIfText(report: WhatIfReport): string {
  const rows = [['month', 'assistance', 'what-if', 'reserve', 'what-if', 'paid', 'what-if', 'net owed']];
  for (const m of report.months)
    rows.push([
      m.month,
      m.decided.assistance!,
      m.whatIf.assistance!,
      m.decided.holidayReserve!,
      m.whatIf.holidayReserve!,
      m.decided['payment.amount']!,
      m.whatIf['payment.amount']!,
      m.netOwed,
    ]);
  return `\nWhat-if\n${table(rows)}\nnet owed to (+) or by (−) the resident: ${report.netOwedTotal}\n`;
}
