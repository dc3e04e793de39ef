import { money, type HouseholdEvent, type YearMonth } from '@bijstand/domain';
import { caseFileOf, type CaseMonth } from './caseFile.js';
import { dutchMonth, euro } from './dutch.js';
import {
  belowMinimumOf,
  bufferOf,
  monthPaymentOf,
  withCorrections,
  type ClaimOffset,
  type MonthBuffer,
  type MonthDecision,
  type MonthPayment,
} from './monthDecision.js';

/**
 * One line per month for the consultant, in Dutch: what happened to the household's money that month and why,
 * from the same decision model as the resident's letter (the payment with the claims it offset and their
 * cause, the bufferbudget's decision, the settlement's change to what is owed). Pure: events in, lines out.
 */
export interface MonthSummary {
  month: YearMonth;
  text: string;
  /** The amount below the minimum, when the month's payment left the household below it. */
  belowMinimum: string | null;
}

export function monthSummariesOf(householdId: string, asOf: string, events: readonly HouseholdEvent[]): MonthSummary[] {
  const file = caseFileOf(householdId, asOf, events);
  return file.months.map((cm) => {
    const buffer = bufferOf(events, cm.month, cm.buffer);
    const payment = cm.payment ? monthPaymentOf(events, cm.month) : null;
    if (payment) payment.offsetFrom = payment.offsetFrom.map((c) => withCorrections(file, c));
    const below = belowMinimumOf(cm, buffer);
    return { month: cm.month, text: summaryText(cm, payment, buffer, below), belowMinimum: below?.amount ?? null };
  });
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const isZero = (s: string) => money(s).isZero();

/** `a`, `a en b`, `a, b en c`. */
export const dutchList = (parts: readonly string[]): string =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} en ${parts[parts.length - 1]}`;

/** The month a claim came from, without the year when it is the year of the month summarised. */
const monthName = (claim: YearMonth, of: YearMonth) =>
  claim.slice(0, 4) === of.slice(0, 4) ? dutchMonth(claim).replace(/ \d{4}$/, '') : dutchMonth(claim);

/** Why a claim exists, in a consultant's short words: `loon partner gecorrigeerd`, `inkomen hoger dan verwacht`. */
export function claimCauseText(c: ClaimOffset): string {
  if (c.cause === 'income-higher') return 'inkomen hoger dan verwacht';
  if (!c.corrected?.length) return 'opnieuw berekend';
  const what = c.corrected.map((i) => {
    const kind = i.kind === 'employment' ? 'loon' : i.kind === 'benefit' ? 'uitkering' : 'inkomen';
    const who = i.role === 'unknown' ? '' : ` ${i.role === 'partner' ? 'partner' : 'aanvrager'}`;
    return `${kind}${who} ${i.statementKind === 'withdrawal' ? 'ingetrokken' : 'gecorrigeerd'}`;
  });
  return [...new Set(what)].join(', ');
}

function offsetText(p: MonthPayment, month: YearMonth): string | null {
  if (p.offsetFrom.length === 0) return isZero(p.offset) ? null : `${euro(p.offset)} verrekend`;
  const claims = p.offsetFrom.map((c) => `${monthName(c.month, month)} (${claimCauseText(c)})`);
  return p.offsetFrom.length === 1
    ? `de vordering van ${claims[0]} is verrekend`
    : `de vorderingen van ${dutchList(claims)} zijn verrekend`;
}

function bufferText(b: MonthBuffer | null, p: MonthPayment | null, usedUp: boolean): string | null {
  if (!b) return null;
  if (usedUp) return `het bufferbudget van ${b.year} is op`;
  if (p && !isZero(p.bufferDraw)) return `het bufferbudget vulde ${euro(p.bufferDraw)} aan`;
  if (b.reason === 'not-eligible') return 'geen bufferbudget: geen inkomen uit werk';
  if (b.reason === 'buffer-not-in-force') return 'het bufferbudget gold toen nog niet';
  return null;
}

function summaryText(
  cm: CaseMonth,
  p: MonthPayment | null,
  buffer: MonthBuffer | null,
  below: MonthDecision['belowMinimum'],
): string {
  const s = cm.settlement;
  const head = below
    ? `${euro(below.amount)} onder het minimum`
    : s
      ? `bijstand ${euro(s.values.assistance)}${p ? `, uitbetaald ${euro(p.amount)}` : ''}`
      : p
        ? `voorschot uitbetaald ${euro(p.amount)}, nog niet vastgesteld`
        : 'nog niet betaald of vastgesteld';
  const change = s ? money(s.assistanceChange) : null;
  const details = [
    p ? offsetText(p, cm.month) : null,
    bufferText(buffer, p, below?.bufferUsedUp ?? false),
    p && !isZero(p.holidayPayout) ? `vakantietoeslag ${euro(p.holidayPayout)} uitbetaald` : null,
    s && s.version > 1 ? `opnieuw vastgesteld (versie ${s.version})` : null,
    change && change.isNegative() ? `${euro(change.abs().toFixed(2))} te veel betaald: een vordering` : null,
    change && change.greaterThan(0) ? `${euro(change.toFixed(2))} te weinig betaald: wordt nabetaald` : null,
  ].filter((d): d is string => d !== null);
  return `${capital(dutchMonth(cm.month))}: ${head}${details.length ? ` — ${dutchList(details)}` : ''}`;
}
