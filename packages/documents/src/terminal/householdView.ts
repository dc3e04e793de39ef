import { fmt, projectResult, type HouseholdEvent, type HouseholdState } from '@bijstand/domain';
import { maskBsn } from '@bijstand/platform';
import { table } from '@bijstand/terminal/table';
import { dutchDate, euro } from '../format.js';
import { counted } from './counted.js';

/** Closed: a CaseClosed is recorded (with its end date). A claim: the ledger is below zero (money owed back). */
export const householdStatus = (s: HouseholdState): 'open' | 'closed' => (s.endDate ? 'closed' : 'open');
export const hasOpenClaim = (s: HouseholdState): boolean => s.ledgerBalance.lessThan(0);

/** `household list --status --claim --municipality`: a household is listed when every filter given holds. */
export function householdListed(
  s: HouseholdState,
  only: { status?: 'open' | 'closed'; claim?: 'yes' | 'no'; belongs?: (municipality: string | null) => boolean },
): boolean {
  return (
    (!only.status || householdStatus(s) === only.status) &&
    (!only.claim || (only.claim === 'yes') === hasOpenClaim(s)) &&
    (!only.belongs || only.belongs(s.municipality))
  );
}

/** `household list`: a row per household (id and state as of the moment asked), then the count. */
export function householdListText(households: ReadonlyArray<{ id: string; state: HouseholdState }>): string {
  const rows = [['household', 'category', 'members', 'case from', 'case to', 'status', 'open claim', 'last paid']];
  for (const { id, state: s } of households) {
    const lastPaid = [...s.payments.keys()].sort().at(-1);
    rows.push([
      id,
      s.compositions.at(-1)?.category ?? '',
      String(s.members.length),
      s.startDate ? dutchDate(s.startDate) : '',
      s.endDate ? dutchDate(s.endDate) : '',
      householdStatus(s),
      hasOpenClaim(s) ? euro(fmt(s.ledgerBalance.negated())) : '',
      lastPaid ?? '',
    ]);
  }
  const n = households.length;
  return `${table(rows)}\n${n} household${n === 1 ? '' : 's'}\n`;
}

/** `household show`: the case, its members (BSN masked), the ledger, a row per month, the alerts. */
export function householdView(
  householdId: string,
  household: { state: HouseholdState; events: readonly HouseholdEvent[] },
  asOf?: string,
): string {
  const s = household.state;
  const out: string[] = [];
  out.push(`Household ${householdId}${asOf ? ` as of ${asOf}` : ''}`);
  out.push(
    `  case       from ${dutchDate(s.startDate!)}${s.endDate ? ` to ${dutchDate(s.endDate)} (closed)` : ' (open)'}`,
  );
  for (const m of s.members) out.push(`  ${m.role.padEnd(10)} BSN ${maskBsn(m.bsn)}`);
  for (const c of s.compositions)
    out.push(`  household  ${c.category}, ${counted(c.costSharers, 'cost sharer')}, from ${dutchDate(c.from)}`);
  for (const g of s.disregardGrants)
    out.push(`  disregard  BSN ${maskBsn(g.bsn)}, ${dutchDate(g.from)} to ${dutchDate(g.to)}`);
  const ledger = `${euro(fmt(s.ledgerBalance))}${hasOpenClaim(s) ? ' (open claim)' : ''}`;
  out.push(`  ledger     ${ledger}   holiday reserve ${euro(fmt(s.reserveBalance))}   statements ${s.statementCount}`);
  const r = projectResult(s, household.events);
  const rows = [
    ['month', 'norm', 'income', 'disregard', 'assistance', 'reserve', 'v', 'advance', 'offset', 'buffer', 'paid'],
  ];
  const e = (v: string | undefined) => (v === undefined ? '' : euro(v));
  for (const m of [...new Set([...Object.keys(r.months), ...Object.keys(r.payments)])].sort()) {
    const sm = r.months[m];
    const p = r.payments[m];
    rows.push([
      m,
      e(sm?.norm),
      e(sm?.income),
      e(sm?.disregard),
      e(sm?.assistance),
      e(sm?.holidayReserve),
      sm ? String(sm.version) : '',
      e(p?.advance),
      e(p?.offset),
      e(p?.bufferDraw),
      e(p?.amount),
    ]);
  }
  out.push('', table(rows));
  for (const a of r.alerts) out.push(`alert ${a.month} ${a.kind}${a.amount ? ` ${euro(a.amount)}` : ''}`);
  return `${out.join('\n')}\n`;
}
