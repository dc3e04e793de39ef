/** Where a bar is drawn: process.stderr, or a fake one in tests. */
export interface BarStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * The bar drawn at this moment on a terminal, if any (one process draws one bar at a time). Module state on
 * purpose: the logger and the bar meet only here, so a log line can step around the bar without either
 * knowing the other.
 */
let drawn: { stream: BarStream; line: string } | undefined;

/** A one-line progress bar on stderr (stdout stays clean for machine output). */
export function progressBar(
  label: string,
  stream: BarStream = process.stderr,
): {
  update(done: number, total: number, note?: string): void;
  finish(): void;
} {
  const tty = stream.isTTY === true;
  let lastPrinted = -1;
  return {
    update(done, total, note = '') {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${note}`;
      if (tty) {
        stream.write(`\r${line}\x1b[K`);
        drawn = { stream, line };
      } else if (pct >= lastPrinted + 10 || done === total) {
        stream.write(`${line}\n`);
        lastPrinted = pct;
      }
    },
    finish() {
      if (tty && drawn?.stream === stream) stream.write('\n');
      drawn = undefined;
    },
  };
}

/**
 * Writes whole lines (a log record) so that they never land in the middle of a drawn bar: the bar's line
 * is cleared, the text written from column 0, and the bar drawn again below it. Without a bar: as is.
 */
export function writeBesideBar(write: (text: string) => unknown, text: string): void {
  const bar = drawn;
  if (bar === undefined) {
    write(text);
    return;
  }
  bar.stream.write('\r\x1b[K');
  write(text);
  bar.stream.write(`\r${bar.line}\x1b[K`);
}

/** A log destination (pino's `write(line)`) that steps around a drawn bar; flush passes through. */
export function besideBarDestination<T extends { write(text: string): unknown; flush?: (...a: never[]) => unknown }>(
  inner: T,
): { write(text: string): void; flush?: T['flush'] } {
  const flush = inner.flush?.bind(inner) as T['flush'];
  return { write: (text) => writeBesideBar((t) => inner.write(t), text), ...(flush ? { flush } : {}) };
}
