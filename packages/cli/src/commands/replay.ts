import { readFileSync } from 'node:fs';
import { readRuntimeEnv } from '@bijstand/platform';
import { UsageError } from '../args.js';
import { municipalityName, replayComparisonText, whatIfText } from '@bijstand/documents';
import { writeDocument } from '@bijstand/documents/output';
import { loadStoredHousehold, objectionReportOf, replayAsOf, whatIfOfText } from '@bijstand/replay';
import { loadAcceptances } from '@bijstand/settlement';
import {
  deploymentConfig,
  nowInstant,
  ownMunicipality,
  readInputFile,
  requiredDeploymentConfig,
  withStore,
} from './shared.js';

export interface ReplayOptions {
  asOf: string;
  rules: 'then' | 'now';
  with?: string;
  report?: string;
  json?: boolean;
  store?: string;
  nationalDefaults?: boolean;
}

export async function replayCommand(householdId: string, options: ReplayOptions): Promise<void> {
  const env = readRuntimeEnv();
  if (options.with !== undefined) readInputFile(options.with);
  await withStore(options, 'read-only', async (store) => {
    // --rules now on a store that had a configuration: refused without it (the comparison would be with other rules).
    const municipalities =
      options.rules === 'now'
        ? await requiredDeploymentConfig(
            env,
            store,
            options,
            "--rules now compares with the national tables and default policy, not the municipality's",
          )
        : deploymentConfig(
            env,
            'nights without recorded rules and the what-if use the national tables and default policy',
          );
    // The runs come resolved for the household's municipality (the rules version it was settled under each night).
    const { stored, runs, rulesByVersion, municipality: code } = await loadStoredHousehold(store, householdId);
    if (stored.length === 0)
      throw new UsageError(`household ${householdId} has no events in this store (${store.name})`);
    // Today's rules (--rules now, nights without recorded rules, the what-if): the household's municipality's.
    const own = await ownMunicipality(householdId, async () => municipalities.resolve(code));
    const { ctx, name: municipality } = own;
    // The case reference starts with the CBS code: a deployment's key, or the letters block's in a single file,
    // so the objection file and the letters of a household share it.
    const municipalityCode = own.code ?? own.letters?.municipalityCode ?? null;
    const configured = municipalities.configured;
    const mode = options.rules;
    const rules = { mode, byVersion: rulesByVersion } as const;
    const comparison = replayAsOf(stored, runs, options.asOf, ctx, rules);
    let whatIfRun;
    if (options.with) {
      const onRejected = (line: string) => process.stderr.write(`${options.with}: ${line}\n`);
      try {
        const text = readFileSync(options.with, 'utf8');
        whatIfRun = whatIfOfText(text, { stored, runs }, options.asOf, ctx, rules, onRejected);
      } catch (err) {
        throw new UsageError(`${options.with}: ${(err as Error).message}`);
      }
    }
    const whatIfReport = whatIfRun?.report;
    const rejectedLines = whatIfRun?.rejectedLines ?? [];
    if (options.report) {
      const report = await objectionReportOf(store, householdId, options.asOf, {
        municipality: municipalityName(configured, municipality),
        issuedOn: nowInstant().slice(0, 10),
        comparison,
        municipalityCode,
        rulesAcceptances: Object.fromEntries(await loadAcceptances(store)),
        ...(whatIfReport ? { whatIf: whatIfReport, whatIfFacts: whatIfRun!.facts } : {}),
      });
      await writeDocument(report, options.report);
    }
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ householdId, asOf: options.asOf, comparison, ...(whatIfReport ? { whatIf: whatIfReport } : {}), ...(rejectedLines.length > 0 ? { rejectedWhatIfLines: rejectedLines } : {}) }, null, 2)}\n`,
      );
      return;
    }
    process.stdout.write(replayComparisonText(comparison, mode) + (whatIfReport ? whatIfText(whatIfReport) : ''));
    if (options.report) process.stderr.write(`report written to ${options.report}\n`);
  });
}
