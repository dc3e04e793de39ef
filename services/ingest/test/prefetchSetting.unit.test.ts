import { describe, expect, it } from 'vitest';
import { prefetchSetting } from '../src/ingestor.js';

const sqlite = { reads: 'in-process' as const };
const postgres = { reads: 'network' as const };

describe('INGEST_PREFETCH: reading a segment ahead where reads are round trips', () => {
  it('unset: on for a store over the network, off for one in this process', () => {
    expect(prefetchSetting(postgres, undefined)).toBe(true);
    expect(prefetchSetting(sqlite, undefined)).toBe(false);
    expect(prefetchSetting(sqlite, '')).toBe(false);
  });

  it('on and off decide for every store', () => {
    expect(prefetchSetting(sqlite, 'on')).toBe(true);
    expect(prefetchSetting(postgres, 'off')).toBe(false);
  });

  it('anything else is refused, naming the variable and what it may be', () => {
    expect(() => prefetchSetting(postgres, 'yes')).toThrow(
      "INGEST_PREFETCH: 'yes' must be on or off (unset: on for PostgreSQL, off for SQLite)",
    );
  });
});
