import { createHmac, timingSafeEqual } from 'node:crypto';

/** Unix seconds at which the request was signed; part of what is signed, so it cannot be swapped. */
export const TIMESTAMP_HEADER = 'x-bijstand-timestamp';
/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`; several comma-separated values while a secret rotates. */
export const SIGNATURE_HEADER = 'x-bijstand-signature';
/** The alert id: the same on every retry of one alert, so a receiver can de-duplicate. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** 1 for the first try of a delivery, 2 for the first retry, … (informative, not signed). */
export const ATTEMPT_HEADER = 'x-bijstand-attempt';
/** How far a request's timestamp may be from the receiver's clock, either way. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const hmacHex = (secret: string, timestamp: string, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${hmacHex(secret, String(timestampSeconds), body)}`;
}

/**
 * For receivers: true only when one of the v1 signatures matches "<timestamp>.<body>" under the secret
 * and the timestamp is within the tolerance of `nowSeconds`, so a captured request cannot be replayed
 * later and a changed body or timestamp is refused.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  return signature
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1=') && /^[0-9a-f]{64}$/.test(s.slice(3)))
    .some((s) => timingSafeEqual(Buffer.from(s.slice(3), 'hex'), expected));
}
