import type { NightlyRun, NightlySettlement } from './nightlyRun.js';
import type { ResettlementPreview, RunSummary } from './runSummary.js';
import { municipalityRunSummary } from './oneNight.js';
import type { RulesChange } from './rulesGate.js';

/** With a municipality only that municipality's figures (every household was settled all the same). */
export function shownRunSummary(summary: RunSummary, municipality: string | undefined) {
  return municipality !== undefined ? municipalityRunSummary(summary, municipality) : summary;
}

/** A night decided and not written, as `run-nightly` reports it: the report, and what its rules changes re-settle. */
export interface NightPreview {
  report: Record<string, unknown>;
  changes: RulesChange[];
  resettled: Record<string, ResettlementPreview>;
}

/** `--dry-run`: every decision taken, none written; the same summary, with what a rules change would re-settle. */
export async function dryRunNight(
  settlement: NightlySettlement,
  run: NightlyRun,
  municipality: string | undefined,
): Promise<NightPreview> {
  const changes = await settlement.rulesChanges();
  const dry = await settlement.dryRun(run);
  const shown = { ...shownRunSummary(dry.summary, municipality), runAt: run.runAt, dryRun: true };
  return { report: { ...shown, rulesChanges: changes, resettled: dry.resettled }, changes, resettled: dry.resettled };
}

/** A night refused for rules nobody accepted (nothing written): what changed and what it would do once accepted. */
export async function refusedNight(
  settlement: NightlySettlement,
  run: NightlyRun,
  changes: RulesChange[],
): Promise<NightPreview> {
  const preview = await settlement.dryRun(run);
  const refused = { runDate: run.runDate, runAt: run.runAt, refused: 'rules change not accepted' };
  const report = { ...refused, rulesChanges: changes, preview: { ...preview.summary, resettled: preview.resettled } };
  return { report, changes, resettled: preview.resettled };
}
