import { writeFileSync } from 'node:fs';
import { mulberry32 } from '@bijstand/synthetic';
import { polisStatement } from '@bijstand/testkit/statements';
import { validBsn } from './fixtures.js';

/*
 * Synthetic households as an NDJSON file in arrival order ({"case": …} / {"statement": …} lines):
 * openings, monthly and weekly pay, corrections of earlier statements, closures and a second case of
 * the same person after a closure, statements that arrive before their case and re-deliveries.
 */
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

export function syntheticLines(households: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const timed: Array<{ at: number; order: number; line: string }> = [];
  let order = 0;
  const push = (at: number, envelope: Record<string, unknown>) =>
    timed.push({ at, order: order++, line: JSON.stringify(envelope) });
  for (let h = 0; h < households; h++) {
    const applicant = validBsn(200_000 + h * 2);
    const couple = rand() < 0.25;
    const members = [
      { bsn: applicant, role: 'applicant' },
      ...(couple ? [{ bsn: validBsn(200_001 + h * 2), role: 'partner' }] : []),
    ];
    const start = Date.UTC(2027, Math.floor(rand() * 4), 1);
    const householdId = `H-synth-${h}`;
    push(start + 2 * DAY, {
      case: { type: 'CaseOpened', householdId, members, category: couple ? 'couple' : 'single', startDate: day(start) },
    });
    const closes = rand() < 0.1;
    const end = start + (120 + Math.floor(rand() * 60)) * DAY;
    if (closes) {
      push(end + DAY, { case: { type: 'CaseClosed', householdId, endDate: day(end) } });
      // The same person in a new case after the first one ended.
      const again = end + 40 * DAY;
      push(again + DAY, {
        case: {
          type: 'CaseOpened',
          householdId: `${householdId}-b`,
          members: [members[0]],
          category: 'single',
          startDate: day(again),
        },
      });
    }
    const pay = rand();
    if (pay < 0.4) continue;
    const weekly = pay > 0.85;
    const earner = members[members.length - 1]!.bsn;
    for (let k = 0, periodStart = start; k < (weekly ? 40 : 10); k++) {
      const periodEnd = weekly
        ? periodStart + 6 * DAY
        : Date.UTC(new Date(periodStart).getUTCFullYear(), new Date(periodStart).getUTCMonth() + 1, 0);
      const body = polisStatement({
        messageId: `syn-${h}-${k}`,
        bsn: earner,
        incomeRelationshipId: `IKV-${h}`,
        period: { start: day(periodStart), end: day(periodEnd), kind: weekly ? 'week' : 'month' },
        taxableWage: (200 + Math.floor(rand() * 900)).toFixed(2),
        withheldTax: '10.00',
      });
      // Most arrive a few days after the period; the first of some households before the case opened.
      const arrives = k === 0 && rand() < 0.1 ? start - DAY : periodEnd + (1 + Math.floor(rand() * 5)) * DAY;
      push(arrives, { statement: body });
      if (rand() < 0.05) push(arrives + 3 * DAY, { statement: body });
      if (rand() < 0.05)
        push(arrives + 9 * DAY, {
          statement: { ...body, messageId: `${body.messageId}-c`, taxableWage: '123.45', kind: 'correction' },
        });
      periodStart = periodEnd + DAY;
    }
  }
  return timed.sort((a, b) => a.at - b.at || a.order - b.order).map((t) => t.line);
}

export function writeSyntheticFile(path: string, households: number, seed: number): number {
  const lines = syntheticLines(households, seed);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length;
}
