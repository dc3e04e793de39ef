import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@bijstand/platform';
import { limitsFromEnv } from '../src/limits.js';

describe('limitsFromEnv: the cap on requests in flight and the handler deadline', () => {
  it('takes WORKPLACE_MAX_IN_FLIGHT and WORKPLACE_HANDLER_TIMEOUT_MS, and nothing when they are unset', () => {
    expect(limitsFromEnv({})).toEqual({});
    expect(limitsFromEnv({ WORKPLACE_MAX_IN_FLIGHT: '16', WORKPLACE_HANDLER_TIMEOUT_MS: '5000' })).toEqual({
      maxInFlight: 16,
      handlerTimeoutMs: 5000,
    });
  });

  it('refuses a value it cannot use, naming the variable, the value and the rule', () => {
    expect(() => limitsFromEnv({ WORKPLACE_MAX_IN_FLIGHT: '0' })).toThrow(
      new ConfigurationError("WORKPLACE_MAX_IN_FLIGHT: '0' must be at least 1"),
    );
    expect(() => limitsFromEnv({ WORKPLACE_HANDLER_TIMEOUT_MS: '2.5' })).toThrow(
      "WORKPLACE_HANDLER_TIMEOUT_MS: '2.5' must be a whole number",
    );
    expect(() => limitsFromEnv({ WORKPLACE_MAX_IN_FLIGHT: 'many' })).toThrow(
      new ConfigurationError("WORKPLACE_MAX_IN_FLIGHT: 'many' must be a whole number"),
    );
  });
});
