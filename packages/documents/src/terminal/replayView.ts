import { ENGINE_VERSION, fmt, money, type ReplayComparison, type WhatIfReport } from '@bijstand/domain';
import { table } from '@bijstand/terminal/table';
import { dutchMonth, euro } from '../dutch.js';

const MODE = { then: 'toen', now: 'nu' } as const;

/** `replay`, in Dutch: identical (one line), or the differences as a table, with the rules they were made under. */
export function replayComparisonText(comparison: ReplayComparison, mode: 'then' | 'now'): string {
  const stored = Object.keys(comparison.storedRulesVersions).join(', ');
  if (comparison.identical) {
    const compared = `${comparison.decisionsCompared} besluiten; regelversies ${stored}`;
    return `gelijk (${compared}; herberekend met de regels van ${MODE[mode]})\n`;
  }
  const under = mode === 'now' ? comparison.currentRulesVersion : `de regels van toen met engine ${ENGINE_VERSION}`;
  const rows = comparison.differences.map((d) => [d.decision, d.month, d.field, d.stored, d.recomputed]);
  const n = comparison.differences.length;
  return (
    `${n} ${n === 1 ? 'verschil' : 'verschillen'} (vastgelegd onder ${stored}; herberekend onder ${under})\n` +
    `${table([['besluit', 'maand', 'veld', 'vastgelegd', 'herberekend'], ...rows])}\n`
  );
}

/**
 * `replay --with`: decided and what-if side by side per month, then what is owed on balance. A month not
 * settled either way has no entitlement to compare (`-`, never € 0,00); a payout differs on its own (a claim
 * offset earlier or later), so it has its own difference column beside the net owed.
 */
export function whatIfText(report: WhatIfReport): string {
  const rows = [
    ['maand', 'bijstand', 'wat-als', 'vak.geld', 'wat-als', 'per saldo', 'betaald', 'wat-als', 'verschil betaald'],
  ];
  const e = (v: string) => (v === '-' ? v : euro(v));
  for (const m of report.months) {
    const settled = m.settled.decided || m.settled.whatIf;
    const a = (side: 'decided' | 'whatIf', f: string) => (m.settled[side] ? euro(m[side][f]!) : '-');
    const p = (side: 'decided' | 'whatIf') => (m.paid[side] ? euro(m[side]['payment.amount']!) : '-');
    const paidDiff = fmt(money(m.whatIf['payment.amount']!).minus(m.decided['payment.amount']!));
    rows.push([
      dutchMonth(m.month),
      a('decided', 'assistance'),
      a('whatIf', 'assistance'),
      a('decided', 'holidayReserve'),
      a('whatIf', 'holidayReserve'),
      settled ? e(m.netOwed) : '-',
      p('decided'),
      p('whatIf'),
      m.paid.decided || m.paid.whatIf ? euro(paidDiff) : '-',
    ]);
  }
  const owed = euro(report.netOwedTotal);
  const total = `per saldo aan (+) of door (−) de inwoner verschuldigd (vastgestelde maanden): ${owed}`;
  return `\nWat-als\n${table(rows)}\n${total}\n`;
}
