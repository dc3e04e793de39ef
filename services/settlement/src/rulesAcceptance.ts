import type { Instant } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { ConfigurationError, RULES_ACCEPTANCES_STREAM, type Logger, type Municipalities } from '@bijstand/platform';
import { NightlySettlement } from './nightlyRun.js';
import { loadAcceptances, storeHadConfiguration, type RulesAcceptance } from './rulesGate.js';

/** A version this deployment's configuration does not produce (a typo): refused, naming the ones it does. */
export class UnknownRulesVersionError extends Error {
  constructor(
    readonly version: string,
    readonly current: string[],
  ) {
    super(`${version} is not a rules version of this deployment's configuration (it has ${current.join(', ')})`);
    this.name = 'UnknownRulesVersionError';
  }
}

export interface RulesAcceptanceRequest {
  version: string;
  by: string;
  reason: string;
  at: Instant;
}

/** Accepted now (`unchanged`: no municipality's nights change with it), or accepted before (nothing appended). */
export type RulesAcceptanceResult =
  { accepted: true; acceptance: RulesAcceptance; unchanged: boolean } | { accepted: false; already: RulesAcceptance };

/**
 * A rules change is a decision someone takes (issue #21): records who, when and why as a
 * `RulesVersionAccepted` event in `rules-acceptances`; the nights then settle under the version. Only a
 * version this deployment's configuration produces can be accepted; accepting one twice appends nothing.
 */
export async function acceptRulesVersion(
  store: EventStore,
  municipalities: Municipalities,
  request: RulesAcceptanceRequest,
  logger: Logger,
): Promise<RulesAcceptanceResult> {
  const { ctx, rulesVersion } = municipalities.defaultMunicipality;
  const changes = await new NightlySettlement(store, ctx, rulesVersion, logger, { municipalities }).rulesChanges();
  const current = new Set(
    municipalities.mode === 'multi'
      ? [...municipalities.byCode.values()].map((m) => m.rulesVersion)
      : [municipalities.defaultMunicipality.rulesVersion],
  );
  const { version } = request;
  if (!current.has(version)) throw new UnknownRulesVersionError(version, [...current]);
  const already = (await loadAcceptances(store)).get(version);
  if (already) return { accepted: false, already };
  const mine = changes.filter((c) => c.current === version);
  const acceptance: RulesAcceptance = {
    rulesVersion: version,
    acceptedBy: request.by,
    reason: request.reason,
    acceptedAt: request.at,
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
  return { accepted: true, acceptance, unchanged: mine.length === 0 };
}

/** Configuration missing where the store's nights ran under one: a configuration error (exit 2 in the CLI). */
export class MissingConfigurationError extends ConfigurationError {
  constructor(readonly rulesVersion: string) {
    super(
      `MUNICIPALITY_CONFIG is not set, but this store's nights ran under a municipality's configuration ` +
        `(rules version ${rulesVersion}): set MUNICIPALITY_CONFIG to the deployment's file, ` +
        'or pass --national-defaults to use the national tables and default policy on purpose',
    );
    this.name = 'MissingConfigurationError';
  }
}

/**
 * Missing configuration in production is an error: without MUNICIPALITY_CONFIG a store whose nights ran
 * under a municipality's tables or policy is refused, since every household would be settled (or
 * explained) under other rules. A store that never had one (a new deployment) and `nationalDefaults`
 * (on purpose) pass.
 */
export async function requireRecordedConfiguration(
  store: EventStore,
  options: { configured: boolean; nationalDefaults?: boolean },
): Promise<void> {
  if (options.configured || options.nationalDefaults) return;
  const version = await storeHadConfiguration(store);
  if (version) throw new MissingConfigurationError(version);
}
