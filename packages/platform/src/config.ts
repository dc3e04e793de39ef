import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isPostgresUrl } from '@bijstand/event-store';
import {
  defaultParameters,
  describeZodError,
  parameterOverridesSchema,
  policySchema,
  withOverrides,
  type DecisionContext,
} from '@bijstand/domain';

/**
 * A municipality's configuration file: its policies (SPEC §2) and, where it must, parameter rows
 * added to the national tables. Validated like every other input.
 */
export const municipalityConfigSchema = z
  .object({
    municipality: z.string().min(1),
    policy: policySchema.partial().default({}),
    parameters: parameterOverridesSchema.optional(),
  })
  .strict();

export type MunicipalityConfig = z.output<typeof municipalityConfigSchema>;

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export function loadMunicipalityConfig(path: string | undefined): { municipality: string; ctx: DecisionContext } {
  if (!path) return { municipality: 'default', ctx: { params: defaultParameters, policy: policySchema.parse({}) } };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigurationError(`${path}: cannot be read as JSON: ${(err as Error).message}`);
  }
  const parsed = municipalityConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigurationError(`${path}: ${describeZodError(parsed.error)}`);
  return {
    municipality: parsed.data.municipality,
    ctx: { params: withOverrides(defaultParameters, parsed.data.parameters), policy: policySchema.parse(parsed.data.policy) },
  };
}

const envSchema = z.object({
  SQLITE_PATH: z.string().default('./data/events.sqlite'),
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
  SETTLEMENT_CACHE_HOUSEHOLDS: z.coerce.number().int().positive().default(10_000),
});

export type RuntimeEnv = z.output<typeof envSchema>;

export function readRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigurationError(`environment: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
