import { createLogger, readRuntimeEnv } from '@bijstand/platform';
import { acceptRulesVersion, UnknownRulesVersionError } from '@bijstand/settlement';
import { UsageError } from '../args.js';
import { nowInstant, requiredDeploymentConfig, withStore } from './shared.js';

/** `rules accept VERSION --by NAME --reason …`: the acceptance (settlement's rulesAcceptance.ts), printed. */
export async function rulesAcceptCommand(
  version: string,
  options: { by: string; reason: string; store?: string; nationalDefaults?: boolean },
): Promise<void> {
  const env = readRuntimeEnv();
  const logger = createLogger('rules', { level: env.LOG_LEVEL });
  await withStore(options, 'existing', async (store) => {
    const municipalities = await requiredDeploymentConfig(env, store, options, 'accepting the national tables');
    const request = { version, by: options.by, reason: options.reason, at: nowInstant() };
    const result = await acceptRulesVersion(store, municipalities, request, logger).catch((err: unknown) => {
      throw err instanceof UnknownRulesVersionError ? new UsageError(err.message) : err;
    });
    if (!result.accepted) {
      const { acceptedBy, acceptedAt } = result.already;
      process.stderr.write(`${version} was accepted already by ${acceptedBy} at ${acceptedAt}\n`);
      return;
    }
    process.stdout.write(`${JSON.stringify(result.acceptance, null, 2)}\n`);
    if (result.unchanged)
      process.stderr.write(`note: no municipality's nights change with ${version}; accepted all the same\n`);
  });
}
