import { fmt, money, ZERO, type Instant, type IsoDate } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import { canonicalJson, maskBsnRuns, NIGHTLY_RUN_RESULTS_STREAM, sha256Hex } from '@bijstand/platform';
import { readNights } from './rulesGate.js';
import type { RunSummary } from './runSummary.js';

/**
 * What a night came to, kept in the store (`nightly-run-results`) so the backoffice sees the households it
 * could not settle without the log: the figures and, per failed household, its id and a short reason.
 * Recorded when a night ends, in-process or by the queue worker that settled its last group (a group job
 * that failed for good counts its households as failed). A night run again records its new result.
 */
export const NIGHTLY_RUN_COMPLETED = 'NightlyRunCompleted';

/** The reasons are error messages: one line, at most this long, BSN-like runs masked. */
const MAX_REASON = 200;

export interface HouseholdFailure {
  householdId: string;
  reason: string;
}

export interface NightResult {
  runDate: IsoDate;
  runAt: Instant;
  households: number;
  monthsSettled: number;
  paymentsMade: number;
  paid: string;
  alerts: number;
  eventsAppended: number;
  failures: HouseholdFailure[];
  held?: RunSummary['held'];
}

/** A recorded night (nightly-runs) with its newest result; null while it runs, or for a night from before results. */
export interface RunHistoryEntry {
  runDate: IsoDate;
  runAt: Instant;
  rulesVersion: string;
  held: string[];
  result: NightResult | null;
}

/** An error message as a failure's reason: its first line, bounded, masked. */
export function shortReason(error: string): string {
  const line = maskBsnRuns(error.split('\n')[0]!.trim());
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

export function nightResultOf(runAt: Instant, summary: RunSummary): NightResult {
  return {
    runDate: summary.runDate,
    runAt,
    households: summary.households,
    monthsSettled: summary.monthsSettled,
    paymentsMade: summary.paymentsMade,
    paid: summary.paid,
    alerts: summary.alerts,
    eventsAppended: summary.eventsAppended,
    failures: summary.failures.map((f) => ({ householdId: maskBsnRuns(f.householdId), reason: shortReason(f.error) })),
    ...(summary.held ? { held: summary.held } : {}),
  };
}

/**
 * Records the night's result. A date run again records only what is new: decisions it appended (a night
 * finished after a stop), or other failures (a household fixed, or failing now); a re-run that changed
 * nothing, or another worker that saw the last group end too, records nothing.
 */
export async function recordNightResult(
  store: EventStore,
  runAt: Instant,
  summary: RunSummary,
  /** The results recorded so far (NightlySettlement reads them once per process: streamTail.ts). */
  results: () => Promise<readonly NightResult[]>,
): Promise<NightResult> {
  const data = nightResultOf(runAt, summary);
  const last = (await results()).filter((r) => r.runDate === data.runDate).at(-1);
  const sameFailures = last && canonicalJson(last.failures) === canonicalJson(data.failures);
  if (last && sameFailures && data.eventsAppended === 0) return data;
  await store.append(NIGHTLY_RUN_RESULTS_STREAM, [
    {
      eventId: `completed:${data.runDate}:${sha256Hex(canonicalJson(data)).slice(0, 16)}`,
      type: NIGHTLY_RUN_COMPLETED,
      schemaVersion: 1,
      recordedAt: runAt,
      data,
    },
  ]);
  return data;
}

async function readResults(store: EventStore): Promise<NightResult[]> {
  return (await store.readStream(NIGHTLY_RUN_RESULTS_STREAM)).map(nightResultOfEvent);
}

export const nightResultOfEvent = (e: RecordedEvent): NightResult => e.data as NightResult;

/**
 * A night's results together: what each run of the date appended is its own (a decision is stored once),
 * so the figures add up; the households and failures are the newest run's.
 */
function together(results: readonly NightResult[]): NightResult {
  const newest = results.at(-1)!;
  const sum = (f: (r: NightResult) => number) => results.reduce((t, r) => t + f(r), 0);
  return {
    ...newest,
    monthsSettled: sum((r) => r.monthsSettled),
    paymentsMade: sum((r) => r.paymentsMade),
    paid: fmt(results.reduce((t, r) => money(t.plus(r.paid)), ZERO)),
    alerts: sum((r) => r.alerts),
    eventsAppended: sum((r) => r.eventsAppended),
  };
}

/** The recorded nights, newest first (at most `last`), each with its newest result. */
export async function runHistory(store: EventStore, options: { last?: number } = {}): Promise<RunHistoryEntry[]> {
  const results = new Map<string, NightResult[]>();
  for (const r of await readResults(store)) results.set(r.runDate, [...(results.get(r.runDate) ?? []), r]);
  const byDate = new Map<string, RunHistoryEntry>();
  for (const night of await readNights(store)) {
    // The same date run again after an acceptance is recorded again, whole: the newest record counts.
    const { runDate, runAt, rulesVersion } = night;
    const ofNight = results.get(runDate);
    byDate.set(runDate, {
      runDate,
      runAt,
      rulesVersion,
      held: night.held ?? [],
      result: ofNight ? together(ofNight) : null,
    });
  }
  const newestFirst = [...byDate.values()].sort((a, b) => (a.runDate < b.runDate ? 1 : a.runDate > b.runDate ? -1 : 0));
  return options.last === undefined ? newestFirst : newestFirst.slice(0, options.last);
}
