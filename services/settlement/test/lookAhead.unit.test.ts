import { describe, expect, it } from 'vitest';
import { lookAhead } from '../src/lookAhead.js';

describe('lookAhead: reads run ahead of the decisions, taken in order', () => {
  it('starts at most `window` loads ahead of the one taken, and gives each its own value', async () => {
    const started: string[] = [];
    const loads = lookAhead(['a', 'b', 'c', 'd', 'e'], 2, async (x) => {
      started.push(x);
      return x.toUpperCase();
    });
    expect(await loads.take(0)).toBe('A');
    expect(started).toEqual(['a', 'b', 'c']);
    expect(await loads.take(1)).toBe('B');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect([await loads.take(2), await loads.take(3), await loads.take(4)]).toEqual(['C', 'D', 'E']);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a failed load fails only its own take, and is never an unhandled rejection while it waits', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const loads = lookAhead([1, 2, 3], 8, async (n) => {
        if (n === 2) throw new Error(`household ${n} unreadable`);
        return n * 10;
      });
      expect(await loads.take(0)).toBe(10);
      await new Promise((resolve) => setTimeout(resolve, 10));
      await expect(loads.take(1)).rejects.toThrow('household 2 unreadable');
      expect(await loads.take(2)).toBe(30);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('window 0 reads one household at a time, as before', async () => {
    let inFlight = 0;
    let most = 0;
    const loads = lookAhead([1, 2, 3, 4], 0, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return n;
    });
    for (let k = 0; k < 4; k++) expect(await loads.take(k)).toBe(k + 1);
    expect(most).toBe(1);
  });
});
