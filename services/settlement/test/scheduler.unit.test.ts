import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@bijstand/platform';
import { startInProcessScheduler } from '../src/scheduler.js';
import type { NightlyRun, NightlySettlement } from '../src/nightlyRun.js';
import { summarize } from '../src/runSummary.js';

const logger = createLogger('test', { level: 'silent' });

/** Records the nights it is asked to run; settles nothing. */
function recordingSettlement() {
  const runs: NightlyRun[] = [];
  const settlement = {
    async runNightly(run: NightlyRun) {
      runs.push(run);
      return summarize(run.runDate, 0, [], []);
    },
  } as unknown as NightlySettlement;
  return { runs, settlement };
}

describe('in-process nightly scheduler on a fake clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    [
      'spring',
      '2027-03-26T12:00:00Z',
      [
        ['2027-03-27', '2027-03-27T01:00:00Z'],
        ['2027-03-28', '2027-03-28T01:00:00Z'],
        ['2027-03-29', '2027-03-29T00:00:00Z'],
      ],
    ],
    [
      'autumn',
      '2027-10-29T12:00:00Z',
      [
        ['2027-10-30', '2027-10-30T00:00:00Z'],
        ['2027-10-31', '2027-10-31T00:00:00Z'],
        ['2027-11-01', '2027-11-01T01:00:00Z'],
      ],
    ],
  ])('runs each night exactly once across the %s clock change of 2027', async (_, start, expected) => {
    vi.useFakeTimers({ now: Date.parse(start) });
    const { runs, settlement } = recordingSettlement();
    const scheduler = startInProcessScheduler(settlement, logger);
    await vi.advanceTimersByTimeAsync(63 * 3600_000);
    await scheduler.stop();
    expect(runs.map((r) => [r.runDate, r.runAt])).toEqual(expected);
  });

  it("catches up at start: today's night when its instant has passed, under its planned instant", async () => {
    vi.useFakeTimers({ now: Date.parse('2027-03-28T09:00:00Z') });
    const { runs, settlement } = recordingSettlement();
    const scheduler = startInProcessScheduler(settlement, logger, { catchUp: true });
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    await scheduler.stop();
    expect(runs.map((r) => [r.runDate, r.runAt])).toEqual([
      ['2027-03-28', '2027-03-28T01:00:00Z'],
      ['2027-03-29', '2027-03-29T00:00:00Z'],
    ]);
  });
});
