import type { AlertKind, LegalReference } from '@bijstand/domain';
import { dutchDate, euro } from './format.js';

export { dutchDate, euro };

/** A count as Dutch writes it: `1100212` → `1.100.212`. */
export const dutchInteger = (n: number): string => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** `2027-03` → `maart 2027`. */
export const dutchMonth = (month: string): string => dutchDate(`${month}-01`).replace(/^1 /, '');

/** An instant as a person in the Netherlands reads it: `30 november 2027 om 03:00 uur`. */
export function dutchInstant(instant: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const p = (t: string) => parts.find((x) => x.type === t)!.value;
  return `${dutchDate(`${p('year')}-${p('month')}-${p('day')}`)} om ${p('hour')}:${p('minute')} uur`;
}

export const CATEGORY: Record<string, string> = {
  single: 'alleenstaande',
  'single-parent': 'alleenstaande ouder',
  couple: 'gehuwden (beiden recht op bijstand)',
  'couple-one-entitled': 'gehuwden (één partner met recht op bijstand)',
  'single-parent-no-alo':
    'alleenstaande ouder met partner zonder recht op bijstand (norm gehuwden met één rechthebbende plus 1/12 ALO-kop)',
};

export const ROLE: Record<string, string> = { applicant: 'aanvrager', partner: 'partner', unknown: 'onbekend' };

export const ALERT_KIND: Record<AlertKind, string> = {
  'below-minimum': 'onder het bestaansminimum',
  'buffer-exhausted': 'bufferbudget op',
  'large-claim': 'grote vordering',
  'income-outside-case': 'inkomen buiten de bijstandsperiode',
  'new-income-relationship': 'nieuwe inkomstenverhouding',
  'disregard-ending': 'vrijlating loopt af',
  'gifts-above-free-amount': 'giften boven het vrije bedrag',
  'payment-failed': 'betaling geweigerd of teruggestort door de bank',
};

export const BUFFER_DECISION: Record<string, string> = {
  drawn: 'bufferbudget ingezet',
  'no-claim-offset': 'niet nodig: er is niets verrekend',
  'not-eligible': 'niet toegekend: geen inkomen uit arbeid',
  'no-shortfall': 'niet nodig: het huishouden houdt genoeg over',
  'budget-exhausted': 'niet mogelijk: het budget van dit jaar is op',
  'buffer-not-in-force': 'niet mogelijk: het bufferbudget geldt pas vanaf 2027',
};

/** `art. 34a lid 1 onder a`: the short citation used next to an amount. */
export function shortCitation(r: LegalReference): string {
  if (!/^\d/.test(r.article)) return r.article;
  return `art. ${r.article}${r.paragraph ? ` lid ${r.paragraph}` : ''}${r.point ? ` onder ${r.point}` : ''}`;
}

/** The full citation of the list of legal bases: law (BWB id), article, measure, and what it says. */
export function fullCitation(r: LegalReference): string {
  return `${r.law}${r.bwbId ? ` (${r.bwbId})` : ''}, ${shortCitation(r)}${r.measure ? ` (${r.measure})` : ''}: ${r.label}`;
}
