import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isPostgresUrl } from '@bijstand/event-store';
import {
  defaultParameters,
  describeZodError,
  parameterOverridesSchema,
  policySchema,
  municipalityCode,
  withOverrides,
  type DecisionContext,
} from '@bijstand/domain';
import { checkIban, isSepaText, MAX_NAME_LENGTH, PAIN_VERSIONS, type PainVersion } from '@bijstand/sepa';
import { ConfigurationError } from './errors.js';
import { rulesVersionOf } from './rulesVersion.js';

/**
 * What a municipality's letters (decisions, payment specifications) say about the sender (Awb 3:45: where to
 * object). Every field may be left out of the file, so a file without letters still settles; producing a letter
 * needs them all (`letterDetailsOf` names what is missing). `municipalityCode` (a CBS code) starts the case
 * reference in a single-municipality file; a deployment's key serves there.
 */
export const lettersSchema = z
  .object({
    municipalityCode: municipalityCode.optional(),
    postalAddress: z.string().min(1).max(200).optional(),
    phone: z.string().min(1).max(40).optional(),
    website: z.string().min(1).max(200).optional(),
    objectionAddress: z.string().min(1).max(200).optional(),
    /** The officer who signs on behalf of the college, by role (never a person's name in configuration). */
    signedBy: z.string().min(1).max(200).optional(),
  })
  .strict();

/**
 * The account a municipality pays from and the file its bank takes (`pain.001.001.09` unless its bank asks
 * for `.03`): name, IBAN and BIC as the SEPA guidelines allow them, checked when the file is read.
 */
export const municipalityPaymentsSchema = z
  .object({
    debtorName: z
      .string()
      .min(1)
      .max(MAX_NAME_LENGTH, `at most ${MAX_NAME_LENGTH} characters (EPC SCT guidelines, AT-P001)`)
      .refine(isSepaText, { message: 'only the SEPA character set (EPC SCT guidelines)' }),
    debtorIban: z.string().transform((raw, ctx) => {
      const checked = checkIban(raw);
      if (checked.ok) return checked.iban;
      ctx.addIssue({ code: 'custom', message: checked.reason });
      return z.NEVER;
    }),
    debtorBic: z.string().regex(/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a BIC (ISO 9362)'),
    painVersion: z.enum(PAIN_VERSIONS as [PainVersion, ...PainVersion[]]).default('pain.001.001.09'),
  })
  .strict();

export type MunicipalityPayments = z.output<typeof municipalityPaymentsSchema>;

/**
 * A municipality's configuration file: its policies (SPEC §2) and, where it must, parameter rows
 * added to the national tables. Validated like every other input. (The single-municipality format:
 * a deployment with one municipality, which settles every household.)
 */
export const municipalityConfigSchema = z
  .object({
    municipality: z.string().min(1),
    policy: policySchema.partial().default({}),
    parameters: parameterOverridesSchema.optional(),
    letters: lettersSchema.optional(),
    payments: municipalityPaymentsSchema.optional(),
  })
  .strict();

export type MunicipalityConfig = z.output<typeof municipalityConfigSchema>;

/** An environment variable's name: the secret itself never stands in the file. */
const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
  error: 'must name an environment variable (A-Z, 0-9, _), e.g. ALERT_WEBHOOK_SECRET_GM1680',
});

/** Where one municipality's alerts go: its consultants' webhook, signed with the secret in `webhookSecretEnv`. */
export const municipalityAlertsSchema = z
  .object({
    webhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    webhookSecretEnv: envVarName,
  })
  .strict();

export const municipalityEntrySchema = z
  .object({
    name: z.string().min(1),
    policy: policySchema.partial().default({}),
    parameters: parameterOverridesSchema.optional(),
    alerts: municipalityAlertsSchema.optional(),
    letters: lettersSchema.optional(),
    payments: municipalityPaymentsSchema.optional(),
  })
  .strict();

/**
 * A shared service's deployment: several municipalities (by CBS code), each with its own policy,
 * parameter overrides and alert channel. A household without a municipality on its CaseOpened
 * belongs to `defaultMunicipality`.
 */
