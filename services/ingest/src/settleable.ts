import { findInForce, type CaseEvent, type DecisionContext, type ParameterName } from '@bijstand/domain';
import type { Municipalities } from '@bijstand/platform';

/**
 * A case the night cannot settle is refused at ingest, with a reason naming the field, rather than
 * stored and failing every night after: a municipality the deployment does not name (it would fail every
 * night, or in a single-municipality deployment be settled under another municipality's rules without a
 * word), or a start before the parameter tables have a value (SPEC §2: no value → error, never a guess).
 */

/** The tables every month of a case looks up, by category (SPEC §2, §5). */
function tablesFor(category: string): ParameterName[] {
  return category === 'single-parent-no-alo' ? ['norm', 'aloSupplementPerYear'] : ['norm'];
}

function municipalityReason(municipalities: Municipalities, code: string): string | undefined {
  if (municipalities.mode === 'multi')
    return municipalities.byCode.has(code)
      ? undefined
      : `municipality: ${code} is not a municipality of this deployment (MUNICIPALITY_CONFIG has ${municipalities.codes.join(', ')}); no night could settle it (Pw art. 40: the college of the municipality where the person lives)`;
  const which = municipalities.configured
    ? `MUNICIPALITY_CONFIG is the single-municipality file of ${municipalities.deployment}, which names no CBS code`
    : 'MUNICIPALITY_CONFIG is not set';
  return `municipality: ${code} is not named by this deployment (${which}; a deployment file with "municipalities" names them by code); it would be settled under another municipality's rules (Pw art. 40)`;
}

function dateReason(ctx: DecisionContext, category: string, startDate: string): string | undefined {
  for (const table of tablesFor(category)) {
    if (findInForce(ctx.params, table, startDate)) continue;
    const first = ctx.params[table][0]?.validFrom;
    return `startDate: ${startDate} lies before the parameter table ${table} has a value (${first ? `from ${first}` : 'it has no rows'}); no night could settle its months (SPEC §2: no value, never a guess)`;
  }
  return undefined;
}

/**
 * Why the night could not settle this case event, or undefined. Only CaseOpened names a municipality and
 * the case's start; with `municipalities` its code must be one the deployment names, and its tables are
 * that municipality's.
 */
export function unsettleableReason(
  event: CaseEvent,
  ctx: DecisionContext,
  municipalities: Municipalities | undefined,
): string | undefined {
  if (event.type !== 'CaseOpened') return undefined;
  if (municipalities && event.municipality !== undefined) {
    const reason = municipalityReason(municipalities, event.municipality);
    if (reason) return reason;
  }
  const own = municipalities ? municipalities.resolve(event.municipality).ctx : ctx;
  return dateReason(own, event.category, event.startDate);
}
