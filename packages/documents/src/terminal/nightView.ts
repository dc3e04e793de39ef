import { table } from '@bijstand/terminal/table';
import { dutchDate, dutchInstant, euro } from '../dutch.js';

/**
 * `run-nightly` for the backoffice, in Dutch: what a night did (or would do). The figures are those of
 * the JSON summary (`--json`, structurally settlement's RunSummary), which stays as it is for scripts.
 */

/** The figures of one night, for all households or one municipality's. */
export interface NightFigures {
  households: number;
  monthsSettled: number;
  paymentsMade: number;
  paid: string;
  householdsWithClaim: number;
  openClaims: string;
  alerts: number;
  eventsAppended: number;
}

export interface NightSummaryView extends NightFigures {
  runDate: string;
  municipality?: string;
  failures?: ReadonlyArray<{ householdId: string; error: string }>;
  municipalities?: Readonly<Record<string, NightFigures>>;
  held?: { municipalities: string[]; households: number };
}

export type NightKind = 'done' | 'dry-run' | 'preview';

const TITLE: Record<NightKind, (date: string) => string> = {
  done: (d) => `Nacht van ${d}`,
  'dry-run': (d) => `Proefnacht van ${d} (alles beslist, niets vastgelegd)`,
  preview: (d) => `Wat de nacht van ${d} zou doen als de regels geaccepteerd zijn (niets vastgelegd)`,
};

const figureRows = (f: NightFigures): Array<[string, string]> => [
  ['huishoudens', String(f.households)],
  ['maanden vastgesteld (versies)', String(f.monthsSettled)],
  ['betalingen', String(f.paymentsMade)],
  ['totaal betaald', euro(f.paid)],
  ['huishoudens met een openstaande vordering', String(f.householdsWithClaim)],
  ['openstaande vorderingen samen', euro(f.openClaims)],
  ['signalen', String(f.alerts)],
  ['besluiten vastgelegd', String(f.eventsAppended)],
];

/** The night's title, its figures, each municipality's (a deployment of several), what waited, what failed. */
export function nightSummaryText(s: NightSummaryView, runAt: string, kind: NightKind = 'done'): string {
  const of = s.municipality === undefined ? '' : `, gemeente ${s.municipality}`;
  const lines = [`${TITLE[kind](dutchDate(s.runDate))}${of}, gedraaid op ${dutchInstant(runAt)}`];
  const rows = figureRows(s);
  if (s.failures !== undefined) rows.push(['mislukte huishoudens', String(s.failures.length)]);
  lines.push(table([['kengetal', 'waarde'], ...rows]));
  const per = Object.entries(s.municipalities ?? {});
  if (per.length > 0) {
    const head = ['gemeente', 'huishoudens', 'maanden', 'betalingen', 'totaal betaald', 'vorderingen', 'signalen'];
    const body = per.map(([code, f]) => [
      code,
      String(f.households),
      String(f.monthsSettled),
      String(f.paymentsMade),
      euro(f.paid),
      euro(f.openClaims),
      String(f.alerts),
    ]);
    lines.push('', 'Per gemeente', table([head, ...body]));
  }
  if (s.held !== undefined && s.held.municipalities.length > 0)
    lines.push(
      '',
      `Niet vastgesteld: ${s.held.households} huishoudens van ${s.held.municipalities.join(', ')}; ` +
        'hun regels zijn gewijzigd en wachten op akkoord (./cli rules accept)',
    );
  for (const f of s.failures ?? []) lines.push(`mislukt: ${f.householdId}: ${f.error}`);
  return `${lines.join('\n')}\n`;
}

/** A night the rules gate refused (stderr, after what changed). */
export const nightRefusedText = (date: string): string =>
  `fout: de nacht van ${dutchDate(date)} is geweigerd: de regels zijn gewijzigd en niemand heeft ze ` +
  'geaccepteerd; er is niets vastgelegd\n';

/** A night stopped by SIGINT/SIGTERM after its current group. */
export const nightStoppedText = (date: string): string =>
  `de nacht van ${dutchDate(date)} is voor het einde gestopt; draai dezelfde datum opnieuw om hem af te maken\n`;

/** A store without households settles nothing: say so, naming it (a wrong --store or SQLITE_PATH?). */
export const emptyStoreText = (store: string): string =>
  `waarschuwing: de gebeurtenissenopslag ${store} bevat geen huishoudens: er is niets vastgesteld ` +
  '(is --store of SQLITE_PATH de opslag die u bedoelde?)\n';
