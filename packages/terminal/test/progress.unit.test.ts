import { describe, expect, it } from 'vitest';
import { besideBarDestination, progressBar, writeBesideBar } from '../src/index.js';

/** A fake stderr: what was written, in order. */
const fakeStream = (isTTY: boolean) => {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
};

describe('the progress bar and log lines', () => {
  it('on a terminal a log line clears the bar, starts at column 0, and the bar is drawn again below it', () => {
    const err = fakeStream(true);
    const bar = progressBar('nachten', err);
    bar.update(1, 4, '2027-01-01');
    writeBesideBar((t) => err.write(t), '{"level":40,"msg":"message rejected"}\n');
    bar.update(4, 4, '2027-01-04');
    bar.finish();
    const line = (filled: number, pct: string, note: string) =>
      `nachten [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${pct}% ${note}`;
    expect(err.writes).toEqual([
      `\r${line(8, ' 25', '2027-01-01')}\x1b[K`,
      '\r\x1b[K',
      '{"level":40,"msg":"message rejected"}\n',
      `\r${line(8, ' 25', '2027-01-01')}\x1b[K`,
      `\r${line(30, '100', '2027-01-04')}\x1b[K`,
      '\n',
    ]);
    // On screen: the log line whole on a line of its own, the bar on the last line.
    expect(screen(err.writes.join(''))).toEqual([
      '{"level":40,"msg":"message rejected"}',
      line(30, '100', '2027-01-04'),
      '',
    ]);
  });

  it('a log destination (pino writes through it) steps around the bar; after finish it writes as is', () => {
    const err = fakeStream(true);
    const logs: string[] = [];
    const destination = besideBarDestination({ write: (t: string) => (err.write(t), logs.push(t)) });
    const bar = progressBar('x', err);
    bar.update(0, 2);
    destination.write('a\n');
    bar.finish();
    destination.write('b\n');
    expect(logs).toEqual(['a\n', 'b\n']);
    expect(screen(err.writes.join(''))).toEqual(['a', `x [${'.'.repeat(30)}]   0% `, 'b', '']);
  });

  it('not on a terminal the bar prints whole lines every 10% and a log line needs no clearing', () => {
    const err = fakeStream(false);
    const bar = progressBar('x', err);
    for (let d = 1; d <= 20; d++) bar.update(d, 20);
    writeBesideBar((t) => err.write(t), 'log\n');
    bar.finish();
    expect(err.writes.filter((w) => w.includes('['))).toHaveLength(10);
    expect(err.writes.at(-1)).toBe('log\n');
    expect(err.writes.join('')).not.toContain('\r');
  });
});

/** What a terminal shows: `\r` returns to column 0, `\x1b[K` erases to the end of the line. */
function screen(written: string): string[] {
  const lines: string[] = [''];
  let col = 0;
  for (const part of written.split(/(\r|\n|\x1b\[K)/)) {
    if (part === '\r') col = 0;
    else if (part === '\n') {
      lines.push('');
      col = 0;
    } else if (part === '\x1b[K') lines[lines.length - 1] = lines.at(-1)!.slice(0, col);
    else if (part) {
      const cur = lines.at(-1)!;
      lines[lines.length - 1] = cur.slice(0, col) + part + cur.slice(col + part.length);
      col += part.length;
    }
  }
  return lines;
}
