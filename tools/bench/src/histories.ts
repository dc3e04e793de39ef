import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import type { InboundMessage } from '@bijstand/ingest';
import { buildHistory, settlementNightAfter, settlementNights, START_MONTH } from './phases.js';
import type { StoreTarget } from './stores.js';

/**
 * The stores' contents before a measurement (not timed): the history before a measured night, the replay
 * set. Each is built once per run in a SQLite file, and every store that measures on it gets it from
 * there: SQLite a copy of the file (the same bytes as building it in place), PostgreSQL a `store copy`
 * (ingest on PostgreSQL is what takes longest, and is measured on its own). The default run so builds the
 * 12-month history and the replay set once, not once per store. With BENCH_HISTORY_VIA=postgres, and
 * for the in-memory store, a store builds its own.
 */

/** What fills a store: a SQLite file built once, or building it in the store itself. */
export type HistorySource = { file: string } | { build: (store: EventStore) => Promise<void> };

/** The history up to (not including) the night after `months`: its nights, then what was recorded before that night. */
export const historyOf =
  (messages: () => InboundMessage[], months: number, label: string) => async (store: EventStore) => {
    const history = await buildHistory(
      store,
      messages(),
      settlementNights(START_MONTH, months, 'settlement-and-payday'),
      label,
    );
    // What was recorded before the measured night (not later: a night decides on what it could know).
    await history.ingestUpTo(settlementNightAfter(months).runAt);
  };

/** SQLite files of this run, each built on first use; removed by close() (several GiB at national sizes). */
export class HistoryFiles {
  private readonly dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  private readonly built = new Map<string, string>();

  async file(key: string, build: (store: EventStore) => Promise<void>): Promise<string> {
    const known = this.built.get(key);
    if (known) return known;
    const path = join(this.dir, `${key}.sqlite`);
    const store = await openEventStore({ kind: 'sqlite', path });
    try {
      await build(store);
    } finally {
      await store.close();
    }
    this.built.set(key, path);
    return path;
  }

  /** Frees a file no later store needs (its disk space, before the measurements). */
  release(key: string): void {
    const path = this.built.get(key);
    this.built.delete(key);
    if (path) for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  }

  close(): void {
    this.built.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The store `name` of `target` filled from `source`, left closed (a measurement opens it as a fresh process would). */
export async function prepareStore(
  target: StoreTarget,
  name: string,
  source: HistorySource,
  label: string,
): Promise<void> {
  if ('file' in source) {
    const t = performance.now();
    const how = await target.load(name, source.file);
    process.stderr.write(`  ${label}: ${how} in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
    return;
  }
  const store = await target.create(name);
  await source.build(store);
  await store.close();
}
