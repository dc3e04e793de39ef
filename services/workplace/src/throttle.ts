/** How many wrong passwords are allowed, in what window, and how long a lockout lasts. */
export interface ThrottleLimits {
  /** Wrong passwords per user name within the window before the next attempt is refused (429). */
  perUser: number;
  /** Per client address: higher, since a municipal office's users may share one address (NAT). */
  perAddress: number;
  windowMs: number;
  /** The first lockout; each next one within the day doubles, up to maxLockoutMs. */
  lockoutMs: number;
  maxLockoutMs: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  perUser: 5,
  perAddress: 30,
  windowMs: 60_000,
  lockoutMs: 60_000,
  maxLockoutMs: 15 * 60_000,
};

interface Counter {
  failures: number[];
  lockedUntil: number;
  lockouts: number;
  lastLockoutAt: number;
}

const DAY = 24 * 3600_000;
/** Beyond this many counters, those with nothing to remember are dropped (a spray of invented names). */
const SWEEP_ABOVE = 10_000;

/**
 * Login throttling per user name and per client address, with a lockout that backs off: the 6th wrong
 * password for a name within a minute is refused with Retry-After, before any password is checked (so
 * a flood costs no scrypt). A successful login clears that name's counter, not the address's.
 */
export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();

  constructor(
    readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds to wait before the next attempt for this name or from this address; 0 when it may try. */
  retryAfter(name: string, address: string): number {
    const at = this.clock();
    const until = Math.max(
      this.counter(`user:${name}`)?.lockedUntil ?? 0,
      this.counter(`addr:${address}`)?.lockedUntil ?? 0,
    );
    return until > at ? Math.ceil((until - at) / 1000) : 0;
  }

  failed(name: string, address: string): void {
    this.count(`user:${name}`, this.limits.perUser);
    this.count(`addr:${address}`, this.limits.perAddress);
  }

  succeeded(name: string): void {
    this.counters.delete(`user:${name}`);
  }

  private counter(key: string): Counter | undefined {
    return this.counters.get(key);
  }

  private count(key: string, limit: number): void {
    const at = this.clock();
    if (this.counters.size > SWEEP_ABOVE) this.sweep(at);
    const c = this.counters.get(key) ?? { failures: [], lockedUntil: 0, lockouts: 0, lastLockoutAt: 0 };
    c.failures = c.failures.filter((t) => at - t < this.limits.windowMs);
    c.failures.push(at);
    if (c.failures.length >= limit) {
      c.lockouts = at - c.lastLockoutAt < DAY ? c.lockouts + 1 : 1;
      c.lastLockoutAt = at;
      c.lockedUntil = at + Math.min(this.limits.lockoutMs * 2 ** (c.lockouts - 1), this.limits.maxLockoutMs);
      c.failures = [];
    }
    this.counters.set(key, c);
  }

  private sweep(at: number): void {
    for (const [key, c] of this.counters)
      if (c.lockedUntil <= at && at - c.lastLockoutAt >= DAY && c.failures.every((t) => at - t >= this.limits.windowMs))
        this.counters.delete(key);
  }
}
