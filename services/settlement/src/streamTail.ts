import type { EventStore, RecordedEvent } from '@bijstand/event-store';

/**
 * An append-only stream read whole once, then only from where the last read ended: the nightly runs and their
 * results, which every night reads (the rules gate, the night's result) and which grow by a night each. Without
 * it a process settling many nights in a row (the demo: ~700; a history rebuilt night by night) read them
 * again each night, quadratic in the nights (the demo spent 12 of its 18 s there). Exact: events are never
 * changed or removed, and what another process appended is read on the next call. Reads are serialised, so two
 * calls at once never add the same event twice.
 */
export class StreamTail<T> {
  private readonly items: T[] = [];
  private nextRevision = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly streamName: string,
    private readonly map: (event: RecordedEvent) => T,
  ) {}

  /** Every event of the stream so far, mapped, in stream order. */
  read(): Promise<readonly T[]> {
    const next = this.queue.then(async () => {
      const more = await this.store.readStream(this.streamName, { fromRevision: this.nextRevision });
      for (const e of more) {
        this.items.push(this.map(e));
        this.nextRevision = e.streamRevision + 1;
      }
      return this.items;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
