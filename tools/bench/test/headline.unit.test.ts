import { describe, expect, it } from 'vitest';
import { headlineTable, nightlyRatio, verdict, type HeadlineRun } from '../src/headline.js';
import type { StoreResult } from '../src/results.js';
import type { ScaleOutResult } from '../src/scaleOut.js';
import type { StoreTarget } from '../src/stores.js';

/** A store as the table sees it: its kind and label (nothing is opened). */
const target = (kind: StoreTarget['kind'], label: string) => ({ kind, label }) as StoreTarget;
const sqlite = target('sqlite', 'SQLite (WAL)');
const postgres = target('postgres', 'PostgreSQL 15.18');

/** The 2026-12-02 figures of BENCHMARKS.md, with a 1-month night of 1,000 and 1,600 households/s. */
function result(over: Partial<StoreResult> & Pick<StoreResult, 'target'>): StoreResult {
  return {
    months: 12,
    statements: 26_740,
    ingestSeconds: 26_740 / 4_435,
    households: 20_000,
    nightSeconds: 20,
    monthsSettled: 20_000,
    oneMonth: { households: 20_000, nightSeconds: 12.5, monthsSettled: 20_000 },
    size: { bytes: 19.2 * 1024 * 20_000, how: 'file' },
    breakdown: null,
    replayP50: 28.6,
    replayP95: 59.8,
    replayCpuP50: 31.4,
    replayCpuP95: 79.2,
    replayHistoryMonths: 60,
    workplace: null,
    peakRssMiB: 1932,
    ...over,
  };
}

const scaleOutOf = (t: StoreTarget, twoSeconds: number, households = 20_000): ScaleOutResult => ({
  target: t,
  rows: [
    { workers: 1, households, seconds: 25.6, peaksMiB: [636] },
    { workers: 2, households, seconds: twoSeconds, peaksMiB: [429, null] },
  ],
});