export const deploymentConfigSchema = z
  .object({
    deployment: z.string().min(1),
    defaultMunicipality: municipalityCode,
    municipalities: z.record(municipalityCode, municipalityEntrySchema, {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? 'must be a CBS municipality code like GM0106 (the key of each municipality)'
          : undefined,
    }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (Object.keys(c.municipalities).length === 0)
      ctx.addIssue({ code: 'custom', path: ['municipalities'], message: 'must name at least one municipality' });
    else if (!(c.defaultMunicipality in c.municipalities))
      ctx.addIssue({
        code: 'custom',
        path: ['defaultMunicipality'],
        message: `must be one of the municipalities (${Object.keys(c.municipalities).join(', ')})`,
      });
  });

export type DeploymentConfig = z.output<typeof deploymentConfigSchema>;

/** One municipality as the engine uses it: its decision context and the rules version that names it. */
export interface MunicipalitySettings {
  /** CBS code; null for the one municipality of a single-municipality deployment (its file names none). */
  code: string | null;
  name: string;
  ctx: DecisionContext;
  rulesVersion: string;
  alerts?: { webhookUrl: string; webhookSecretEnv: string };
  letters?: z.output<typeof lettersSchema>;
  /** Where its payments come from (SEPA debtor); absent: no payment file can be made for it. */
  payments?: MunicipalityPayments;
}

/** A household whose municipality the deployment does not settle for. */
export class UnknownMunicipalityError extends Error {
  constructor(
    readonly code: string,
    configured: readonly string[],
  ) {
    super(
      `municipality ${code} is not configured in this deployment (MUNICIPALITY_CONFIG has ${configured.join(', ')})`,
    );
    this.name = 'UnknownMunicipalityError';
  }
}

/**
 * The municipalities of a deployment. `single`: one municipality settles every household, whatever
 * its CaseOpened says (the single-municipality file, or none: the national tables and default policy).
 * `multi`: each household under its own municipality; one without a code under the default; one with a
 * code not configured is refused (never settled under another municipality's rules).
 */
export class Municipalities {
  readonly byCode: ReadonlyMap<string, MunicipalitySettings>;
  constructor(
    readonly mode: 'single' | 'multi',
    readonly deployment: string,
    readonly defaultMunicipality: MunicipalitySettings,
    all: readonly MunicipalitySettings[],
    /** false: no file was named (national tables, default policy). */
    readonly configured: boolean,
  ) {
    this.byCode = new Map(all.filter((m) => m.code !== null).map((m) => [m.code!, m]));
  }

  get codes(): string[] {
    return [...this.byCode.keys()];
  }

  /** The name the deployment goes by: the shared service's (several municipalities), else the one municipality's. */
  get name(): string {
    return this.mode === 'multi' ? this.deployment : this.defaultMunicipality.name;
  }

  /** The code a household belongs to: its own, else (multi) the default's; null in a single deployment without one. */
  codeOf(municipality: string | null | undefined): string | null {
    if (municipality) return municipality;
    return this.mode === 'multi' ? this.defaultMunicipality.code : null;
  }

  /** The municipality whose rules settle a household with this CaseOpened.municipality. */
  resolve(municipality: string | null | undefined): MunicipalitySettings {
    if (this.mode === 'single') return this.defaultMunicipality;
    const code = this.codeOf(municipality)!;
    const m = this.byCode.get(code);
    if (!m) throw new UnknownMunicipalityError(code, this.codes);
    return m;
  }

  /** A filter on households: true when a household with this CaseOpened.municipality belongs to `code`. */
  belongsTo(code: string): (municipality: string | null | undefined) => boolean {
    return (municipality) => this.codeOf(municipality) === code;
  }
}

function settings(
  code: string | null,
  name: string,
  policy: unknown,
  parameters: DeploymentConfig['municipalities'][string]['parameters'],
  alerts?: MunicipalitySettings['alerts'],
  letters?: MunicipalitySettings['letters'],
  payments?: MunicipalityPayments,
): MunicipalitySettings {
  const ctx: DecisionContext = {
    params: withOverrides(defaultParameters, parameters),
    policy: policySchema.parse(policy),
  };
  return {
    code,
    name,
    ctx,
    rulesVersion: rulesVersionOf(ctx.params, ctx.policy),
    ...(alerts ? { alerts } : {}),
    ...(letters ? { letters } : {}),
    ...(payments ? { payments } : {}),
  };
}

function readConfigJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigurationError(`${path}: cannot be read as JSON: ${(err as Error).message}`);
  }
}

