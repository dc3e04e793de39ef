import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@bijstand/platform';
import { DEFAULT_LIMITS, limitsFromEnv } from '../src/limits.js';
import { LoadShedder } from '../src/loadShedder.js';
import { securityHeaders } from '../src/security.js';

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

describe('the 503s the load shedder writes before fastify sees the request', () => {
  it('carry the workplace own security headers: the CSP, HSTS behind TLS, and Retry-After', () => {
    const shedder = new LoadShedder({ ...DEFAULT_LIMITS, retryAfterSeconds: 3 }, securityHeaders(true));
    expect(shedder.sheddingHeaders).toMatchObject({
      'content-security-policy':
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-frame-options': 'DENY',
      'retry-after': '3',
      'cache-control': 'no-store',
    });
    expect(new LoadShedder(DEFAULT_LIMITS, securityHeaders(false)).sheddingHeaders).not.toHaveProperty(
      'strict-transport-security',
    );
  });
});