describe("issue #26's table", () => {
  it('says met at the bound and missed by the distance, in the figure’s unit, with thousands separators', () => {
    expect(verdict(15, 15, true, ' KiB', 1)).toBe('met');
    expect(verdict(19.2, 15, true, ' KiB', 1)).toBe('missed by 4.2 KiB');
    expect(verdict(10_000, 10_000, false, '/s')).toBe('met');
    expect(verdict(4_435, 20_000, false, '/s')).toBe('missed by 15,565/s');
  });

  it('divides the nightly rate at 12 months by the rate at 1 month of the same population', () => {
    // 20,000 in 20 s (1,000/s) after 12 months; 20,000 in 12.5 s (1,600/s) after 1 month.
    expect(nightlyRatio(result({ target: sqlite }))).toBe(0.625);
    expect(nightlyRatio(result({ target: sqlite, oneMonth: 'BENCH_RATIO=0' }))).toBeNull();
  });

  it('renders one row per target, one column per store, the figure and met / missed by how much', () => {
    const run: HeadlineRun = {
      households: 20_000,
      months: 12,
      results: [
        result({ target: sqlite }),
        result({
          target: postgres,
          ingestSeconds: 26_740 / 755,
          nightSeconds: 10,
          oneMonth: { households: 20_000, nightSeconds: 9, monthsSettled: 20_000 },
          size: { bytes: 25.2 * 1024 * 20_000, how: 'pg' },
          replayP50: 32.2,
          replayP95: 29.5,
          replayCpuP50: 33.4,
          replayCpuP95: 93.1,
        }),
      ],
      scaleOuts: [scaleOutOf(sqlite, 12.5), scaleOutOf(postgres, 21.6)],
    };
    expect(headlineTable(run).split('\n')).toEqual([
      '| row | SQLite (WAL) | PostgreSQL 15.18 | target |',
      '|---|---|---|---|',
      '| ingest, statements/s | 4,435 statements/s: missed by 15,565/s | 755 statements/s: missed by 9,245/s ' +
        '| ≥ 20,000 SQLite, ≥ 10,000 PostgreSQL |',
      '| nightly, households/s, one process, 12 months of history (cold) | 1,000 households/s (20,000 in 20.0 s) ' +
        '| 2,000 households/s (20,000 in 10.0 s) ' +
        '| none of its own (the ratio and the national night are its targets) |',
      '| nightly households/s at 12 months of history ÷ at 1 month (the same 20,000 households) ' +
        '| 0.63 (1,000 ÷ 1,600 households/s): missed by 0.28 | 0.90 (2,000 ÷ 2,222 households/s): met | ≥ 0.9 |',
      '| national night: 400,000 households, 2 worker processes, PostgreSQL | — (PostgreSQL only) ' +
        '| not measured in this run (BENCH_HOUSEHOLDS=400000 BENCH_MONTHS=3 …: the command below); ' +
        'this run: 20,000 households in 21.6 s | ≤ 240 s with ≥ 3 months of history |',
      '| replay p95, 5 years of daily nights ' +
        '| 59.8 ms (p50 28.6 ms; CPU p50 / p95 31.4 / 79.2 ms): missed by 29.8 ms ' +
        '| 29.5 ms (p50 32.2 ms; CPU p50 / p95 33.4 / 93.1 ms): met | ≤ 30 ms |',
      '| KiB per household-year (12 months) | 19.2 KiB: missed by 4.2 KiB | 25.2 KiB: missed by 5.2 KiB ' +
        '| ≤ 15 SQLite, ≤ 20 PostgreSQL |',
      "| worker peak RSS | 636 MiB, the largest of the scale-out's 2 worker processes: met " +
        "| 636 MiB, the largest of the scale-out's 2 worker processes: met | ≤ 1 GiB (1024 MiB) |",
      '',
      'The national night: `NODE_OPTIONS=--max-old-space-size=8192 BENCH_HOUSEHOLDS=400000 BENCH_MONTHS=3 ' +
        'BENCH_STORES=postgres BENCH_INGEST_HOUSEHOLDS=2000 BENCH_RATIO=0 BENCH_REPLAY_HOUSEHOLDS=0 ' +
        'BENCH_WORKPLACE=0 ' +
        'BENCH_SCALEOUT_WORKERS=2 make bench`',
    ]);
  });

  it('takes the national night from the 2-worker scale-out on PostgreSQL at 400,000 households, ≥ 3 months', () => {
    const national = (months: number, seconds: number) =>
      headlineTable({
        households: 400_000,
        months,
        results: [result({ target: postgres, months, households: 398_472 })],
        scaleOuts: [scaleOutOf(postgres, seconds, 398_472)],
      })
        .split('\n')
        .find((line) => line.startsWith('| national night'));
    expect(national(3, 248.4)).toBe(
      '| national night: 400,000 households, 2 worker processes, PostgreSQL ' +
        '| 248.4 s (398,472 households with a case, 3 months of history): missed by 8.4 s ' +
        '| ≤ 240 s with ≥ 3 months of history |',
    );
    expect(national(12, 239.9)).toContain('239.9 s (398,472 households with a case, 12 months of history): met');
    expect(national(1, 200)).toContain(
      '200.0 s (398,472 households with a case, 1 month of history): does not count, the target asks ≥ 3 months',
    );
  });

  it('says what was not measured in this run, and why', () => {
    const text = headlineTable({
      households: 300,
      months: 2,
      results: [result({ target: sqlite, months: 2, oneMonth: 'BENCH_RATIO=0', replayP95: Number.NaN })],
      scaleOuts: ['Scale-out not measured (BENCH_SCALEOUT=0).'],
    });
    expect(text).toContain('| not measured in this run (BENCH_RATIO=0) | ≥ 0.9 |');
    expect(text).toContain('| not measured in this run (BENCH_REPLAY_HOUSEHOLDS=0) | ≤ 30 ms |');
    expect(text).toContain('| worker peak RSS | not measured in this run (BENCH_SCALEOUT=0) |');
    // No PostgreSQL in the run: the national night's command is named all the same.
    expect(text).toContain('The national night: `NODE_OPTIONS=');
  });
});
