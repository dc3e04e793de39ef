import { fmt, projectResult, type HouseholdState } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import {
  HOUSEHOLD_STREAM_PREFIX,
  householdIdOfStream,
  loadHousehold,
  loadLatestHousehold,
  maskBsn,
} from '@bijstand/platform';
import { UsageError } from '../args.js';
import { dutchDate, euro, explainMonth } from '@bijstand/documents';
import { table } from '@bijstand/terminal';
import { municipalityFilter, withStore } from './shared.js';

export interface HouseholdListOptions {
  status?: 'open' | 'closed';
  claim?: 'yes' | 'no';
  asOf?: string;
  municipality?: string;
  store?: string;
}

/** Closed: a CaseClosed is recorded (with its end date). A claim: the ledger is below zero (money owed back). */
const statusOf = (s: HouseholdState) => (s.endDate ? 'closed' : 'open');
const hasClaim = (s: HouseholdState) => s.ledgerBalance.lessThan(0);

async function stateOf(store: EventStore, householdId: string, asOf: string | undefined): Promise<HouseholdState> {
  return asOf
    ? (await loadHousehold(store, householdId, asOf)).state
    : (await loadLatestHousehold(store, householdId)).state;
}

export async function householdListCommand(options: HouseholdListOptions): Promise<void> {
  await withStore(options, 'read-only', async (store, env) => {
    const belongs = municipalityFilter(env, options.municipality);
    const rows = [['household', 'category', 'members', 'case from', 'case to', 'status', 'open claim', 'last paid']];
    let shown = 0;
    for (const stream of await store.listStreams(HOUSEHOLD_STREAM_PREFIX)) {
      const id = householdIdOfStream(stream);
      const s = await stateOf(store, id, options.asOf);
      if (s.householdId === null) continue;
      if (options.status && statusOf(s) !== options.status) continue;
      if (options.claim && (options.claim === 'yes') !== hasClaim(s)) continue;
      if (belongs && !belongs(s.municipality)) continue;
      const lastPaid = [...s.payments.keys()].sort().at(-1);
      rows.push([
        id,
        s.compositions.at(-1)?.category ?? '',
        String(s.members.length),
        s.startDate ? dutchDate(s.startDate) : '',
        s.endDate ? dutchDate(s.endDate) : '',
        statusOf(s),
        hasClaim(s) ? euro(fmt(s.ledgerBalance.negated())) : '',
        lastPaid ?? '',
      ]);
      shown++;
    }
    process.stdout.write(`${table(rows)}\n${shown} household${shown === 1 ? '' : 's'}\n`);
  });
}

export async function householdShowCommand(
  householdId: string,
  options: { month?: string; asOf?: string; store?: string },
): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const household = await loadHousehold(store, householdId, options.asOf);
    const s = household.state;
    if (s.householdId === null)
      throw new UsageError(
        `household ${householdId} has no events${options.asOf ? ' as of that instant' : ''} in this store (${store.name}); \`./cli household list\` shows the households there`,
      );
    if (options.month) {
      process.stdout.write(`${explainMonth(household.events, options.month)}\n`);
      return;
    }
    const out: string[] = [];
    out.push(`Household ${householdId}${options.asOf ? ` as of ${options.asOf}` : ''}`);
    out.push(
      `  case       from ${dutchDate(s.startDate!)}${s.endDate ? ` to ${dutchDate(s.endDate)} (closed)` : ' (open)'}`,
    );
    for (const m of s.members) out.push(`  ${m.role.padEnd(10)} BSN ${maskBsn(m.bsn)}`);
    for (const c of s.compositions)
      out.push(
        `  household  ${c.category}, ${c.costSharers} cost sharer${c.costSharers === 1 ? '' : 's'}, from ${dutchDate(c.from)}`,
      );
    for (const g of s.disregardGrants)
      out.push(`  disregard  BSN ${maskBsn(g.bsn)}, ${dutchDate(g.from)} to ${dutchDate(g.to)}`);
    out.push(
      `  ledger     ${euro(fmt(s.ledgerBalance))}${hasClaim(s) ? ' (open claim)' : ''}   holiday reserve ${euro(fmt(s.reserveBalance))}   statements ${s.statementCount}`,
    );
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
    process.stdout.write(`${out.join('\n')}\n`);
  });
}
