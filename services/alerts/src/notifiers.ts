import type { Logger } from '@bijstand/platform';
import type { ConsultantAlert } from './consultantAlert.js';
import {
  ATTEMPT_HEADER,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhook,
} from './webhookSignature.js';

export interface Notifier {
  readonly channel: string;
  /** Resolves once the alert has been handed over; throws when it was not (it will be retried). */
  notify(alert: ConsultantAlert, attempt: number): Promise<void>;
}

export class WebhookNotifier implements Notifier {
  readonly channel = 'webhook';
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly options: { timeoutMs?: number; clock?: () => number } = {},
  ) {
    // No default secret: an unsigned or guessable webhook would let anyone forge alerts.
    if (!secret)
      throw new Error('ALERT_WEBHOOK_SECRET must be set with ALERT_WEBHOOK_URL: the webhook is signed with it');
  }

  async notify(alert: ConsultantAlert, attempt: number): Promise<void> {
    const body = JSON.stringify(alert);
    // Signed at each try, so that a retry hours later is still within the receiver's tolerance.
    const timestamp = Math.floor((this.options.clock ?? Date.now)() / 1000);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(this.secret, timestamp, body),
        [IDEMPOTENCY_HEADER]: alert.alertId,
        [ATTEMPT_HEADER]: String(attempt),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    // Read the answer to the end so the connection goes back to the pool.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  }
}

export class LogNotifier implements Notifier {
  readonly channel = 'log';
  constructor(private readonly logger: Logger) {}
  async notify(alert: ConsultantAlert): Promise<void> {
    this.logger.warn({ alert }, `alert ${alert.kind} for household ${alert.householdId}, month ${alert.month}`);
  }
}

/** The notifiers the environment asks for; a webhook URL without a secret is refused, not skipped. */
export function notifiersFromEnv(
  env: { ALERT_WEBHOOK_URL?: string | undefined; ALERT_WEBHOOK_SECRET?: string | undefined },
  logger: Logger,
): Notifier[] {
  const notifiers: Notifier[] = [new LogNotifier(logger)];
  if (env.ALERT_WEBHOOK_URL) notifiers.push(new WebhookNotifier(env.ALERT_WEBHOOK_URL, env.ALERT_WEBHOOK_SECRET ?? ''));
  return notifiers;
}
