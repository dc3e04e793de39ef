import type { Instant } from './dates.js';
import type { HouseholdState } from './household.js';
import { money, ZERO, fmt, type Money } from './money.js';

/** A what-if: the state as decided against the state the changed facts would give, month by month. */

export interface WhatIfMonth {
  month: string;
  decided: Record<string, string>;
  whatIf: Record<string, string>;
  /** (A' − A) + (R' − R): positive is owed to the resident, negative is owed by the resident. */
  netOwed: string;
  /** Whether the month was settled, and paid, either way: a month not settled has no A or R to compare. */
  settled: { decided: boolean; whatIf: boolean };
  paid: { decided: boolean; whatIf: boolean };
}

export interface WhatIfReport {
  months: WhatIfMonth[];
  netOwedTotal: string;
  ledgerBalance: { decided: string; whatIf: string };
  bufferDrawn: { decided: string; whatIf: string };
  /** What-if inputs the case-event rules rejected, with the reason; absent when none was. */
  rejectedInputs?: Array<{ recordedAt: Instant; reason: string }>;
}

const MONTH_FIELDS = Object.freeze([
  'measureReduction',
  'income',
  'disregard',
  'partnerIncomeCounted',
  'countableIncome',
  'assistance',
  'holidayReserve',
] as const);
const PAYMENT_FIELDS = Object.freeze(['advance', 'holidayPayout', 'offset', 'bufferDraw', 'amount'] as const);

function monthView(state: HouseholdState, month: string): Record<string, string> {
  const m = state.months.get(month);
  const p = state.payments.get(month);
  const out: Record<string, string> = {};
  for (const f of MONTH_FIELDS) out[f] = m ? m.values[f] : '0.00';
  for (const f of PAYMENT_FIELDS) out[`payment.${f}`] = p ? p[f] : '0.00';
  // Art. 45(4): who received it.
  out['payment.toApplicant'] = p?.payees.applicant ?? '0.00';
  out['payment.toPartner'] = p?.payees.partner ?? '0.00';
  return out;
}

function totalBuffer(state: HouseholdState): Money {
  let t: Money = ZERO;
  for (const v of state.bufferDrawnPerYear.values()) t = money(t.plus(v));
  return t;
}

/** Decided vs what-if, month by month, and the net amount owed either way (SPEC §10). */
export function compareOutcomes(decided: HouseholdState, whatIf: HouseholdState): WhatIfReport {
  const months = [
    ...new Set([
      ...decided.months.keys(),
      ...whatIf.months.keys(),
      ...decided.payments.keys(),
      ...whatIf.payments.keys(),
    ]),
  ].sort();
  let total: Money = ZERO;
  const rows: WhatIfMonth[] = months.map((month) => {
    const a = monthView(decided, month);
    const b = monthView(whatIf, month);
    const owed = money(
      money(b.assistance!).minus(a.assistance!).plus(money(b.holidayReserve!).minus(a.holidayReserve!)),
    );
    total = money(total.plus(owed));
    const settled = { decided: decided.months.has(month), whatIf: whatIf.months.has(month) };
    const paid = { decided: decided.payments.has(month), whatIf: whatIf.payments.has(month) };
    return { month, decided: a, whatIf: b, netOwed: fmt(owed), settled, paid };
  });
  return {
    months: rows,
    netOwedTotal: fmt(total),
    ledgerBalance: { decided: fmt(decided.ledgerBalance), whatIf: fmt(whatIf.ledgerBalance) },
    bufferDrawn: { decided: fmt(totalBuffer(decided)), whatIf: fmt(totalBuffer(whatIf)) },
  };
}
