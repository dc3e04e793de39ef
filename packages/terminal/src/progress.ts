/** A one-line progress bar on stderr (stdout stays clean for machine output). */
export function progressBar(label: string): {
  update(done: number, total: number, note?: string): void;
  finish(): void;
} {
  const tty = process.stderr.isTTY;
  let lastPrinted = -1;
  return {
    update(done, total, note = '') {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${note}`;
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else if (pct >= lastPrinted + 10 || done === total) {
        process.stderr.write(`${line}\n`);
        lastPrinted = pct;
      }
    },
    finish() {
      if (tty) process.stderr.write('\n');
    },
  };
}
