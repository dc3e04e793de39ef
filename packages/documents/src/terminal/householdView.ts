import { fmt, projectResult, type AlertKind, type HouseholdEvent, type HouseholdState } from '@bijstand/domain';
import { maskBsn } from '@bijstand/platform';
import { table } from '@bijstand/terminal/table';
import { ALERT_KIND, ROLE, dutchDate, dutchMonth, euro } from '../dutch.js';

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

/** The household's category in a table cell (the letter and the case file use the long form). */
const CATEGORY_SHORT: Record<string, string> = {
  single: 'alleenstaande',
  'single-parent': 'alleenstaande ouder',
  couple: 'gehuwden',
  'couple-one-entitled': 'gehuwden, één rechthebbende',
  'single-parent-no-alo': 'ouder, partner zonder recht',
};
const category = (c: string | undefined) => (c === undefined ? '' : (CATEGORY_SHORT[c] ?? c));
const STATUS = { open: 'open', closed: 'gesloten' } as const;
const amountOf = (a: string | undefined) => (a ? ` ${euro(a)}` : '');
const householdCount = (n: number) => `${n} ${n === 1 ? 'huishouden' : 'huishoudens'}`;

/** `household list`: a row per household (id and state as of the moment asked), then the count, in Dutch. */
export function householdListText(households: ReadonlyArray<{ id: string; state: HouseholdState }>): string {
  const rows = [
    ['huishouden', 'categorie', 'leden', 'zaak vanaf', 'zaak tot', 'status', 'open vordering', 'laatst betaald'],
  ];
  for (const { id, state: s } of households) {
    const lastPaid = [...s.payments.keys()].sort().at(-1);
    rows.push([
      id,
      category(s.compositions.at(-1)?.category),
      String(s.members.length),
      s.startDate ? dutchDate(s.startDate) : '',
      s.endDate ? dutchDate(s.endDate) : '',
      STATUS[householdStatus(s)],
      hasOpenClaim(s) ? euro(fmt(s.ledgerBalance.negated())) : '',
      lastPaid ? dutchMonth(lastPaid) : '',
    ]);
  }
  const n = households.length;
  return `${table(rows)}\n${householdCount(n)}\n`;
}

/** `household show`: the case, its members (BSN masked), the ledger, a row per month, the alerts; in Dutch. */
export function householdView(
  householdId: string,
  household: { state: HouseholdState; events: readonly HouseholdEvent[] },
  asOf?: string,
): string {
  const s = household.state;
  const out: string[] = [];
  const label = (l: string) => `  ${l.padEnd(11)}`;
  out.push(`Huishouden ${householdId}${asOf ? ` per ${asOf}` : ''}`);
  const until = s.endDate ? ` tot ${dutchDate(s.endDate)} (gesloten)` : ' (open)';
  out.push(`${label('zaak')}vanaf ${dutchDate(s.startDate!)}${until}`);
  for (const m of s.members) out.push(`${label(ROLE[m.role] ?? m.role)}BSN ${maskBsn(m.bsn)}`);
  for (const c of s.compositions) {
    const sharers = `${c.costSharers} ${c.costSharers === 1 ? 'kostendeler' : 'kostendelers'}`;
    out.push(`${label('huishouden')}${category(c.category)}, ${sharers}, vanaf ${dutchDate(c.from)}`);
  }
  for (const g of s.disregardGrants)
    out.push(`${label('vrijlating')}BSN ${maskBsn(g.bsn)}, ${dutchDate(g.from)} tot ${dutchDate(g.to)}`);
  const ledger = `${euro(fmt(s.ledgerBalance))}${hasOpenClaim(s) ? ' (open vordering)' : ''}`;
  const reserve = `reservering vakantiegeld ${euro(fmt(s.reserveBalance))}`;
  out.push(`${label('saldo')}${ledger}   ${reserve}   loonopgaven ${s.statementCount}`);
  const r = projectResult(s, household.events);
  const rows = [
    [
      'maand',
      'norm',
      'inkomen',
      'vrijlating',
      'bijstand',
      'vak.geld',
      'v',
      'voorschot',
      'verrekend',
      'buffer',
      'betaald',
    ],
  ];
  const e = (v: string | undefined) => (v === undefined ? '' : euro(v));
  for (const m of [...new Set([...Object.keys(r.months), ...Object.keys(r.payments)])].sort()) {
    const sm = r.months[m];
    const p = r.payments[m];
    rows.push([
      dutchMonth(m),
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
  for (const a of r.alerts)
    out.push(`signaal ${dutchMonth(a.month)}: ${ALERT_KIND[a.kind as AlertKind] ?? a.kind}${amountOf(a.amount)}`);
  return `${out.join('\n')}\n`;
}
