import { money, ZERO, fmt, type Money } from './money.js';
import type { HouseholdState } from './household.js';
import type { HouseholdEvent, Payees } from './events.js';

/** The result JSON of SPEC §11: the last settled version of each month, payments, buffer, balances, alerts. */
export interface ScenarioResult {
  months: Record<
    string,
    {
      norm: string;
      measureReduction: string;
      holidayReserveFull: string;
      normExclHoliday: string;
      income: string;
      disregard: string;
      partnerIncomeCounted: string;
      countableIncome: string;
      assistance: string;
      holidayAccrued: string;
      holidayReserve: string;
      version: number;
    }
  >;
  payments: Record<
    string,
    { advance: string; holidayPayout: string; offset: string; bufferDraw: string; amount: string; payees: Payees }
  >;
  buffer: Record<string, { drawn: string; remaining: string }>;
  ledgerBalance: string;
  reserveBalance: string;
  alerts: Array<{ kind: string; month: string; amount?: string }>;
}

export function projectResult(state: HouseholdState, events: readonly HouseholdEvent[]): ScenarioResult {
  const months: ScenarioResult['months'] = {};
  for (const month of [...state.months.keys()].sort()) {
    const { values, version } = state.months.get(month)!;
    months[month] = {
      norm: values.norm,
      measureReduction: values.measureReduction,
      holidayReserveFull: values.holidayReserveFull,
      normExclHoliday: values.normExclHoliday,
      income: values.income,
      disregard: values.disregard,
      partnerIncomeCounted: values.partnerIncomeCounted,
      countableIncome: values.countableIncome,
      assistance: values.assistance,
      holidayAccrued: values.holidayAccrued,
      holidayReserve: values.holidayReserve,
      version,
    };
  }
  const payments: ScenarioResult['payments'] = {};
  for (const month of [...state.payments.keys()].sort()) {
    const p = state.payments.get(month)!;
    payments[month] = {
      advance: p.advance,
      holidayPayout: p.holidayPayout,
      offset: p.offset,
      bufferDraw: p.bufferDraw,
      amount: p.amount,
      payees: p.payees,
    };
  }
  const drawn = new Map<string, { drawn: Money; remaining: string }>();
  const alerts: ScenarioResult['alerts'] = [];
  for (const e of events) {
    if (e.type === 'BufferDrawn') {
      const cur = drawn.get(e.data.year) ?? { drawn: ZERO, remaining: e.data.remainingAfter };
      drawn.set(e.data.year, { drawn: money(cur.drawn.plus(e.data.amount)), remaining: e.data.remainingAfter });
    } else if (e.type === 'AlertRaised') {
      alerts.push({
        kind: e.data.kind,
        month: e.data.month,
        ...(e.data.amount !== undefined ? { amount: e.data.amount } : {}),
      });
    }
  }
  const buffer: ScenarioResult['buffer'] = {};
  for (const year of [...drawn.keys()].sort())
    buffer[year] = { drawn: fmt(drawn.get(year)!.drawn), remaining: drawn.get(year)!.remaining };
  alerts.sort((a, b) =>
    a.month < b.month ? -1 : a.month > b.month ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
  );
  return {
    months,
    payments,
    buffer,
    ledgerBalance: fmt(state.ledgerBalance),
    reserveBalance: fmt(state.reserveBalance),
    alerts,
  };
}
