import { describe, expect, it } from 'vitest';
import { createLogger } from '@bijstand/platform';
import { deliveryOptionsFromEnv, notifiersFromEnv } from '../src/index.js';

const logger = createLogger('test', { level: 'silent' });

describe('delivery configuration from the environment', () => {
  it('refuses a webhook URL without a secret, naming the variable, instead of sending unsigned', () => {
    expect(() => notifiersFromEnv({ ALERT_WEBHOOK_URL: 'https://km.example.nl/alerts' }, logger)).toThrow(
      'ALERT_WEBHOOK_SECRET must be set with ALERT_WEBHOOK_URL',
    );
    expect(
      notifiersFromEnv({ ALERT_WEBHOOK_URL: 'https://km.example.nl/alerts', ALERT_WEBHOOK_SECRET: 's' }, logger).map(
        (n) => n.channel,
      ),
    ).toEqual(['log', 'webhook']);
    expect(notifiersFromEnv({}, logger).map((n) => n.channel)).toEqual(['log']);
  });

  it('reads the retry policy and concurrency; unset keeps the defaults, nonsense is refused', () => {
    expect(deliveryOptionsFromEnv({})).toEqual({ policy: {} });
    expect(
      deliveryOptionsFromEnv({
        ALERT_DELIVERY_MAX_ATTEMPTS: '8',
        ALERT_DELIVERY_BASE_DELAY_MS: '2000',
        ALERT_DELIVERY_MAX_DELAY_MS: '600000',
        ALERT_DELIVERY_CONCURRENCY: '32',
      }),
    ).toEqual({
      policy: { maxAttempts: 8, baseDelayMs: 2000, maxDelayMs: 600_000 },
      concurrency: 32,
    });
    expect(() => deliveryOptionsFromEnv({ ALERT_DELIVERY_MAX_ATTEMPTS: '0' })).toThrow(
      'environment: ALERT_DELIVERY_MAX_ATTEMPTS must be a positive integer, got "0"',
    );
  });
});
