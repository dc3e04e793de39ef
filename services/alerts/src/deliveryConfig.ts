import { ConfigurationError, type Logger, type Municipalities } from '@bijstand/platform';
import type { DispatcherOptions } from './dispatcher.js';
import { LogNotifier, WebhookNotifier, notifiersFromEnv, type Notifier } from './notifiers.js';

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
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigurationError(`environment: ${name} must be a positive integer, got ${JSON.stringify(raw)}`);
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

/** The channel of one municipality's webhook: `webhook-GM1680`. */
export const municipalityWebhookChannel = (code: string) => `webhook-${code}`;

/**
 * The notifiers of a deployment and how alerts are routed to them. One municipality (the single
 * format, or no file): the log and ALERT_WEBHOOK_URL as before, every alert to every channel. Several:
 * the log takes every alert (the deployment's own record, BSN-free), and each municipality's webhook
 * (`alerts.webhookUrl`, signed with the secret in the environment variable `alerts.webhookSecretEnv`)
 * only its own households' alerts. A named secret variable that is unset is refused at start, as is
 * ALERT_WEBHOOK_URL (it would send every municipality's alerts to one receiver).
 */
export function alertRoutingFromConfig(
  municipalities: Municipalities,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  webhookOptions: { timeoutMs?: number; clock?: () => number } = {},
): { notifiers: Notifier[]; route?: (municipality: string | null) => readonly string[] } {
  if (municipalities.mode === 'single')
    return {
      notifiers: notifiersFromEnv(
        { ALERT_WEBHOOK_URL: env.ALERT_WEBHOOK_URL, ALERT_WEBHOOK_SECRET: env.ALERT_WEBHOOK_SECRET },
        logger,
      ),
    };
  if (env.ALERT_WEBHOOK_URL)
    throw new ConfigurationError(
      "environment: ALERT_WEBHOOK_URL: not used with several municipalities (it would receive every municipality's alerts); give each its webhook in MUNICIPALITY_CONFIG (municipalities.<code>.alerts)",
    );
  const log = new LogNotifier(logger);
  const notifiers: Notifier[] = [log];
  const webhookOf = new Map<string, string>();
  for (const [code, m] of municipalities.byCode) {
    if (!m.alerts) continue;
    const secret = env[m.alerts.webhookSecretEnv];
    if (!secret)
      throw new ConfigurationError(
        `MUNICIPALITY_CONFIG: municipalities.${code}.alerts.webhookSecretEnv: the environment variable ${m.alerts.webhookSecretEnv} is not set (the webhook is signed with it; there is no default secret)`,
      );
    const inner = new WebhookNotifier(m.alerts.webhookUrl, secret, webhookOptions);
    const channel = municipalityWebhookChannel(code);
    notifiers.push({ channel, notify: (alert, attempt) => inner.notify(alert, attempt) });
    webhookOf.set(code, channel);
  }
  return {
    notifiers,
    route: (municipality) => {
      const code = municipalities.codeOf(municipality);
      const webhook = code ? webhookOf.get(code) : undefined;
      return webhook ? [log.channel, webhook] : [log.channel];
    },
  };
}
