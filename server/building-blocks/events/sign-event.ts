import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Signing per Standard Webhooks (https://www.standardwebhooks.com), with its reference library: the
 * signed content is `<webhook-id>.<webhook-timestamp>.<body>`, HMAC-SHA256 with the base64 secret after
 * `whsec_`, sent as `webhook-signature: v1,<base64>`; during a secret rotation one signature per secret,
 * separated by spaces (a receiver accepts the message when any one verifies).
 */

/** A new endpoint secret: whsec_ and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signedHeaders(msgId: string, at: Date, body: string, secrets: string[]): SignedHeaders {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(msgId, at, body));
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
