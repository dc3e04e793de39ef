import { describe, expect, it } from 'vitest';
import { ConfigurationError, readRuntimeEnv, timeLimitsFromEnv } from '../src/index.js';

describe('the time limits on Redis and PostgreSQL (REDIS_*_TIMEOUT_MS, EVENTSTORE_CONNECT_TIMEOUT_MS)', () => {
  it('default to 5 s (Redis connect), 10 s (Redis command) and 15 s (PostgreSQL connect)', () => {
    expect(timeLimitsFromEnv({})).toEqual({
      REDIS_CONNECT_TIMEOUT_MS: 5_000,
      REDIS_COMMAND_TIMEOUT_MS: 10_000,
      EVENTSTORE_CONNECT_TIMEOUT_MS: 15_000,
    });
  });

  it('take whole milliseconds from 100 to 300000, in the runtime environment too', () => {
    const env = {
      REDIS_CONNECT_TIMEOUT_MS: '100',
      REDIS_COMMAND_TIMEOUT_MS: '2000',
      EVENTSTORE_CONNECT_TIMEOUT_MS: '300000',
    };
    expect(timeLimitsFromEnv(env)).toEqual({
      REDIS_CONNECT_TIMEOUT_MS: 100,
      REDIS_COMMAND_TIMEOUT_MS: 2_000,
      EVENTSTORE_CONNECT_TIMEOUT_MS: 300_000,
    });
    expect(readRuntimeEnv(env)).toMatchObject({
      REDIS_COMMAND_TIMEOUT_MS: 2_000,
      EVENTSTORE_CONNECT_TIMEOUT_MS: 300_000,
    });
  });

  it.each([
    ['REDIS_CONNECT_TIMEOUT_MS', '99', 'must be at least 100 (milliseconds)'],
    ['REDIS_COMMAND_TIMEOUT_MS', '300001', 'must be at most 300000 (5 minutes, in milliseconds)'],
    ['EVENTSTORE_CONNECT_TIMEOUT_MS', '1.5', 'must be a whole number of milliseconds'],
    ['EVENTSTORE_CONNECT_TIMEOUT_MS', '15s', 'must be a whole number of milliseconds'],
  ])('refuse %s=%s naming the variable and the rule', (name, value, rule) => {
    const message = `environment: ${name}: ${rule}`;
    expect(() => timeLimitsFromEnv({ [name]: value })).toThrow(ConfigurationError);
    expect(() => timeLimitsFromEnv({ [name]: value })).toThrow(message);
    expect(() => readRuntimeEnv({ [name]: value })).toThrow(message);
  });
});
