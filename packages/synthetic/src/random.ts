/**
 * Seeded randomness for synthetic data (tests, the demo, the bench): the same seed gives the same
 * sequence on every machine, so a generated store or a shuffled order can be reproduced.
 */

/** mulberry32: a small, fast 32-bit generator; numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random BSN that passes the elfproef (synthetic data only). */
export function syntheticBsn(rand: () => number): string {
  for (;;) {
    const digits = Array.from({ length: 8 }, (_, i) =>
      i === 0 ? 1 + Math.floor(rand() * 9) : Math.floor(rand() * 10),
    );
    const total = digits.reduce((t, d, i) => t + (9 - i) * d, 0);
    const check = total % 11;
    if (check < 10) return digits.join('') + String(check);
  }
}
