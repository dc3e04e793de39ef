import { amsterdamInstant, createLogger, readRuntimeEnv, toInstant } from '@bijstand/platform';
import {
  dutchDate,
  emptyStoreText,
  nightRefusedText,
  nightStoppedText,
  nightSummaryText,
  rulesChangeText,
  type NightSummaryView,
} from '@bijstand/documents';
import {
  NightlySettlement,
  RulesChangeNotAcceptedError,
  dryRunNight,
  nightStopSignal,
  refusedNight,
  settleOneNight,
  shownRunSummary,
  type RunSummary,
} from '@bijstand/settlement';
import { EXIT } from '../args.js';
import { progressBar } from '@bijstand/terminal';
import { deploymentMunicipality, requiredDeploymentConfig, withStore } from './shared.js';

/**
 * `run-nightly`: one night for every household, then exit. With REDIS_URL through BullMQ (this process
 * settles too, other workers may help); SIGINT/SIGTERM stops after the current group. An unreachable
 * Redis is an error naming it within seconds, before the night is recorded.
 */
export async function runNightlyCommand(options: {
  date: string;
  at: string;
  municipality?: string;
  store?: string;
  dryRun?: boolean;
  nationalDefaults?: boolean;
  json?: boolean;
}): Promise<void> {
  const env = readRuntimeEnv();
  const runAt = toInstant(amsterdamInstant(options.date, options.at));
  // The summary on stdout says what the info records would ("nightly run finished", "bufferbudget drawn"):
  // at a terminal only warnings and errors, unless LOG_LEVEL asks for more (the worker keeps info).
  const logger = createLogger('settlement', { level: process.env.LOG_LEVEL ? env.LOG_LEVEL : 'warn' });
  await withStore(options, 'existing', async (store) => {
    // Each household under its own municipality's rules (a deployment of several), else the one municipality's.
    const municipalities = await requiredDeploymentConfig(
      env,
      store,
      options,
      'the night is settled under the national tables and default policy',
    );
    if (options.municipality !== undefined) deploymentMunicipality(municipalities, options.municipality);
    const { ctx, rulesVersion } = municipalities.defaultMunicipality;
    const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, {
      cacheHouseholds: env.SETTLEMENT_CACHE_HOUSEHOLDS,
      municipalities,
    });
    const run = { runDate: options.date, runAt };
    // --dry-run: every decision taken, none written; the same summary, with what a rules change would re-settle.
    if (options.dryRun) {
      const dry = await dryRunNight(settlement, run, options.municipality);
      if (dry.changes.length > 0) process.stderr.write(rulesChangeText(dry.changes, dry.resettled));
      if (options.json) process.stdout.write(`${JSON.stringify(dry.report, null, 2)}\n`);
      else process.stdout.write(nightSummaryText(dry.report as unknown as NightSummaryView, runAt, 'dry-run'));
      return;
    }
    const bar = progressBar(`nacht van ${dutchDate(options.date)}`);
    const stop = nightStopSignal(logger);
    let summary: RunSummary;
    try {
      summary = await settleOneNight(settlement, run, logger, {
        redisUrl: env.REDIS_URL,
        householdsPerJob: env.SETTLEMENT_GROUP_SIZE,
        concurrency: env.WORKER_CONCURRENCY,
        onProgress: (d, t) => bar.update(d, t),
        signal: stop.signal,
      });
    } catch (err) {
      if (err instanceof RulesChangeNotAcceptedError) {
        // Nothing was written: say what changed and what the night would do once accepted (the preview).
        bar.finish();
        const refused = await refusedNight(settlement, run, err.changes);
        process.stderr.write(rulesChangeText(refused.changes, refused.resettled));
        process.stderr.write(nightRefusedText(options.date));
        const preview = { ...(refused.report.preview as NightSummaryView), runDate: options.date };
        if (options.json) process.stdout.write(`${JSON.stringify(refused.report, null, 2)}\n`);
        else process.stdout.write(nightSummaryText(preview, runAt, 'preview'));
        process.exitCode = EXIT.failed;
        return;
      }
      if (!stop.signal.aborted) throw err;
      bar.finish();
      process.stderr.write(nightStoppedText(options.date));
      process.exitCode = EXIT.failed;
      return;
    } finally {
      stop.dispose();
    }
    bar.finish();
    const shown = shownRunSummary(summary, options.municipality);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...shown, runAt }, null, 2)}\n`);
    else process.stdout.write(nightSummaryText(shown, runAt));
    // A store without households settles nothing: say so, naming the store (a wrong --store or SQLITE_PATH?).
    if (summary.households === 0) process.stderr.write(emptyStoreText(store.name));
    if (summary.failures.length > 0) process.exitCode = EXIT.failed;
  });
}
