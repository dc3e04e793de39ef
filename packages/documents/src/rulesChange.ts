import { dutchInstant } from './dutch.js';
import { euro } from './format.js';

/** A municipality's rules change as the night's gate found it (structurally `RulesChange` of settlement). */
export interface RulesChangeView {
  municipality: string;
  name: string;
  previous: string;
  current: string;
  changes: string[];
  accepted: { acceptedBy: string; acceptedAt: string; reason: string } | null;
}

/** What a night would settle again for one municipality (structurally `ResettlementPreview`). */
export interface ResettlementView {
  households: number;
  months: number;
  backPayments: string;
  claims: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * For the backoffice on stderr, in Dutch (the lines of what changed name the rules' own parameters):
 * what changed per municipality and what the night would settle again,
 * with the money each way, then how to accept it. Plain text, one fact a line.
 */
export function rulesChangeText(
  changes: readonly RulesChangeView[],
  resettled: Readonly<Record<string, ResettlementView>>,
): string {
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(
      `regels van ${c.municipality} (${c.name}) gewijzigd sinds de vorige nacht: ${c.previous} → ${c.current}`,
    );
    for (const line of c.changes) lines.push(`  ${line}`);
    const r = resettled[c.municipality];
    if (r) {
      const what = `${plural(r.months, 'maand', 'maanden')} van ${plural(r.households, 'huishouden', 'huishoudens')}`;
      const money = `${euro(r.backPayments)} na te betalen aan inwoners, ${euro(r.claims)} terug te vorderen`;
      lines.push(`  voorproef: ${what} opnieuw vastgesteld: ${money}`);
    }
    lines.push(
      c.accepted
        ? `  geaccepteerd door ${c.accepted.acceptedBy} op ${dutchInstant(c.accepted.acceptedAt)}: ${c.accepted.reason}`
        : `  niet geaccepteerd: ./cli rules accept ${c.current} --by NAAM --reason "…"`,
    );
  }
  return lines.map((l) => `${l}\n`).join('');
}
