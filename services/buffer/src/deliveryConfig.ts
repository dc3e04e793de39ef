import { ConfigurationError } from '@bijstand/platform';
import type { DispatcherOptions } from './dispatcher.js';

const KNOBS = {
  ALERT_DELIVERY_MAX_ATTEMPTS: 'maxAttempts',
  ALERT_DELIVERY_BASE_DELAY_MS: 'baseDelayMs',
  ALERT_DELIVERY_MAX_DELAY_MS: 'maxDelayMs',
} as const;

/** The retry policy and concurrency from the environment; unset knobs keep their defaults. */
export function deliveryOptionsFromEnv(env: NodeJS.ProcessEnv): Pick<DispatcherOptions, 'policy' | 'concurrency'> {
  const positive = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new ConfigurationError(`environment: ${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    return n;
  };
  const policy: NonNullable<DispatcherOptions['policy']> = {};
  for (const [name, key] of Object.entries(KNOBS)) {
    const n = positive(name);
    if (n !== undefined) policy[key] = n;
  }
  const concurrency = positive('ALERT_DELIVERY_CONCURRENCY');
  return { policy, ...(concurrency !== undefined ? { concurrency } : {}) };
}