/** Secrets never stand in the file: a key that looks like one is refused with where it belongs. */
function refuseSecrets(path: string, raw: unknown, at: string[] = []): void {
  if (!raw || typeof raw !== 'object') return;
  for (const [k, v] of Object.entries(raw)) {
    if (/secret|password|token/i.test(k) && !/Env$/.test(k))
      throw new ConfigurationError(
        `${path}: ${[...at, k].join('.')}: a secret must not be in the configuration file; name the environment variable that holds it (webhookSecretEnv)`,
      );
    refuseSecrets(path, v, [...at, k]);
  }
}

/**
 * MUNICIPALITY_CONFIG: either the single-municipality format ({municipality, policy, parameters},
 * as before: one municipality, every household) or a deployment ({deployment, defaultMunicipality,
 * municipalities: {GMxxxx: {name, policy, parameters, alerts}}}). Errors name the file and the field.
 */
export function loadMunicipalities(path: string | undefined): Municipalities {
  if (!path) {
    const only = settings(null, 'default', {}, undefined);
    return new Municipalities('single', 'default', only, [only], false);
  }
  const raw = readConfigJson(path);
  refuseSecrets(path, raw);
  if (raw && typeof raw === 'object' && 'municipalities' in raw) {
    const parsed = deploymentConfigSchema.safeParse(raw);
    if (!parsed.success) throw new ConfigurationError(`${path}: ${describeZodError(parsed.error)}`);
    const all = Object.entries(parsed.data.municipalities)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, m]) => settings(code, m.name, m.policy, m.parameters, m.alerts, m.letters, m.payments));
    return new Municipalities(
      'multi',
      parsed.data.deployment,
      all.find((m) => m.code === parsed.data.defaultMunicipality)!,
      all,
      true,
    );
  }
  const parsed = municipalityConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigurationError(`${path}: ${describeZodError(parsed.error)}`);
  const { municipality, policy, parameters, letters, payments } = parsed.data;
  const only = settings(null, municipality, policy, parameters, undefined, letters, payments);
  return new Municipalities('single', municipality, only, [only], true);
}

/**
 * The default municipality's name and rules (every household's in a single-municipality deployment).
 * `configured` is false when no file is named: the national tables and default policy apply.
 */
export function loadMunicipalityConfig(path: string | undefined): {
  municipality: string;
  ctx: DecisionContext;
  configured: boolean;
} {
  const m = loadMunicipalities(path);
  return { municipality: m.defaultMunicipality.name, ctx: m.defaultMunicipality.ctx, configured: m.configured };
}

/**
 * The one default store of the demo and every command: `data/events.sqlite` in the repository,
 * wherever the command is started from.
 */
export const DEFAULT_SQLITE_PATH = fileURLToPath(new URL('../../../data/events.sqlite', import.meta.url));

const positiveInt = z.coerce.number().int().positive();

/** A time limit in milliseconds: at least 100 ms (a healthy service answers well within), at most 5 minutes. */
const timeLimitMs = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100 (milliseconds)')
    .max(300_000, 'must be at most 300000 (5 minutes, in milliseconds)')
    .default(fallback);

/**
 * How long Redis and PostgreSQL may stay silent before a night, a worker or a command gives up naming the
 * service (issue #21). The defaults suit a production network; operators can tune them, tests set them low.
 */
