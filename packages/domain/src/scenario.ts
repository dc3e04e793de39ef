import { z } from 'zod';
import {
  instant,
  isoDate,
  policySchema,
  polisIncomeStatementSchema,
  caseEventSchema,
  describeZodError,
  type CaseEvent,
  type PolisIncomeStatement,
  type Policy,
} from './schemas.js';
import {
  parameterOverridesSchema,
  withOverrides,
  type ParameterOverrides,
  type ParameterTables,
} from './parameters.js';
import { addDays, type Instant, type IsoDate } from './dates.js';

/**
 * SPEC §11: a scenario is one household's inputs and a range of nightly runs on a virtual clock. The file
 * checks only an input's place on the clock and that it holds one message; the message itself is checked
 * when it is recorded, so that a schema-invalid one is rejected and the rest runs (SPEC §11, §12.13).
 */
const scenarioInputSchema = z
  .object({ recordedAt: instant, statement: z.unknown().optional(), case: z.unknown().optional() })
  .strict()
  .superRefine((i, ctx) => {
    if ((i.statement === undefined) === (i.case === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must hold exactly one of statement or case' });
    }
  });

export const scenarioSchema = z
  .object({
    description: z.string().optional(),
    policy: policySchema.partial().optional(),
    parameters: parameterOverridesSchema.optional(),
    inputs: z.array(scenarioInputSchema),
    runs: z
      .object({
        from: isoDate,
        to: isoDate,
        at: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time HH:MM' })
          .default('02:00'),
      })
      .strict()
      .superRefine((r, ctx) => {
        if (r.from > r.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      }),
  })
  .strict();

/** An input whose message fails its schema: recorded as rejected with the reason (SPEC §12.13). */
export interface InvalidScenarioInput {
  recordedAt: Instant;
  invalid: string;
  statement?: undefined;
  case?: undefined;
}

export type ScenarioInput =
  | { recordedAt: Instant; statement: PolisIncomeStatement; case?: undefined; invalid?: undefined }
  | { recordedAt: Instant; case: CaseEvent; statement?: undefined; invalid?: undefined }
  | InvalidScenarioInput;

export interface Scenario {
  description?: string | undefined;
  policy: Policy;
  parameters: ParameterTables;
  parameterOverrides: ParameterOverrides | undefined;
  inputs: ScenarioInput[];
  /** The inputs as written in the file (same order), for drivers that ingest the raw messages. */
  rawInputs: Array<{ recordedAt: Instant; statement?: unknown; case?: unknown }>;
  runs: { from: IsoDate; to: IsoDate; at: string };
}

export class ScenarioInvalid extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ScenarioInvalid';
  }
}

/** Validate a scenario file's JSON; the error names every wrong field by its path. */
export function parseScenario(raw: unknown, baseParameters: ParameterTables): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) throw new ScenarioInvalid(describeZodError(result.error));
  const s = result.data;
  return {
    description: s.description,
    policy: policySchema.parse(s.policy ?? {}),
    parameters: withOverrides(baseParameters, s.parameters),
    parameterOverrides: s.parameters,
    inputs: s.inputs.map(checkInput),
    rawInputs: (raw as { inputs: Scenario['rawInputs'] }).inputs,
    runs: s.runs,
  };
}

/** An input's message through its schema; a failing one keeps its place on the clock and its reason. */
function checkInput(input: { recordedAt: Instant; statement?: unknown; case?: unknown }): ScenarioInput {
  const { recordedAt } = input;
  if (input.statement !== undefined) {
    const r = polisIncomeStatementSchema.safeParse(input.statement);
    return r.success ? { recordedAt, statement: r.data } : { recordedAt, invalid: describeZodError(r.error) };
  }
  const r = caseEventSchema.safeParse(input.case);
  return r.success ? { recordedAt, case: r.data } : { recordedAt, invalid: describeZodError(r.error) };
}

/** Milliseconds since the epoch of an ISO instant; comparing strings would misorder "…09:00Z" and "…09:00:00Z". */
export function instantMillis(i: Instant): number {
  return Date.parse(i);
}

/** Inputs in recording order: by recordedAt, equal instants in file order (SPEC §11). */
export function inputsInRecordingOrder<T extends { recordedAt: Instant }>(inputs: readonly T[]): T[] {
  return inputs
    .map((input, position) => ({ input, position, at: instantMillis(input.recordedAt) }))
    .sort((a, b) => a.at - b.at || a.position - b.position)
    .map((x) => x.input);
}

/** The instants of the nightly runs: every day from `from` to `to` at `at` UTC. */
export function runInstants(runs: Scenario['runs']): Array<{ date: IsoDate; at: Instant }> {
  const out: Array<{ date: IsoDate; at: Instant }> = [];
  for (let d = runs.from; d <= runs.to; d = addDays(d, 1)) out.push({ date: d, at: `${d}T${runs.at}:00Z` });
  return out;
}

/** A scenario is one household: the id named by its case events. */
export function householdIdOfCaseInputs(inputs: readonly ScenarioInput[]): string | null {
  for (const i of inputs) if (i.case) return i.case.householdId;
  return null;
}
