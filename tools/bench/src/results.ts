import type { IngestResult, MeasuredNight, ReplayResult } from './phases.js';
import type { SizeBreakdown } from './sizes.js';
import type { StoreTarget } from './stores.js';
import type { WorkplaceResult } from './workplace.js';

/** What the bench measured on one store: the tables of report.ts and headline.ts read it. */
export interface StoreResult extends IngestResult, MeasuredNight, ReplayResult {
  target: StoreTarget;
  /** The same households' night after 1 month of history (its own store), or why it was not measured. */
  oneMonth: MeasuredNight | string;
  /** Bytes on disk of the measured store and what was counted; null where nothing is on disk. */
  size: { bytes: number; how: string } | null;
  breakdown: SizeBreakdown | null;
  /** Months of history in the measured store (household-years = households × months / 12). */
  months: number;
  /** maxRSS of the bench process at the end of this store's phases (monotonic: includes earlier phases). */
  peakRssMiB: number;
  /** The workplace on the measured store; null for the in-memory store. */
  workplace: WorkplaceResult | null;
}
