import { existsSync, readFileSync } from 'node:fs';
import type { EventStore } from '@bijstand/event-store';
import type { BackofficeAction, Ingestor } from '@bijstand/ingest';
import {
  createLogger,
  currentPseudonymKey,
  INSECURE_DEV_KEY_OPT_IN,
  loadMunicipalities,
  readRuntimeEnv,
  storeFromEnv,
  type Municipalities,
  type RuntimeEnv,
  type StoreAccess,
} from '@bijstand/platform';
import type { Instant } from '@bijstand/domain';
import { UsageError } from '../args.js';

export interface StoreOption {
  store?: string;
}

/** Opens the store the options or the environment name for `access`, runs `f`, and always closes it. */
export async function withStore<T>(
  options: StoreOption,
  access: StoreAccess,
  f: (store: EventStore, env: RuntimeEnv) => Promise<T>,
  env: RuntimeEnv = readRuntimeEnv(),
): Promise<T> {
  const store = await storeFromEnv(env, options.store, access);
  try {
    return await f(store, env);
  } finally {
    await store.close();
  }
}

/** Every municipality of the deployment (MUNICIPALITY_CONFIG), with a warning on stderr when none is named. */
export function deploymentConfig(env: RuntimeEnv, consequence: string): Municipalities {
  return warnUnconfigured(loadMunicipalities(env.MUNICIPALITY_CONFIG), consequence);
}

function warnUnconfigured<T extends { configured: boolean }>(loaded: T, consequence: string): T {
  if (!loaded.configured)
    process.stderr.write(
      `warning: MUNICIPALITY_CONFIG is not set: ${consequence} (set it to a file like infra/config/demo-municipality.json)\n`,
    );
  return loaded;
}

/** The household's own municipality (a shared service serves several): one the deployment lacks is a usage error. */
export async function ownMunicipality<T>(householdId: string, resolve: () => Promise<T>): Promise<T> {
  try {
    return await resolve();
  } catch (err) {
    throw new UsageError(`household ${householdId}: ${(err as Error).message}`);
  }
}

/** The deployment's municipalities; without MUNICIPALITY_CONFIG refused on a store that had one (settlement). */
export async function requiredDeploymentConfig(
  env: RuntimeEnv,
  store: EventStore,
  options: { nationalDefaults?: boolean },
  consequence: string,
): Promise<Municipalities> {
  const configured = !!env.MUNICIPALITY_CONFIG;
  // Loaded here, not at the top: settlement brings BullMQ and ioredis, which most commands never use.
  const { requireRecordedConfiguration } = await import('@bijstand/settlement');
  await requireRecordedConfiguration(store, { configured, nationalDefaults: options.nationalDefaults });
  return deploymentConfig(env, consequence);
}

/**
 * `--municipality CODE`: a filter on a household's CaseOpened.municipality. With several municipalities
 * configured the code must be one of them (a household naming none belongs to the default); otherwise
 * the code on CaseOpened is compared as it is.
 */
export function municipalityFilter(
  env: RuntimeEnv,
  code: string | undefined,
): ((municipality: string | null | undefined) => boolean) | undefined {
  if (code === undefined) return undefined;
  const m = loadMunicipalities(env.MUNICIPALITY_CONFIG);
  if (m.mode === 'multi') deploymentMunicipality(m, code);
  return m.belongsTo(code);
}

/** `--municipality CODE` naming one of the deployment's several municipalities. */
export function deploymentMunicipality(m: Municipalities, code: string): string {
  if (m.byCode.has(code)) return code;
  throw new UsageError(
    m.mode === 'multi'
      ? `--municipality: ${code} is not a municipality of this deployment (MUNICIPALITY_CONFIG has ${m.codes.join(', ')})`
      : '--municipality: the summary per municipality needs a MUNICIPALITY_CONFIG with several municipalities',
  );
}

export function readInputFile(file: string): string {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

export function readJsonFile(file: string): unknown {
  const text = readInputFile(file);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

export const nowInstant = (): Instant => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The pseudonym key, checked before a command that makes pseudonyms stores anything (exit 2 without
 * one); with the insecure development key (--insecure-dev-key), one line on stderr says so.
 */
export function requirePseudonymKey(): void {
  // Resolving the key refuses a missing, short or placeholder one.
  if (currentPseudonymKey().insecure && process.env.BSN_PSEUDONYM_KEY === INSECURE_DEV_KEY_OPT_IN) {
    process.stderr.write(
      'waarschuwing: --insecure-dev-key: de BSN-pseudoniemen gebruiken de openbare ontwikkelsleutel; iedereen kan ' +
        'ze terugrekenen (alleen voor synthetische gegevens)\n',
    );
  }
}

/** `--by NAME --reason TEXT` of a backoffice action on a rejected or parked message. */
export interface ActionOptions {
  by: string;
  reason: string;
  store?: string;
}

export const backofficeAction = (o: ActionOptions): BackofficeAction => ({
  by: o.by,
  reason: o.reason,
  at: nowInstant(),
});

/** Ingest as `ingest` has it (the key, the deployment's municipalities): a retry of a rejected or parked message. */
export async function backofficeIngestor(store: EventStore, env: RuntimeEnv): Promise<Ingestor> {
  requirePseudonymKey();
  const { Ingestor } = await import('@bijstand/ingest'); // only for a retry: ingest brings kafkajs
  const municipalities = deploymentConfig(env, 'messages are validated against the national tables and default policy');
  const logger = createLogger('ingest', { level: env.LOG_LEVEL });
  return new Ingestor(store, municipalities.defaultMunicipality.ctx, logger, { municipalities });
}
