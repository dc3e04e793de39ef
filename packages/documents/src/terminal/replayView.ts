import { ENGINE_VERSION, fmt, money, type ReplayComparison, type WhatIfReport } from '@bijstand/domain';
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

/**
 * `replay --with`: decided and what-if side by side per month, then what is owed on balance. A month not
 * settled either way has no entitlement to compare (`-`, never 0.00); a payout differs on its own (a claim
 * offset earlier or later), so it has its own difference column beside the net owed.
 */
export function whatIfText(report: WhatIfReport): string {
  const rows = [['month', 'assistance', 'what-if', 'reserve', 'what-if', 'net owed', 'paid', 'what-if', 'paid diff']];
  for (const m of report.months) {
    const settled = m.settled.decided || m.settled.whatIf;
    const a = (side: 'decided' | 'whatIf', f: string) => (m.settled[side] ? m[side][f]! : '-');
    const p = (side: 'decided' | 'whatIf') => (m.paid[side] ? m[side]['payment.amount']! : '-');
    const paidDiff = fmt(money(m.whatIf['payment.amount']!).minus(m.decided['payment.amount']!));
    rows.push([
      m.month,
      a('decided', 'assistance'),
      a('whatIf', 'assistance'),
      a('decided', 'holidayReserve'),
      a('whatIf', 'holidayReserve'),
      settled ? m.netOwed : '-',
      p('decided'),
      p('whatIf'),
      m.paid.decided || m.paid.whatIf ? paidDiff : '-',
    ]);
  }
  return `\nWhat-if\n${table(rows)}\nnet owed to (+) or by (−) the resident (settled months): ${report.netOwedTotal}\n`;
}
