import { addDays, monthOf, monthsBetween, type IsoDate } from '../dates.js';
import type { ParameterTables } from '../parameters.js';
import { disregardArticleAt, type DisregardGrant } from './disregard.js';

/*
 * The run rules of the work disregard (SPEC v3 §1.2, §12.2, §12.10): the twelve months of art. 34a(1)(a)
 * count per person over adjoining grants, and a new run after one has ended needs a new employment
 * (art. 34a(3)). v2 checked each grant on its own, so two adjoining grants of 12 months each passed.
 */

/** A work grant being decided: the fields the run rules read. */
export interface WorkGrantRequest {
  bsn: string;
  from: IsoDate;
  to: IsoDate;
  extension?: boolean | undefined;
  newEmploymentFrom?: IsoDate | undefined;
}

/** The law a work grant falls under: art. 34a from 2027, art. 31(2)(n) before; runs never cross laws (§12.2). */
function lawOf(params: ParameterTables, from: IsoDate): string {
  return disregardArticleAt(params, from) === '34a' ? 'art. 34a(1)(a)' : 'art. 31(2)(n)';
}

/** The person's accepted work grants under the same law as a grant from `from`. */
function workGrantsOfPerson(
  bsn: string,
  from: IsoDate,
  accepted: readonly DisregardGrant[],
  params: ParameterTables,
): DisregardGrant[] {
  const law = lawOf(params, from);
  return accepted.filter((x) => x.bsn === bsn && x.kind === 'work' && lawOf(params, x.from) === law);
}

/**
 * The start of the run a grant joins: traced backwards through accepted work grants of the same person
 * and law whose `to` is the day before the next one's `from` (SPEC §12.10).
 */
export function runStartOf(
  g: Pick<WorkGrantRequest, 'bsn' | 'from'>,
  accepted: readonly DisregardGrant[],
  params: ParameterTables,
): IsoDate {
  const own = workGrantsOfPerson(g.bsn, g.from, accepted, params);
  let start = g.from;
  for (;;) {
    const before = own.find((x) => x.to === addDays(start, -1));
    if (!before) return start;
    start = before.from;
  }
}

/**
 * The reason a work grant breaks the run rules, or null when it keeps them. `maxMonths` is that of the
 * table row at the grant's `from`. The reasons name the field, the rule and the article.
 */
export function runRuleViolation(
  g: WorkGrantRequest,
  maxMonths: number | undefined,
  accepted: readonly DisregardGrant[],
  params: ParameterTables,
): string | null {
  const law = lawOf(params, g.from);
  const start = runStartOf(g, accepted, params);
  const months = monthsBetween(monthOf(start), monthOf(g.to)).length;
  if (maxMonths !== undefined && g.extension !== true && months > maxMonths) {
    const exceed = `${months} months exceed the ${maxMonths} of ${law} without extension`;
    return `to: the work disregard of this person runs from ${start}; ${exceed}`;
  }
  // Art. 34a(3): only for art. 34a grants, and only for a grant that starts a run of its own.
  if (law !== 'art. 34a(1)(a)' || start !== g.from) return null;
  const earlier = workGrantsOfPerson(g.bsn, g.from, accepted, params)
    .filter((x) => x.to < g.from)
    .reduce<DisregardGrant | undefined>((latest, x) => (!latest || x.to > latest.to ? x : latest), undefined);
  if (!earlier) return null;
  if (g.newEmploymentFrom === undefined) {
    return (
      `newEmploymentFrom: is required: the work disregard of this person ended on ${earlier.to}; ` +
      'a new one needs a new employment that started after it (art. 34a(3))'
    );
  }
  if (g.newEmploymentFrom <= earlier.to) {
    const end = `${earlier.to}, the end of this person's earlier work disregard`;
    return `newEmploymentFrom: ${g.newEmploymentFrom} is not after ${end} (art. 34a(3))`;
  }
  return null;
}