const timeLimitsSchema = z.object({
  /** A new Redis connection, handshake included. */
  REDIS_CONNECT_TIMEOUT_MS: timeLimitMs(5_000),
  /** A non-blocking Redis command (the queue's, the progress polls), also one queued while disconnected. */
  REDIS_COMMAND_TIMEOUT_MS: timeLimitMs(10_000),
  /** A new PostgreSQL connection (EVENTSTORE_URL), handshake included, or a wait for a pooled one. */
  EVENTSTORE_CONNECT_TIMEOUT_MS: timeLimitMs(15_000),
});

export type TimeLimits = z.output<typeof timeLimitsSchema>;

/** The time limits of the environment, validated (a ConfigurationError names the variable and its bounds). */
export function timeLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): TimeLimits {
  const parsed = timeLimitsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigurationError(`environment: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

const envSchema = z
  .object({
    ...timeLimitsSchema.shape,
    SQLITE_PATH: z.string().min(1).default(DEFAULT_SQLITE_PATH),
    /** PostgreSQL event store; chosen by eventStoreConfigFromEnv. The message never repeats the URL, which may hold a password. */
    EVENTSTORE_URL: z
      .string()
      .optional()
      .refine((url) => !url || isPostgresUrl(url), 'must start with postgres:// or postgresql://'),
    EVENTSTORE_CONNECTION_STRING: z.string().optional(),
    REDIS_URL: z.string().optional(),
    KAFKA_BROKERS: z.string().optional(),
    KAFKA_GROUP_ID: z.string().default('bijstand-ingest'),
    KAFKA_STATEMENT_TOPIC: z.string().default('polis.income-statements'),
    KAFKA_CASE_TOPIC: z.string().default('case.events'),
    MUNICIPALITY_CONFIG: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Household states a settlement process keeps in memory (least recently used out); ~20-80 KiB each. */
    SETTLEMENT_CACHE_HOUSEHOLDS: positiveInt.default(10_000),
    /** Households per settlement job (one commit each). */
    SETTLEMENT_GROUP_SIZE: positiveInt.default(50),
    /** Settlement jobs in flight per worker process. */
    WORKER_CONCURRENCY: positiveInt.default(4),
    /** The worker's /health and /metrics; 0 takes any free port (logged at start). */
    OPS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
    OPS_HOST: z.string().min(1).default('127.0.0.1'),
    ALERT_WEBHOOK_URL: z.url().optional(),
    ALERT_WEBHOOK_SECRET: z.string().min(1).optional(),
  })
  .refine((e) => !e.ALERT_WEBHOOK_URL || e.ALERT_WEBHOOK_SECRET, {
    path: ['ALERT_WEBHOOK_SECRET'],
    error: 'must be set with ALERT_WEBHOOK_URL',
  });

export type RuntimeEnv = z.output<typeof envSchema>;

export function readRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigurationError(`environment: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** The sender of a municipality's letters, complete: what a decision must state (Awb 3:45, 6:5) and whom to call. */
export interface LetterSender {
  municipality: string;
  municipalityCode: string;
  postalAddress: string;
  phone: string;
  website: string;
  objectionAddress: string;
  signedBy: string;
}

const LETTER_FIELDS = ['postalAddress', 'phone', 'website', 'objectionAddress', 'signedBy'] as const;

/**
 * The letters block of a municipality, complete, or the fields it lacks (named as in the file, e.g.
 * `letters.phone`): a decision without an objection address or a sender is not a letter a municipality can send.
 */
export function letterSenderOf(m: MunicipalitySettings): { sender: LetterSender } | { missing: string[] } {
  const l = m.letters ?? {};
  const code = m.code ?? l.municipalityCode;
  const missing = [
    ...(code ? [] : ['letters.municipalityCode']),
    ...LETTER_FIELDS.filter((f) => !l[f]).map((f) => `letters.${f}`),
  ];
  if (missing.length > 0 || !code) return { missing };
  return {
    sender: {
      municipality: m.name,
      municipalityCode: code,
      postalAddress: l.postalAddress!,
      phone: l.phone!,
      website: l.website!,
      objectionAddress: l.objectionAddress!,
      signedBy: l.signedBy!,
    },
  };
}
