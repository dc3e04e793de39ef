import { fmt, money, ZERO, type Money } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { householdIdOfStream } from '@bijstand/platform';

/**
 * The yearly bufferbudget drawn per household, for the municipality's eindheffing (001 measure 2):
 * CSV householdId,year,drawn,remaining,draws — from the BufferDrawn events, in household order.
 */
export async function bufferReportCsv(store: EventStore, year: string): Promise<string> {
  const rows = new Map<string, { drawn: Money; remaining: string; draws: number }>();
  for (const e of await store.readAll()) {
    if (e.type !== 'BufferDrawn') continue;
    const d = e.data as { year: string; amount: string; remainingAfter: string };
    if (d.year !== year) continue;
    const id = householdIdOfStream(e.streamName);
    const row = rows.get(id) ?? { drawn: ZERO, remaining: d.remainingAfter, draws: 0 };
    rows.set(id, { drawn: money(row.drawn.plus(d.amount)), remaining: d.remainingAfter, draws: row.draws + 1 });
  }
  const lines = ['householdId,year,drawn,remaining,draws'];
  let total: Money = ZERO;
  for (const [id, r] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`${id},${year},${fmt(r.drawn)},${r.remaining},${r.draws}`);
    total = money(total.plus(r.drawn));
  }
  lines.push(`TOTAL,${year},${fmt(total)},,${[...rows.values()].reduce((t, r) => t + r.draws, 0)}`);
  return `${lines.join('\n')}\n`;
}
