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
 * For the backoffice on stderr: what changed per municipality and what the night would settle again,
 * with the money each way, then how to accept it. Plain text, one fact a line.
 */
export function rulesChangeText(
  changes: readonly RulesChangeView[],
  resettled: Readonly<Record<string, ResettlementView>>,
): string {
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`rules of ${c.municipality} (${c.name}) changed since its last night: ${c.previous} → ${c.current}`);
    for (const line of c.changes) lines.push(`  ${line}`);
    const r = resettled[c.municipality];
    if (r) {
      const what = `${plural(r.months, 'month', 'months')} of ${plural(r.households, 'household', 'households')}`;
      const money = `${euro(r.backPayments)} back to residents, ${euro(r.claims)} claimed from residents`;
      lines.push(`  preview: ${what} settled again: ${money}`);
    }
    lines.push(
      c.accepted
        ? `  accepted by ${c.accepted.acceptedBy} at ${c.accepted.acceptedAt}: ${c.accepted.reason}`
        : `  not accepted: ./cli rules accept ${c.current} --by NAME --reason "…"`,
    );
  }
  return lines.map((l) => `${l}\n`).join('');
}
