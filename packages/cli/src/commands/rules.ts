import { createLogger, readRuntimeEnv, RULES_ACCEPTANCES_STREAM } from '@bijstand/platform';
import { loadAcceptances, NightlySettlement, type RulesAcceptance } from '@bijstand/settlement';
import { UsageError } from '../args.js';
import { nowInstant, requiredDeploymentConfig, withStore } from './shared.js';

/**
 * `rules accept VERSION --by NAME --reason …`: a rules change is a decision someone takes. Records who,
 * when and why (an event in `rules-acceptances`); the nights then settle under VERSION. Only a version
 * this deployment's configuration produces can be accepted (a typo is refused, naming the ones it does).
 */
export async function rulesAcceptCommand(
  version: string,
  options: { by: string; reason: string; store?: string; nationalDefaults?: boolean },
): Promise<void> {
  const env = readRuntimeEnv();
  const logger = createLogger('rules', { level: env.LOG_LEVEL });
  await withStore(options, 'existing', async (store) => {
    const municipalities = await requiredDeploymentConfig(env, store, options, 'accepting the national tables');
    const { ctx, rulesVersion } = municipalities.defaultMunicipality;
    const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, { municipalities });
    const changes = await settlement.rulesChanges();
    const current = new Set(
      municipalities.mode === 'multi'
        ? [...municipalities.byCode.values()].map((m) => m.rulesVersion)
        : [municipalities.defaultMunicipality.rulesVersion],
    );
    if (!current.has(version))
      throw new UsageError(
        `${version} is not a rules version of this deployment's configuration (it has ${[...current].join(', ')})`,
      );
    const already = (await loadAcceptances(store)).get(version);
    if (already) {
      process.stderr.write(`${version} was accepted already by ${already.acceptedBy} at ${already.acceptedAt}\n`);
      return;
    }
    const mine = changes.filter((c) => c.current === version);
    const acceptance: RulesAcceptance = {
      rulesVersion: version,
      acceptedBy: options.by,
      reason: options.reason,
      acceptedAt: nowInstant(),
      municipalities: Object.fromEntries(mine.map((c) => [c.municipality, c.previous])),
      changes: [...new Set(mine.flatMap((c) => c.changes))],
    };
    await store.append(RULES_ACCEPTANCES_STREAM, [
      {
        eventId: `accept:${version}`,
        type: 'RulesVersionAccepted',
        schemaVersion: 1,
        recordedAt: acceptance.acceptedAt,
        data: acceptance,
      },
    ]);
    process.stdout.write(`${JSON.stringify(acceptance, null, 2)}\n`);
    if (mine.length === 0)
      process.stderr.write(`note: no municipality's nights change with ${version}; accepted all the same\n`);
  });
}
