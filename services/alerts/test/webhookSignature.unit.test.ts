import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from '../src/index.js';

const secret = 'whsec-unit';
const body = '{"alertId":"H-1:below-minimum:2027-07","amount":"58.22"}';
const t = 1_800_000_000;

describe('webhook signature over "<timestamp>.<body>"', () => {
  it('is v1= and the hex HMAC-SHA256 of timestamp, a dot and the body', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, t, body)).toBe(`v1=${expected}`);
  });

  it('is accepted within the tolerance, either way of the receiver clock', () => {
    const sig = signWebhook(secret, t, body);
    expect(verifyWebhookSignature(secret, String(t), body, sig, t)).toBe(true);
    expect(verifyWebhookSignature(secret, String(t), body, sig, t + 300)).toBe(true);
    expect(verifyWebhookSignature(secret, String(t), body, sig, t - 300)).toBe(true);
  });

  it('refuses a replay outside the tolerance (default 300 s, or the one given)', () => {
    const sig = signWebhook(secret, t, body);
    expect(verifyWebhookSignature(secret, String(t), body, sig, t + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, String(t), body, sig, t - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, String(t), body, sig, t + 60, 30)).toBe(false);
  });

  it('refuses a tampered body, a moved timestamp, another secret and a malformed header', () => {
    const sig = signWebhook(secret, t, body);
    expect(verifyWebhookSignature(secret, String(t), body.replace('58.22', '5822.00'), sig, t)).toBe(false);
    expect(verifyWebhookSignature(secret, String(t + 1), body, sig, t)).toBe(false);
    expect(verifyWebhookSignature('other', String(t), body, sig, t)).toBe(false);
    expect(verifyWebhookSignature(secret, String(t), body, sig.slice(3), t)).toBe(false);
    expect(verifyWebhookSignature(secret, 'soon', body, sig, t)).toBe(false);
    expect(verifyWebhookSignature(secret, String(t), body, 'v1=abc', t)).toBe(false);
  });

  it('accepts any one matching v1 value, so that a secret can be rotated', () => {
    const header = `${signWebhook('old', t, body)}, ${signWebhook(secret, t, body)}`;
    expect(verifyWebhookSignature(secret, String(t), body, header, t)).toBe(true);
  });
});
