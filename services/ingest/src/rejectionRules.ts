import { maskBsnRuns } from '@bijstand/platform';
import type { MessageSource } from './inbound.js';

/**
 * The rule that rejected a message, read from its stored reason (the reason names the field first, and
 * rejections stored before this table existed have only that text), and what the backoffice reads for
 * it: Dutch, with what to do. The English reason stays the detail for logs and JSON.
 */
export type RejectionRule =
  | 'invalid-json'
  | 'conflicting-redelivery'
  | 'unknown-municipality'
  | 'no-tables-for-start'
  | 'identity-conflict'
  | 'superseded'
  | 'no-case'
  | 'not-a-member'
  | 'case-already-opened'
  | 'no-disregard-row'
  | 'disregard-run-too-long'
  | 'needs-new-employment'
  | 'overlapping-grant'
  | 'invalid-field'
  | 'other';

/** Most specific first: a reason starting with a field name and nothing known after it is `invalid-field`. */
const RULES: ReadonlyArray<[RejectionRule, RegExp]> = [
  ['invalid-json', /^payload: is not valid JSON/],
  ['conflicting-redelivery', /^conflicting-redelivery:/],
  ['unknown-municipality', /^municipality: \S+ is not (a municipality of|named by) this deployment/],
  ['no-tables-for-start', /^startDate: \S+ lies before the parameter table/],
  ['identity-conflict', /^members\.\d+\.bsn: already a member of/],
  ['superseded', /^kind: superseded:/],
  ['no-case', /^(householdId: no case opened|bsn: no case is opened)/],
  ['not-a-member', /^bsn: is not a member of this household/],
  ['case-already-opened', /^type: a different case is already opened/],
  ['no-disregard-row', /^kind: the disregard table has no row/],
  ['disregard-run-too-long', /^to: the work disregard of this person runs from \S+; \d+ months exceed/],
  ['needs-new-employment', /^newEmploymentFrom: (is required|\S+ is not after)/],
  ['overlapping-grant', /^from: overlaps this person's/],
];

const DUTCH: Record<Exclude<RejectionRule, 'invalid-field'>, string> = {
  'invalid-json': 'Het bericht is geen geldige JSON; vraag de afzender om het opnieuw te sturen.',
  'conflicting-redelivery': 'Dit berichtnummer kwam eerder binnen met een andere inhoud; zoek uit welke versie klopt.',
  'unknown-municipality':
    'De gemeente van deze zaak is niet ingesteld (MUNICIPALITY_CONFIG); stel haar in en verwerk het bericht opnieuw.',
  'no-tables-for-start':
    'De zaak begint vóór de eerste datum van de normtabellen; vul de tabellen aan en verwerk het bericht opnieuw.',
  'identity-conflict':
    'Een lid hoort in deze periode al bij een andere zaak (één persoon, één zaak tegelijk); ' +
    'beëindig die zaak of laat de opening corrigeren.',
  superseded:
    'Een eerste opgave kwam binnen nadat een correctie of intrekking al gold; de latere versie blijft gelden.',
  'no-case': 'Er is nog geen zaak geopend voor dit huishouden; verwerk het bericht opnieuw zodra de zaak open is.',
  'not-a-member': 'Deze persoon is geen lid van dit huishouden; laat het bericht corrigeren.',
  'case-already-opened': 'Voor dit huishouden is al een andere zaak geopend.',
  'no-disregard-row':
    'De vrijlatingstabel heeft op die datum geen regel voor deze soort vrijlating; ' +
    'vul de tabel aan en verwerk het bericht opnieuw.',
  'disregard-run-too-long':
    'De vrijlating voor werk zou langer lopen dan de wet toestaat zonder verlenging (art. 34a); ' +
    'laat de toekenning korter invoeren of met verlenging.',
  'needs-new-employment':
    'Een nieuwe vrijlating voor werk na een eerdere vraagt een nieuwe baan die daarna begon (art. 34a lid 3); ' +
    'laat de toekenning invoeren met de begindatum van die baan.',
  'overlapping-grant':
    'De vrijlating overlapt een andere vrijlating van deze persoon; ' + 'beëindig die eerst of laat deze later ingaan.',
  other: 'Afgekeurd om een andere reden; zie de technische toelichting.',
};

export function rejectionRule(reason: string): RejectionRule {
  for (const [rule, pattern] of RULES) if (pattern.test(reason)) return rule;
  return /^[\w.()]+: /.test(reason) ? 'invalid-field' : 'other';
}

/** The reason as the backoffice reads it (Dutch); a field the message's format refused is named. */
export function dutchRejectionReason(reason: string): string {
  const rule = rejectionRule(reason);
  if (rule !== 'invalid-field') return DUTCH[rule];
  const field = reason.slice(0, reason.indexOf(':'));
  const which = field === '(message)' ? 'Het bericht' : `Het veld ${maskBsnRuns(field)}`;
  return `${which} voldoet niet aan het berichtformaat of de regels; laat de afzender het bericht verbeteren.`;
}

/** Where a message came from, in Dutch (a file name or reference from elsewhere is masked). */
export function dutchSource(source: MessageSource): string {
  if (source.type === 'kafka') return `Kafka ${source.topic}, partitie ${source.partition}, positie ${source.offset}`;
  if (source.type === 'file') return `bestand ${maskBsnRuns(source.name)}, regel ${source.line}`;
  return `ingevoerd (${maskBsnRuns(source.reference)})`;
}
