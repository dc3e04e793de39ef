import { parameterOverridesSchema, policySchema, upcastParameterTables, type DecisionContext } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { RULES_VERSIONS_STREAM } from './streams.js';

/** The tables and policy behind each rules version the nights recorded (`rules-versions`), by version. */
export type RulesByVersion = Map<string, DecisionContext>;

/**
 * A rules version names its content (a hash of tables and policy), so one parsed copy per version
 * serves every replay in this process; the engine's memos (parameter fingerprints) then carry over.
 */
const knownRulesVersions: RulesByVersion = new Map();

export async function loadRulesVersions(store: EventStore): Promise<RulesByVersion> {
  const rules: RulesByVersion = new Map();
  for (const r of await store.readStream(RULES_VERSIONS_STREAM)) {
    const data = r.data as { rulesVersion: string; params: unknown; policy: unknown };
    const known = knownRulesVersions.get(data.rulesVersion);
    if (known) {
      rules.set(data.rulesVersion, known);
      continue;
    }
    // Checked, but used exactly as stored: the same tables give the same fingerprints as then. Tables of
    // rules v2 (aloNoPartnerRate) are first read in the v3 shape: today's engine needs aloSupplementPerYear.
    const params = upcastParameterTables(data.params);
    const tables = parameterOverridesSchema.safeParse(params);
    const policy = policySchema.safeParse(data.policy);
    if (!tables.success || !policy.success)
      throw new Error(`rules version ${data.rulesVersion}: stored tables or policy do not validate`);
    const ctx = { params: params as DecisionContext['params'], policy: data.policy as DecisionContext['policy'] };
    knownRulesVersions.set(data.rulesVersion, ctx);
    rules.set(data.rulesVersion, ctx);
  }
  return rules;
}
