import { bsnPseudonym } from './ids.js';

export const HOUSEHOLD_STREAM_PREFIX = 'household-';
export const REJECTED_STREAM = 'ingest-rejected';
export const ALERTS_STREAM = 'alerts';
/** One event per nightly run date: its instant and rules version (replay re-runs these nights). */
export const NIGHTLY_RUNS_STREAM = 'nightly-runs';
/** One event per rules version: the parameter tables and policy behind it (replay under the rules of then). */
export const RULES_VERSIONS_STREAM = 'rules-versions';

export const householdStream = (householdId: string) => `${HOUSEHOLD_STREAM_PREFIX}${householdId}`;
export const householdIdOfStream = (stream: string) => stream.slice(HOUSEHOLD_STREAM_PREFIX.length);
/** bsn → household membership, by pseudonym: routes statements to their household. */
export const memberStream = (bsn: string) => `member-${bsnPseudonym(bsn)}`;
/** Statements whose BSN belongs to no open case yet wait here until a case with that member opens. */
export const parkedStream = (bsn: string) => `parked-${bsnPseudonym(bsn)}`;
